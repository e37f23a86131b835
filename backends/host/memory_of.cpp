#include <variant>

#include "spikeq/backends/backend.hpp"

namespace spikeq::detail {

MemoryReport memory_of(const BuiltNetwork& net) {
  MemoryReport r;
  for (const auto& proj : net.projections) {
    r.synapse_bytes += proj.csr.bytes() + (proj.plastic ? proj.plastic->bytes() : 0);
    r.synapses += proj.csr.size();
  }
  for (const auto& pop : net.populations) {
    r.ring_bytes += pop.rings.size() * sizeof(Accum);
    r.neuron_bytes += std::visit([](const auto& pp) { return pp.bytes(); }, pop.state);
    r.neuron_bytes += (pop.current_static.size() + pop.current_step.size()) * sizeof(double) +
                      pop.fired.size() +
                      (pop.user_of_internal.size() + pop.internal_of_user.size()) * 4;
  }
  return r;
}

}  // namespace spikeq::detail
