// Three-factor learning: eligibility traces turned into weight change by a modulator
// (models.md §3 and §7), the modulators' sources and dynamics, and the error rule.
#include <doctest/doctest.h>

#include <cmath>

#include "pair_network.hpp"

using namespace spikeq;
using namespace spikeq::plasticity;
using spikeq_test::pair_network;
using spikeq_test::weight;

namespace {

constexpr double kTauC = 1000.0;
constexpr double kTauM = 200.0;

PlasticitySpec eligibility(double a_plus) {
  return PlasticitySpec{.rule = Stdp{.A_plus = a_plus, .A_minus = 0.0},
                        .apply = Eligibility{.tau_c = kTauC},
                        .modulator = "da",
                        .w_min = 0.0,
                        .w_max = 10.0};
}

/// Weight after a +10 ms pair at 31 ms and a dopamine pulse `a` at `pulse` ms, read at
/// `end` ms.
double after_pulse(double pulse, double a, double end, double baseline = 0.0) {
  auto p = pair_network({20.0}, {30.9}, eligibility(0.01));
  p.net.add_modulator(ModulatorSpec{.name = "da", .tau = kTauM, .baseline = baseline,
                                    .sources = {modulation::Schedule{{pulse}, {a}}}});
  Simulation sim(p.net);
  sim.run(end);
  return weight(sim, p.plastic);
}

/// ∫_0^T c e^{-x/τc} (b + m e^{-x/τm}) dx.
double closed_form(double c, double m, double b, double T) {
  const double k = 1.0 / kTauC + 1.0 / kTauM;
  return c * (b * kTauC * (1.0 - std::exp(-T / kTauC)) + m * (1.0 - std::exp(-k * T)) / k);
}

}  // namespace

TEST_CASE("a modulator pulse turns the eligibility trace into weight as the closed form says") {
  const double c0 = 0.01 * std::exp(-0.5);  // the pair's STDP value, at the post spike (31 ms)
  for (double pulse : {100.0, 600.0, 1500.0}) {
    CAPTURE(pulse);
    const double c = c0 * std::exp(-(pulse - 31.0) / kTauC);  // the trace decays with tau_c
    const double end = pulse + 700.0;
    CHECK(after_pulse(pulse, 0.5, end) ==
          doctest::Approx(1.0 + closed_form(c, 0.5, 0.0, end - pulse)).epsilon(1e-6));
  }
}

TEST_CASE("without modulator the eligibility trace changes nothing, a baseline integrates it") {
  CHECK(after_pulse(5000.0, 0.5, 2000.0) == 1.0);
  const double c0 = 0.01 * std::exp(-0.5);
  CHECK(after_pulse(5000.0, 0.5, 2000.0, 0.01) ==
        doctest::Approx(1.0 + closed_form(c0, 0.0, 0.01, 2000.0 - 31.0)).epsilon(1e-6));
}

TEST_CASE("reading weights does not change a run") {
  auto p = pair_network({20.0, 300.0}, {30.9, 305.9}, eligibility(0.01));
  p.net.add_modulator(ModulatorSpec{.name = "da", .tau = kTauM,
                                    .sources = {modulation::Schedule{{100.0, 400.0}, {0.5, 0.5}}}});
  Simulation peek(p.net), plain(p.net);
  for (int k = 0; k < 10; ++k) {
    peek.run(100.0);
    (void)peek.weights(p.plastic);
    (void)peek.synapses(p.plastic);
  }
  plain.run(1000.0);
  CHECK(weight(peek, p.plastic) == weight(plain, p.plastic));
  CHECK(weight(plain, p.plastic) > 1.0);
}

