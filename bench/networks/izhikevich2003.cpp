// Izhikevich (2003) random network, as ../shared/peers/brian2/izhikevich2003.py:
// N neurons, 80 % excitatory, all-to-all (self-connections included), weights scaled
// by 1000 / N, thalamic noise, dt = 1 ms, a spike's weights act in the next step.
#include <vector>

#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_izhikevich2003(std::uint32_t n, std::uint64_t seed) {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const auto ne = static_cast<std::uint32_t>(0.8 * n);  // the peer's int(0.8 * N)
  const std::uint32_t ni = n - ne;
  const double wscale = 1000.0 / n;

  // One r ~ U(0, 1) per neuron shapes two of its parameters (the paper's heterogeneity);
  // v(0) = -65 and u(0) = b v(0) are the model's defaults, as is the listing's scheme.
  const Izh::params exc = Izh::params::paper_2003(true, ne, seed, "exc");
  const Izh::params inh = Izh::params::paper_2003(false, ni, seed, "inh");

  BenchNetwork b{"Izhikevich2003", Network(1.0), {}, {}};
  const PopulationId E = b.network.add_population("exc", ne, exc);
  const PopulationId I = b.network.add_population("inh", ni, inh);
  b.populations = {E, I};
  for (const PopulationId target : {E, I}) {
    b.projections.push_back(b.network.connect(
        E, target, connect::AllToAll{}, {.weight = Uniform{0.0, 0.5 * wscale}, .delay = 1.0}));
    b.projections.push_back(b.network.connect(
        I, target, connect::AllToAll{}, {.weight = Uniform{-wscale, 0.0}, .delay = 1.0}));
  }
  // Named as in models/izhikevich2003.yaml: names key the random streams.
  b.network.add_input(E, NoiseInput{.mean = 0.0, .sd = 5.0}, "thalamus_exc");  // thalamic input
  b.network.add_input(I, NoiseInput{.mean = 0.0, .sd = 2.0}, "thalamus_inh");
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
