// Izhikevich (2007) distal reward (daspnet.m), as models/izhikevich2007_dastdp.yaml:
// 800 excitatory RS, 200 inhibitory FS neurons, 100 synapses each drawn with
// replacement (excitatory to any neuron, inhibitory to excitatory ones), all delays 1 ms,
// weights +1 / -1, excitatory synapses learn by dopamine-modulated STDP applied every
// 10 ms, and every neuron gets 13 (U(0,1) - 0.5) each ms. One extra excitatory synapse,
// neuron 1 -> neuron `rewarded_target`, starts at 0; a reward (dopamine +0.5) follows
// 1-3 s after the target fires within 20 ms after neuron 1.
#include <cmath>
#include <tuple>

#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_dastdp(std::uint32_t n) {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const auto ne = static_cast<std::uint32_t>(0.8 * n);
  const std::uint32_t ni = n - ne;
  constexpr std::uint32_t kOut = 100;

  Izh::params exc = Izh::params::preset(Izh::Preset::RS);
  Izh::params inh = exc;
  inh.a = 0.1;
  inh.d = 2.0;
  BenchNetwork b{"DaStdp2007", Network(1.0), {}, {}};
  const PopulationId E = b.network.add_population("exc", ne, exc);
  const PopulationId I = b.network.add_population("inh", ni, inh);
  b.populations = {E, I};

  ModulatorSpec da{.name = "dopamine", .tau = -1.0 / std::log(0.995), .baseline = 0.002};
  da.sources.push_back(modulation::PairReward{.first_population = E.index,
                                              .first = 1,
                                              .second_population = E.index,
                                              .second = kDaStdpRewardedTarget,
                                              .window = 20.0,
                                              .latency_min = 1001.0,
                                              .latency_max = 3000.0,
                                              .amount = 0.5});
  b.network.add_modulator(da);

  using namespace spikeq::plasticity;
  const double tau = -1.0 / std::log(0.95);
  // daspnet's depression reads the trace one step before spikeq's arrival: 1.5 x 0.1 / 0.95.
  const PlasticitySpec rule{
      .rule = Stdp{.A_plus = 0.1, .A_minus = 0.15 / 0.95, .tau_plus = tau, .tau_minus = tau,
                   .pairing = Pairing::nearest},
      .apply = Interval{.interval = 10.0, .bias = 0.0, .decay = 0.99},
      .modulator = "dopamine",
      .w_min = 0.0,
      .w_max = 4.0};
  // Targets with replacement among all neurons: split by target population with the
  // expected 80 / 20 shares.
  const std::uint32_t to_inh = kOut * ni / n;
  for (auto [target, k, name] : {std::tuple{E, kOut - to_inh, "exc-exc"},
                                 std::tuple{I, to_inh, "exc-inh"}}) {
    b.projections.push_back(b.network.connect(
        E, target, connect::FixedOutdegree{k},
        {.weight = 1.0, .delay = 1.0, .receptor = {}, .allow_autapses = true,
         .allow_multapses = true, .plasticity = rule},
        name));
  }
  b.projections.push_back(b.network.connect(
      E, E, connect::Explicit{{1}, {kDaStdpRewardedTarget}},
      {.weight = 0.0, .delay = 1.0, .receptor = {}, .allow_autapses = true,
       .allow_multapses = true, .plasticity = rule},
      "rewarded"));
  b.projections.push_back(b.network.connect(I, E, connect::FixedOutdegree{kOut},
                                            {.weight = -1.0, .delay = 1.0}, "inh-exc"));
  const double sd = 13.0 / std::sqrt(12.0);
  const NoiseInput thalamus{.mean = 0.0, .sd = sd, .distribution = NoiseDistribution::uniform};
  b.network.add_input(E, thalamus, "thalamus_exc");
  b.network.add_input(I, thalamus, "thalamus_inh");
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
