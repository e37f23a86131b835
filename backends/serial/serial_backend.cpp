// The serial reference backend: per slice, every population step by step, then every
// projection, in index order. The simplest schedule the maths allows; the threaded
// backends must match it bit for bit.
#include <algorithm>
#include <memory>
#include <utility>

#include "spikeq/backends/host_backend.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/backends/plastic_kernels.hpp"

namespace spikeq::detail {
namespace {

class SerialBackend final : public HostBackend {
 public:
  explicit SerialBackend(BuiltNetwork net) : HostBackend(std::move(net)) {
    mods_.assign(net_.populations.size(), initial_modulators(net_));
  }

  [[nodiscard]] std::string name() const override { return "serial"; }

  void advance(Step first, Step count, SliceOutput& out) override {
    out.reset(net_.populations.size(), net_.recorders.size());
    for (Step begin = first; begin < first + count; begin += net_.min_delay) {
      advance_slice(begin, std::min(net_.min_delay, first + count - begin), out);
    }
  }

  std::vector<std::vector<ModulatorState>*> modulator_replicas() override {
    std::vector<std::vector<ModulatorState>*> out;
    for (auto& m : mods_) out.push_back(&m);
    return out;
  }

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
        plastic_before(net_, p, 0, pop.size, u, mods_[p]);
        update_neurons(pop, pop.current, net_.seed, u, net_.slots, 0, pop.size);
        const std::size_t before = spikes.ids.size();
        collect_spikes(pop, u, 0, pop.size, spikes);
        plastic_after(net_, p, 0, pop.size, u, mods_[p], spikes.ids.data() + before,
                      spikes.ids.size() - before);
        sample_recorders(net_, p, u, out);
      }
      out.spikes[p].steps.insert(out.spikes[p].steps.end(), spikes.steps.begin(),
                                 spikes.steps.end());
      out.spikes[p].ids.insert(out.spikes[p].ids.end(), spikes.ids.begin(), spikes.ids.end());
    }
    for (ProjectionRuntime& proj : net_.projections) {
      const SliceOutput::Spikes& spikes = slice_spikes_[proj.source];
      if (proj.plastic) {
        for (std::uint32_t t = 0; t < proj.csr.tiles.count; ++t) {
          enqueue_tile(proj, t, spikes.steps.data(), spikes.ids.data(), spikes.ids.size(),
                       net_.slots);
        }
      } else {
        deliver_projection(proj, net_.populations[proj.target], spikes, net_.slots);
      }
    }
    if (!net_.modulators.empty()) {
      spans_.clear();
      for (const auto& s : slice_spikes_) spans_.push_back({s.steps.data(), s.ids.data(), s.ids.size()});
      for (auto& m : mods_) ingest_spikes(net_.modulators, m, spans_, first, count, net_.seed);
    }
  }

  std::vector<SliceOutput::Spikes> slice_spikes_;  // per population, of the current slice
  std::vector<std::vector<ModulatorState>> mods_;  // per population: its modulator replica
  std::vector<SpikeSpan> spans_;                   // scratch: the slice's spikes, per population
};

}  // namespace

std::unique_ptr<Backend> make_serial_backend(BuiltNetwork network) {
  return std::make_unique<SerialBackend>(std::move(network));
}

}  // namespace spikeq::detail
