#pragma once
// The interface every backend implements. A backend owns the runtime state of a built
// network and its scheduling; the maths it runs (neuron steps, spike delivery) is
// shared. Time advances in slices of at most min_delay steps: no spike emitted inside
// a slice can arrive inside it, so neurons update a whole slice before delivery.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/backends/host_state.hpp"
#include "spikeq/core/memory.hpp"
#include "spikeq/core/time.hpp"

namespace spikeq::detail {

/// What one slice produced, in canonical order: spikes by (step, internal id).
struct SliceOutput {
  struct Spikes {
    std::vector<Step> steps;  // grid step of the spike stamp (update index + 1)
    std::vector<std::uint32_t> ids;
  };
  struct Samples {
    std::vector<Step> steps;
    std::vector<double> values;  // one row of recorder.neurons.size() per step
  };
  std::vector<Spikes> spikes;    // per population
  std::vector<Samples> samples;  // per state recorder

  void reset(std::size_t populations, std::size_t recorders) {
    spikes.resize(populations);
    samples.resize(recorders);
    for (auto& s : spikes) { s.steps.clear(); s.ids.clear(); }
    for (auto& s : samples) { s.steps.clear(); s.values.clear(); }
  }
};

class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  /// Updates every neuron for steps [first, first + count) in slices of at most
  /// min_delay steps, delivering the spikes of each slice before the next one starts;
  /// on return, every spike of these steps is in the rings. `out` receives the spikes
  /// and samples of all the steps.
  virtual void advance(Step first, Step count, SliceOutput& out) = 0;
  /// Host view of the network state (for reading state and synapses), up to date: a
  /// device backend copies its state back first.
  [[nodiscard]] virtual const BuiltNetwork& state() const = 0;
  /// Host view of what does not change while a simulation runs (sizes, id maps, synapse
  /// storage, static weights, recorders), without copying anything back.
  [[nodiscard]] virtual const BuiltNetwork& structure() const { return state(); }
  /// The same, writable, for checkpoints between advance calls.
  [[nodiscard]] virtual BuiltNetwork& mutable_state() = 0;
  [[nodiscard]] virtual MemoryReport memory() const = 0;
  /// The modulator replicas of every work unit; all are equal between advance calls.
  virtual std::vector<std::vector<ModulatorState>*> modulator_replicas() = 0;
  /// Hands a spike_replay population the recorded spikes of the coming advance call.
  virtual void set_replay(std::uint32_t population, ReplayWindow window) = 0;
  /// A static projection's weights were rewritten in mutable_state() (learning done
  /// outside the engine): a backend that keeps its own copy refreshes it. Host backends
  /// read the network itself.
  virtual void weights_changed(std::uint32_t /*projection*/) {}
};

/// Each modulator's state at time 0, one replica.
inline std::vector<ModulatorState> initial_modulators(const BuiltNetwork& net) {
  std::vector<ModulatorState> out;
  for (const ModulatorRuntime& m : net.modulators) out.push_back(m.initial);
  return out;
}

/// The serial reference backend.
std::unique_ptr<Backend> make_serial_backend(BuiltNetwork network);

/// The oneTBB backend on `threads` threads (an arena of its own).
std::unique_ptr<Backend> make_tbb_backend(BuiltNetwork network, int threads);

/// The CUDA backend on GPU `device` (backends/cuda; only in builds with CUDA).
std::unique_ptr<Backend> make_cuda_backend(BuiltNetwork network, int device);

/// The CUDA backend's kernels run on the host, blocks and threads in an order shuffled by
/// `device` (backends/device): the device code paths, testable without a GPU.
std::unique_ptr<Backend> make_cuda_emulated_backend(BuiltNetwork network, int device);

}  // namespace spikeq::detail

namespace spikeq::detail {
/// Bytes held by a host-side network state, by component.
MemoryReport memory_of(const BuiltNetwork& net);
}  // namespace spikeq::detail
