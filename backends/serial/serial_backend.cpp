// The serial reference backend: per slice, every population step by step, then every
// projection, in index order. The simplest schedule the maths allows; the threaded
// backends must match it bit for bit.
#include <algorithm>
#include <memory>
#include <utility>

#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/host_kernels.hpp"

namespace spikeq::detail {
namespace {

class SerialBackend final : public Backend {
 public:
  explicit SerialBackend(BuiltNetwork net) : net_(std::move(net)) { bind_tables(net_); }

  [[nodiscard]] std::string name() const override { return "serial"; }

  void advance(Step first, Step count, SliceOutput& out) override {
    out.reset(net_.populations.size(), net_.recorders.size());
    for (Step begin = first; begin < first + count; begin += net_.min_delay) {
      advance_slice(begin, std::min(net_.min_delay, first + count - begin), out);
    }
  }

  [[nodiscard]] const BuiltNetwork& state() const override { return net_; }

  [[nodiscard]] MemoryReport memory() const override { return memory_of(net_); }

 private:
  void advance_slice(Step first, Step count, SliceOutput& out) {
    slice_spikes_.resize(net_.populations.size());
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      PopulationRuntime& pop = net_.populations[p];
      SliceOutput::Spikes& spikes = slice_spikes_[p];
      spikes.steps.clear();
      spikes.ids.clear();
      for (Step u = first; u < first + count; ++u) {
        begin_step(pop, pop.current, u, 0, pop.size);
        apply_drives(pop, net_.seed, u, net_.slots, 0, pop.size);
        update_neurons(pop, pop.current, net_.seed, u, net_.slots, 0, pop.size);
        collect_spikes(pop, u, 0, pop.size, spikes);
        sample_recorders(net_, p, u, out);
      }
      out.spikes[p].steps.insert(out.spikes[p].steps.end(), spikes.steps.begin(),
                                 spikes.steps.end());
      out.spikes[p].ids.insert(out.spikes[p].ids.end(), spikes.ids.begin(), spikes.ids.end());
    }
    for (const ProjectionRuntime& proj : net_.projections) {
      deliver_projection(proj, net_.populations[proj.target], slice_spikes_[proj.source],
                         net_.slots);
    }
  }

  BuiltNetwork net_;
  std::vector<SliceOutput::Spikes> slice_spikes_;  // per population, of the current slice
};

}  // namespace

std::unique_ptr<Backend> make_serial_backend(BuiltNetwork network) {
  return std::make_unique<SerialBackend>(std::move(network));
}

}  // namespace spikeq::detail
