#pragma once
// A network built into a runnable simulation on one backend.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/core/checkpoint.hpp"
#include "spikeq/core/memory.hpp"
#include "spikeq/core/network.hpp"
#include "spikeq/core/recording.hpp"
#include "spikeq/core/time.hpp"

namespace spikeq {

struct SimulationOptions {
  std::uint64_t seed = 1;
  /// One of available_backends(): "serial" (the reference) or "tbb" (oneTBB threads) in
  /// every build; all give identical results.
  std::string backend = "serial";
  /// Worker threads; 0: the backend's default (serial: 1, tbb: every core this process
  /// may use). More than the machine has is an error unless `oversubscribe` is set.
  int threads = 0;
  /// Allow more threads than cores (useful only to test determinism).
  bool oversubscribe = false;
  /// The device of a device backend: the GPU's index for "cuda" (0: the first); for
  /// "cuda-emulated" the seed of its shuffled block order. Must be 0 for other backends.
  int device = 0;
};

/// The backends compiled into this build, by the names SimulationOptions::backend takes,
/// the reference first: "serial", "tbb" (and "cuda" or "mpi" in builds that have them).
[[nodiscard]] std::vector<std::string> available_backends();

/// Checks the options alone, as building a Simulation does: the backend is one of
/// available_backends() and the thread count suits it and the machine. Throws
/// InvalidParameter ("unknown backend ...", "... not compiled into this build").
void check_options(const SimulationOptions& options);

/// Read-only view of one projection's synapses: by source, then delay, then target.
struct SynapseList {
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
  std::vector<std::uint32_t> delays;  // steps
};

/// Degree statistics of one projection, computed with Boost.Graph.
struct ConnectivityStats {
  std::vector<std::uint64_t> in_degree;   ///< per target neuron
  std::vector<std::uint64_t> out_degree;  ///< per source neuron
  double mean_in = 0, sd_in = 0, mean_out = 0, sd_out = 0;
  std::uint64_t min_in = 0, max_in = 0, min_out = 0, max_out = 0;
  /// histogram[k] = number of target (source) neurons with in- (out-)degree k.
  [[nodiscard]] std::vector<std::uint64_t> in_histogram() const;
  [[nodiscard]] std::vector<std::uint64_t> out_histogram() const;
};

/// Facts fixed when the simulation was built.
struct BuildInfo {
  std::uint64_t synapses = 0;
  Step min_delay = 0;         ///< steps; also the length of one update slice
  Step max_delay = 0;         ///< steps; the ring buffers hold this many slots
  Step max_delay_limit = 0;   ///< steps; the largest delay this model allows
  double build_seconds = 0;
};

/// What a model would need, found without building it (no synapses are drawn).
struct ValidationReport {
  std::uint64_t neurons = 0;
  double synapses = 0;              ///< expected number (exact for deterministic rules)
  std::uint64_t bytes = 0;          ///< estimated memory once built
  double build_peak_bytes = 0;      ///< estimated peak while building
};

/// Runs every check that building a Simulation runs, except drawing synapses; throws the
/// same errors, the memory checks included (CapacityError for a model larger than the
/// memory the process may use). Cheap even for models with billions of synapses.
ValidationReport validate(const Network& network, const SimulationOptions& options = {});

class Simulation {
 public:
  explicit Simulation(const Network& network, SimulationOptions options = {});
  /// Builds `network` and continues from the state `restore` holds (a checkpoint of a
  /// Simulation of the same network, on any backend and thread count; checkpoint.hpp).
  /// Recordings start empty at the restored time.
  Simulation(const Network& network, SimulationOptions options, StateArchive& restore);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  /// Advances by `duration` ms (a multiple of dt). Calls continue where the last ended.
  void run(double duration);

  /// Hands everything that determines the future (the step, neuron state, in-flight
  /// spikes, weights and plasticity state, modulators) to `archive`, which must be saving.
  /// Between runs only; recordings are not part of it.
  void save_state(StateArchive& archive);

