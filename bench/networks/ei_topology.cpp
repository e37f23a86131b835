#include "ei_topology.hpp"

namespace spikeq_bench {

EiSizes ei_sizes(std::uint32_t n) {
  // Same double expression as the peers' int(0.8 * N), so the split is identical.
  const auto exc = static_cast<std::uint32_t>(0.8 * n);
  return {exc, n - exc};
}

void connect_ei(BenchNetwork& b, spikeq::PopulationId exc, spikeq::PopulationId inh,
                std::uint32_t n, const spikeq::SynapseSpec& from_exc,
                const spikeq::SynapseSpec& from_inh) {
  const spikeq::connect::FixedProbability rule{80.0 / n};
  for (const spikeq::PopulationId target : {exc, inh}) {
    b.projections.push_back(b.network.connect(exc, target, rule, from_exc));
    b.projections.push_back(b.network.connect(inh, target, rule, from_inh));
  }
}

}  // namespace spikeq_bench
