// Izhikevich (2006) "Polychronization: computation with spikes" (spnet), as
// ../shared/peers/brian2/polychronization.py and models/izhikevich2006_polychronization.yaml:
// 80 % excitatory RS, 20 % inhibitory FS neurons, 100 synapses per neuron without
// autapses or multapses (excitatory to any neuron, inhibitory to excitatory ones),
// excitatory delays 1..20 ms (5 synapses per value), inhibitory 1 ms, spnet's STDP with
// the once-per-second derivative update on excitatory synapses, and a thalamic input of
// 20 to one neuron per ms on average. dt = 1 ms.
#include <cmath>
#include <vector>

#include "networks.hpp"

namespace spikeq_bench {

spikeq::plasticity::PlasticitySpec spnet_stdp() {
  using namespace spikeq::plasticity;
  // spnet's traces decay x0.95 per ms. Its depression reads the postsynaptic trace one
  // step before spikeq's arrival time P = S + d (docs/models/izhikevich2006_polychronization.md),
  // hence 0.12 / 0.95 for the same pairs.
  const double tau = -1.0 / std::log(0.95);
  Stdp stdp{.A_plus = 0.1,
            .A_minus = 0.12 / 0.95,
            .tau_plus = tau,
            .tau_minus = tau,
            .pairing = Pairing::nearest};
  return PlasticitySpec{.rule = stdp,
                        .apply = Interval{.interval = 1000.0, .bias = 0.01, .decay = 0.9},
                        .w_min = 0.0,
                        .w_max = 10.0};
}

BenchNetwork make_polychronization(std::uint32_t n, bool plastic) {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const auto ne = static_cast<std::uint32_t>(0.8 * n);
  const std::uint32_t ni = n - ne;
  constexpr std::uint32_t kOut = 100;
  constexpr std::uint32_t kDelays = 20;

  Izh::params exc = Izh::params::preset(Izh::Preset::RS);
  Izh::params inh = exc;
  inh.a = 0.1;
  inh.d = 2.0;
  BenchNetwork b{plastic ? "Polychronization2006" : "Polychronization2006_static", Network(1.0),
                 {}, {}};
  const PopulationId E = b.network.add_population("exc", ne, exc);
  const PopulationId I = b.network.add_population("inh", ni, inh);
  b.populations = {E, I};

  // spnet draws each excitatory neuron's 100 distinct targets among all other neurons
  // and gives its k-th synapse the delay 1 + k / 5 ms. With excitatory and inhibitory
  // neurons in two populations, the 100 are 80 excitatory plus 20 inhibitory targets (the
  // expected split), each projection cycling through the 20 delays, so every neuron still
  // has 5 synapses per delay value.
  std::vector<double> delay_values(kDelays);
  for (std::uint32_t d = 0; d < kDelays; ++d) delay_values[d] = 1.0 + d;
  auto excitatory = [&](std::uint32_t k) {
    SynapseSpec syn{.weight = 6.0, .delay = Cycle{delay_values, k / kDelays}, .receptor = {},
                    .allow_autapses = false, .allow_multapses = false};
    if (plastic) syn.plasticity = spnet_stdp();
    return syn;
  };
  const std::uint32_t to_inh = kOut * ni / n;
  b.projections.push_back(b.network.connect(E, E, connect::FixedOutdegree{kOut - to_inh},
                                            excitatory(kOut - to_inh), "exc-exc"));
  b.projections.push_back(
      b.network.connect(E, I, connect::FixedOutdegree{to_inh}, excitatory(to_inh), "exc-inh"));
  b.projections.push_back(b.network.connect(
      I, E, connect::FixedOutdegree{kOut},
      {.weight = -5.0, .delay = 1.0, .allow_autapses = false, .allow_multapses = false},
      "inh-exc"));
  b.network.add_input(E, PoissonInput{.rate = 1.0, .weight = 20.0}, "thalamus_exc");
  b.network.add_input(I, PoissonInput{.rate = 1.0, .weight = 20.0}, "thalamus_inh");
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
