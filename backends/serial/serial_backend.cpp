// The serial reference backend: every population, then every projection, in index order.
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
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      PopulationRuntime& pop = net_.populations[p];
      for (Step u = first; u < first + count; ++u) {
        begin_step(pop, u);
        apply_drives(pop, net_.seed, u, net_.slots, 0, pop.size);
        update_neurons(pop, net_.seed, u, net_.slots, 0, pop.size);
        collect_spikes(pop, u, 0, pop.size, out.spikes[p]);
        sample_recorders(net_, p, u, out);
      }
    }
    for (const ProjectionRuntime& proj : net_.projections) {
      deliver_projection(proj, net_.populations[proj.target], out.spikes[proj.source],
                         net_.slots);
    }
  }

  [[nodiscard]] const BuiltNetwork& state() const override { return net_; }

  [[nodiscard]] MemoryReport memory() const override { return memory_of(net_); }

 private:
  BuiltNetwork net_;
};

}  // namespace

std::unique_ptr<Backend> make_serial_backend(BuiltNetwork network) {
  return std::make_unique<SerialBackend>(std::move(network));
}

}  // namespace spikeq::detail
