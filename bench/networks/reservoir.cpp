// A heterogeneous Izhikevich reservoir with an error-modulated three-factor readout, as
// models/reservoir_three_factor.yaml (docs/models/reservoir_three_factor.md):
//   - reservoir: 80 % excitatory (RS to CH) and 20 % inhibitory (FS to LTS) neurons with
//     Izhikevich's (2003) heterogeneity, sparse random coupling (p = 0.01: about 4
//     excitatory and 1 inhibitory input per neuron) of strong synapses, excitatory delays
//     uniform in 1-30 ms, inhibitory ones 1 ms, and weak noise (sd 1 pA per 1 ms step).
//     It keeps up irregular activity of its own (about 12 Hz excitatory);
//   - cue: one spike source firing kReservoirCue ms into every trial, through 400
//     synapses of 30 pA to excitatory neurons drawn with replacement: a volley that sets
//     off the same burst, lull and recovery in every trial;
//   - readout: one LIF neuron (tau_m 20 ms, tau_syn 5 ms) driven by noise to a few
//     spontaneous spikes per second, with plastic input from every excitatory neuron
//     (weights from 0, within +-300 pA). The error rule changes them every 1 ms step by
//     eta (target - y) x_pre, gated by the "attention" modulator; y is the readout's spike
//     trace (tau_post 20 ms) and "target" jumps by 3 (three spikes' worth of trace) at
//     cue + kReservoirTargetDelay in every trial and decays with 20 ms.
#include <vector>

#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_reservoir_three_factor(const ReservoirThreeFactorOptions& o) {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const auto ne = static_cast<std::uint32_t>(0.8 * o.size);
  const std::uint32_t ni = o.size - ne;
  const std::uint32_t trials = o.train_trials + o.test_trials;

  BenchNetwork b{"ReservoirThreeFactor", Network(1.0), {}, {}};
  Network& net = b.network;
  const PopulationId E =
      net.add_population("exc", ne, Izh::params::paper_2003(true, ne, o.seed, "exc"));
  const PopulationId I =
      net.add_population("inh", ni, Izh::params::paper_2003(false, ni, o.seed, "inh"));
  std::vector<double> cue_times, target_times;
  for (std::uint32_t k = 0; k < trials; ++k) {
    cue_times.push_back(k * kReservoirTrial + kReservoirCue);
    target_times.push_back(k * kReservoirTrial + kReservoirCue + kReservoirTargetDelay);
  }
  const PopulationId C =
      net.add_population("cue", 1, neurons::spike_source_array::params{.times = {cue_times}});
  const PopulationId R = net.add_population(
      "readout", 1,
      neurons::lif_psc_exp::params{.tau_m = 20.0, .tau_syn_ex = 5.0, .tau_syn_in = 5.0});
  b.populations = {E, I, C, R};

  const connect::FixedProbability sparse{0.01};
  b.projections.push_back(
      net.connect(E, E, sparse, {.weight = 22.0, .delay = Uniform{1.0, 30.0}}, "exc->exc"));
  b.projections.push_back(
      net.connect(E, I, sparse, {.weight = 22.0, .delay = Uniform{1.0, 30.0}}, "exc->inh"));
  b.projections.push_back(net.connect(I, E, sparse, {.weight = -10.0, .delay = 1.0}, "inh->exc"));
  b.projections.push_back(net.connect(I, I, sparse, {.weight = -10.0, .delay = 1.0}, "inh->inh"));
  b.projections.push_back(
      net.connect(C, E, connect::FixedOutdegree{400}, {.weight = 30.0, .delay = 1.0}, "cue->exc"));
  net.add_input(E, NoiseInput{.mean = 0.0, .sd = 1.0}, "noise_exc");
  net.add_input(I, NoiseInput{.mean = 0.0, .sd = 1.0}, "noise_inh");
  net.add_input(R, NoiseInput{.mean = 150.0, .sd = 150.0}, "noise_readout");

  net.add_modulator(ModulatorSpec{
      .name = "target",
      .tau = 20.0,
      .sources = {modulation::Schedule{target_times, std::vector<double>(trials, 3.0)}}});
  ModulatorSpec attention{.name = "attention"};
  if (o.attention && o.train_trials > 0) {
    attention.sources.push_back(
        modulation::Schedule{{0.0, o.train_trials * kReservoirTrial}, {1.0, -1.0}});
  }
  net.add_modulator(attention);

  using namespace spikeq::plasticity;
  b.projections.push_back(
      net.connect(E, R, connect::AllToAll{},
                  {.weight = 0.0,
                   .delay = 1.0,
                   .receptor = "ex",
                   .plasticity = PlasticitySpec{.rule = ErrorRule{.eta = 1.0,
                                                                  .tau_pre = 20.0,
                                                                  .tau_post = 20.0,
                                                                  .target = "target",
                                                                  .gate = "attention"},
                                                .w_min = -300.0,
                                                .w_max = 300.0}},
                  "readout"));
  for (const PopulationId pop : b.populations) net.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