TEST_CASE("an interval rule scales the accumulator by the modulator level (daspnet)") {
  PlasticitySpec spec = eligibility(0.1);
  spec.apply = Interval{.interval = 10.0, .bias = 0.0, .decay = 0.99};
  auto p = pair_network({20.0}, {30.9}, spec);
  const double tau_da = -1.0 / std::log(0.995);
  p.net.add_modulator(ModulatorSpec{.name = "da", .tau = tau_da, .baseline = 0.002,
                                    .sources = {modulation::Schedule{{200.0}, {0.5}}}});
  Simulation sim(p.net);
  sim.run(1000.0);
  // The same arithmetic written out: sd from the pair, applied every 10 ms from 40 ms on.
  double w = 1.0, sd = 0.1 * std::exp(-0.5);
  for (int t = 40; t <= 1000; t += 10) {
    const double da = t >= 200 ? 0.5 * std::pow(0.995, t - 200) : 0.0;
    w = std::clamp(w + (0.002 + da) * sd, 0.0, 10.0);
    sd *= 0.99;
  }
  CHECK(weight(sim, p.plastic) == doctest::Approx(w).epsilon(1e-5));
}

TEST_CASE("a volume transmitter adds its amount per spike after its delay") {
  Network net(1.0);
  const auto src = net.add_population(
      "da_cells", 3, neurons::spike_source_array::params{.times = {{10.0, 20.0}, {10.0}, {}}});
  net.add_modulator(ModulatorSpec{
      .name = "da", .tau = 100.0, .baseline = 0.1,
      .sources = {modulation::FromSpikes{.population = src.index, .neurons = {0, 1},
                                         .amount = 0.5, .delay = 5.0}}});
  Simulation sim(net);
  sim.run(14.0);
  CHECK(sim.modulator_level("da") == doctest::Approx(0.1));
  sim.run(2.0);  // both spikes of step 10 act at 15 ms
  CHECK(sim.modulator_level("da") == doctest::Approx(0.1 + 1.0 * std::exp(-1.0 / 100.0)));
  sim.run(20.0);  // t = 36: the second spike of neuron 0 acted at 25
  const double m25 = 1.0 * std::exp(-10.0 / 100.0) + 0.5;
  CHECK(sim.modulator_level("da") == doctest::Approx(0.1 + m25 * std::exp(-11.0 / 100.0)));
}

TEST_CASE("a modulator set from C++ between runs and from a callback during one") {
  Network net(1.0);
  net.add_population("x", 1, neurons::spike_source_array::params{.times = {{}}});
  net.add_modulator(ModulatorSpec{.name = "reward", .tau = 50.0});
  Simulation sim(net);
  sim.run(10.0);
  sim.add_to_modulator("reward", 2.0);
  sim.run(50.0);
  CHECK(sim.modulator_level("reward") == doctest::Approx(2.0 * std::exp(-1.0)));
  sim.set_modulator_level("reward", 0.25);
  sim.run(0.0);
  sim.run(1.0);
  CHECK(sim.modulator_level("reward") == doctest::Approx(0.25 * std::exp(-1.0 / 50.0)));
  std::vector<double> seen;
  sim.every(20.0, [&](Simulation& s) {
    seen.push_back(s.time());
    s.set_modulator_level("reward", 1.0);
  });
  sim.run(79.0);  // t = 61 .. 140: callbacks at 80, 100, 120, 140
  CHECK(seen == std::vector<double>{80.0, 100.0, 120.0, 140.0});
  CHECK(sim.modulator_level("reward") == doctest::Approx(1.0));
  CHECK_THROWS_AS((void)sim.modulator_level("dopamine"), NotFound);
}