  [[nodiscard]] Step step() const;     ///< steps simulated so far
  [[nodiscard]] double time() const;   ///< ms simulated so far
  /// ms at which this Simulation started: 0, or the time of the checkpoint it resumed.
  [[nodiscard]] double start_time() const;
  [[nodiscard]] const Network& network() const;
  [[nodiscard]] const SimulationOptions& options() const;
  [[nodiscard]] const BuildInfo& build_info() const;
  [[nodiscard]] std::string backend_name() const;
  /// Threads the backend runs on (the options' count, or the backend's default).
  [[nodiscard]] int threads() const;

  /// Spikes recorded so far (the population must have spike recording on).
  [[nodiscard]] const SpikeRecord& spikes(PopulationId p) const;
  /// The spikes recorded since the last take, leaving the record empty: for writing
  /// output while running without keeping every spike in memory.
  SpikeRecord take_spikes(PopulationId p);
  /// The samples taken since the last take (same idea as take_spikes).
  StateTrace take_trace(RecorderId r);
  /// Spikes emitted so far, counted whether or not they are recorded.
  [[nodiscard]] std::uint64_t spike_count(PopulationId p) const;
  /// Mean firing rate (Hz) over the simulated time.
  [[nodiscard]] double mean_rate(PopulationId p) const;
  [[nodiscard]] const StateTrace& trace(RecorderId r) const;
  /// Current value of a recordable variable for every neuron (by user id).
  [[nodiscard]] std::vector<double> state(PopulationId p, const std::string& variable) const;

  [[nodiscard]] SynapseList synapses(ProjectionId p) const;
  /// Current weights of a projection, in the order of synapses(p).
  [[nodiscard]] std::vector<float> weights(ProjectionId p) const;
  /// Replaces the weights of a static (non-plastic) projection, in the order of
  /// synapses(p), from the next step on: for learning computed outside the engine between
  /// runs (io::run_continual). Throws InvalidParameter for a plastic projection, a count
  /// other than the projection's synapses, or a value that is not finite.
  void set_weights(ProjectionId p, const std::vector<float>& weights);
  /// HLOP: adds the directions of subspace s's learned_by weight vectors that its rows do
  /// not hold yet (orthonormalised; SubspaceSpec). Runs by itself at the subspace's
  /// consolidate_at times. Throws InvalidParameter without learned_by or during a run.
  void consolidate(SubspaceId s);
  /// Subspace s's rows, row-major rows x population size, in the population's neuron ids:
  /// orthonormal, empty before the first consolidation.
  [[nodiscard]] std::vector<double> subspace_rows(SubspaceId s) const;
  /// Weight snapshots taken so far (Network::record_weights), and the same, emptied.
  [[nodiscard]] const WeightTrace& weight_trace(WeightRecorderId r) const;
  WeightTrace take_weight_trace(WeightRecorderId r);

  /// A modulator's level now: its baseline plus its decaying part, jumps scheduled for
  /// this very time included.
  [[nodiscard]] double modulator_level(const std::string& name) const;
  /// Adds `amount` to a modulator's decaying part from the current step on.
  void add_to_modulator(const std::string& name, double amount);
  /// Sets a modulator's level from the current step on.
  void set_modulator_level(const std::string& name, double level);
  /// Calls `callback` during run() whenever the simulated time reaches a multiple of
  /// `interval` ms (after that step), for closed-loop control: it may read spikes and
  /// state and change modulators; the network continues from there.
  void every(double interval, std::function<void(Simulation&)> callback);
  [[nodiscard]] ConnectivityStats connectivity(ProjectionId p) const;
  /// Matrix bandwidth of the population's recurrent connectivity, max |i - j| over its
  /// synapses in storage (internal) ids: what Cuthill-McKee reordering reduces.
  [[nodiscard]] std::uint64_t bandwidth(PopulationId p) const;
  [[nodiscard]] MemoryReport memory() const;

 private:
  Simulation(const Network& network, SimulationOptions options, StateArchive* restore);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spikeq