TEST_CASE("a pair reward follows the second neuron's spike within the window by 1-3 s") {
  Network net(1.0);
  // A fires at 10, 500, 900; B at 15 (lag 5: reward), 600 (lag 100: none), 900 (lag 0: none).
  const auto a = net.add_population(
      "a", 1, neurons::spike_source_array::params{.times = {{10.0, 500.0, 900.0}}});
  const auto b = net.add_population(
      "b", 2, neurons::spike_source_array::params{.times = {{}, {15.0, 600.0, 900.0}}});
  net.add_modulator(ModulatorSpec{
      .name = "da", .tau = 1.0,
      .sources = {modulation::PairReward{.first_population = a.index, .first = 0,
                                         .second_population = b.index, .second = 1,
                                         .window = 20.0, .latency_min = 1000.0,
                                         .latency_max = 3000.0, .amount = 0.5}}});
  Simulation sim(net);
  // Exactly one jump of 0.5, at some step in [1015, 3015]: find it from the level.
  int jumps = 0;
  double when = -1.0;
  for (int t = 1; t <= 3100; ++t) {
    sim.run(1.0);
    if (sim.modulator_level("da") > 0.4) {
      ++jumps;
      when = sim.time();
    }
  }
  CHECK(jumps == 1);
  CHECK(when >= 1015.0);
  CHECK(when <= 3015.0);
}

TEST_CASE("the error rule moves the readout weight by eta (target - activity) x_pre, gated") {
  Network net(1.0);
  const auto pre = net.add_population(
      "pre", 1, neurons::spike_source_array::params{.times = {{10.0}}});
  const auto out = net.add_population("out", 1, neurons::lif_psc_delta::params{});
  net.add_modulator(ModulatorSpec{.name = "target", .initial = 0.8});
  net.add_modulator(ModulatorSpec{.name = "attention",
                                  .sources = {modulation::Schedule{{20.0}, {1.0}}}});
  const auto proj = net.connect(
      pre, out, connect::OneToOne{},
      {.weight = 1.0, .delay = 1.0,
       .plasticity = PlasticitySpec{.rule = ErrorRule{.eta = 0.01, .tau_pre = 20.0,
                                                      .tau_post = 20.0, .target = "target",
                                                      .gate = "attention"},
                                    .w_min = -5.0, .w_max = 5.0}});
  Simulation sim(net);
  sim.run(19.0);
  CHECK(sim.weights(proj)[0] == 1.0);  // gate closed
  sim.run(11.0);                       // t = 30: applied at 20, 21, ..., 30
  double w = 1.0;
  for (int t = 20; t <= 30; ++t) w += 0.01 * 1.0 * 0.8 * std::exp(-(t - 11.0) / 20.0);
  CHECK(sim.weights(proj)[0] == doctest::Approx(w).epsilon(1e-6));
}

TEST_CASE("Oja's rule moves each weight by eta dt y (scale x_pre - w y), every step") {
  Network net(1.0);
  const auto pre = net.add_population("pre", 1, neurons::spike_source_array::params{.times = {{10.0}}});
  const auto kick = net.add_population("kick", 1, neurons::spike_source_array::params{.times = {{20.0}}});
  neurons::lif_psc_delta::params lif;
  lif.t_ref = 50.0;  // one postsynaptic spike
  const auto out = net.add_population("out", 1, lif);
  net.connect(kick, out, connect::OneToOne{}, {.weight = 100.0, .delay = 1.0});
  const auto proj = net.connect(
      pre, out, connect::OneToOne{},
      {.weight = 0.5, .delay = 1.0,
       .plasticity = PlasticitySpec{.rule = OjaRule{.eta = 0.05, .tau_pre = 20.0, .tau_post = 10.0,
                                                    .scale = 2.0},
                                    .w_min = -5.0, .w_max = 5.0}});
  net.record_spikes(out);
  Simulation sim(net);
  sim.run(40.0);
  REQUIRE(sim.spikes(out).size() == 1);
  const double q = sim.spikes(out).time(0);  // the postsynaptic spike (ms = steps here)
  // No postsynaptic trace before q: nothing changes; from q on, every step t <= 40.
  double w = 0.5;
  for (double t = q; t <= 40.0; t += 1.0) {
    const double x = std::exp(-(t - 11.0) / 20.0), y = std::exp(-(t - q) / 10.0);
    w += 0.05 * y * (2.0 * x - w * y);
  }
  CHECK(sim.weights(proj)[0] == doctest::Approx(w).epsilon(1e-6));
  CHECK(sim.weights(proj)[0] != doctest::Approx(0.5));
}
