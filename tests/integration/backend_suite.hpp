#pragma once
// The backend-equivalence suite: every backend gives byte-identical spikes, sampled
// traces, final state, weights and modulator levels to the serial reference. Included by
// test_backends.cpp (the host backends and cuda-emulated) and test_cuda_backends.cpp (the
// cuda backend on a GPU), each of which first defines the backends it runs:
//   SPIKEQ_SUITE_ALL      the networks with static synapses;
//   SPIKEQ_SUITE_PLASTIC  the learning networks (left undefined: not run).
// A backend is a type with `static SimulationOptions options(std::uint64_t seed)`.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>

#include "networks.hpp"
#include "spikeq/spikeq.hpp"

namespace backend_suite {

using namespace spikeq;

struct Serial {
  static SimulationOptions options(std::uint64_t seed) {
    return {.seed = seed, .backend = "serial", .threads = 1};
  }
};

/// Byte equality: NaN == NaN and -0.0 != +0.0, unlike operator==.
template <typename T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

struct Outcome {
  std::vector<SpikeRecord> spikes;
  std::vector<StateTrace> traces;
  std::vector<std::vector<double>> state;
  std::vector<std::vector<float>> weights;  // per projection
  std::vector<double> modulators;           // levels at the end
  std::uint64_t total_spikes = 0;
};

/// Runs `network` for `duration` ms in `pieces` calls of run() of unequal lengths, which
/// must not matter.
Outcome run(const Network& network, const SimulationOptions& options, double duration,
            const std::vector<std::string>& state_variables, int pieces = 3) {
  Simulation sim(network, options);
  const auto steps = static_cast<std::int64_t>(std::llround(duration / network.dt()));
  std::int64_t done = 0;
  for (int k = 1; k <= pieces; ++k) {
    const std::int64_t until = k == pieces ? steps : steps * k / (pieces + 1);
    sim.run(static_cast<double>(until - done) * network.dt());
    done = until;
  }
  Outcome o;
  for (std::uint32_t p = 0; p < network.populations().size(); ++p) {
    const PopulationId id{p};
    o.total_spikes += sim.spike_count(id);
    if (network.spike_recording()[p]) o.spikes.push_back(sim.spikes(id));
    for (const std::string& v : state_variables) {
      try {
        o.state.push_back(sim.state(id, v));
      } catch (const NotFound&) {
        // Not every model has every variable.
      }
    }
  }
  for (std::uint32_t r = 0; r < network.state_recorders().size(); ++r) {
    o.traces.push_back(sim.trace(RecorderId{r}));
  }
  for (std::uint32_t k = 0; k < network.projections().size(); ++k) {
    o.weights.push_back(sim.weights(ProjectionId{k}));
  }
  for (const ModulatorSpec& m : network.modulators()) o.modulators.push_back(sim.modulator_level(m.name));
  return o;
}

template <typename Backend>
void check_matches_serial(const Network& network, double duration,
                          const std::vector<std::string>& state_variables,
                          std::uint64_t min_spikes, std::uint64_t seed = 7) {
  const Outcome ref = run(network, Serial::options(seed), duration, state_variables, 1);
  const Outcome got = run(network, Backend::options(seed), duration, state_variables);
  REQUIRE(ref.total_spikes >= min_spikes);  // the comparison must see real activity
  CHECK(got.total_spikes == ref.total_spikes);
  REQUIRE(got.spikes.size() == ref.spikes.size());
  for (std::size_t p = 0; p < ref.spikes.size(); ++p) {
    CAPTURE(p);
    CHECK(same_bytes(got.spikes[p].steps, ref.spikes[p].steps));
    CHECK(same_bytes(got.spikes[p].neurons, ref.spikes[p].neurons));
  }
  REQUIRE(got.traces.size() == ref.traces.size());
  for (std::size_t r = 0; r < ref.traces.size(); ++r) {
    CAPTURE(r);
    CHECK(!ref.traces[r].values.empty());
    CHECK(same_bytes(got.traces[r].steps, ref.traces[r].steps));
    CHECK(same_bytes(got.traces[r].values, ref.traces[r].values));
  }
  REQUIRE(got.state.size() == ref.state.size());
  for (std::size_t k = 0; k < ref.state.size(); ++k) {
    CAPTURE(k);
    CHECK(same_bytes(got.state[k], ref.state[k]));
  }
  REQUIRE(got.weights.size() == ref.weights.size());
  for (std::size_t k = 0; k < ref.weights.size(); ++k) {
    CAPTURE(k);
    CHECK(same_bytes(got.weights[k], ref.weights[k]));
  }
  CHECK(same_bytes(got.modulators, ref.modulators));
}

/// Weights of projection k after `duration` ms differ from before (the plastic cases must
/// really learn).
void check_learns(const Network& network, std::size_t k, double duration) {
  Simulation sim(network, Serial::options(7));
  const std::vector<float> before = sim.weights(ProjectionId{static_cast<std::uint32_t>(k)});
  sim.run(duration);
  CAPTURE(network.projections()[k].name);
  CHECK(!same_bytes(before, sim.weights(ProjectionId{static_cast<std::uint32_t>(k)})));
}

/// Records `variable` of a spread of neurons of every population, at two intervals.
void record_some(Network& net, const std::vector<PopulationId>& pops, const std::string& variable) {
  for (const PopulationId p : pops) {
    const std::uint32_t n = net.spec(p).size;
    net.record_state(p, variable, {n - 1, 0, n / 2, n / 3}, 2 * net.dt());
    net.record_state(p, variable, {}, 37 * net.dt());
  }
}

/// Every feature the kernels branch on: several models and receptors, weighted
/// heterogeneous delays, current steps on subsets, noise and Poisson subsets, spike
/// sources, a relabelled population, and recorders of several variables.
Network kitchen_sink() {
  Network net(0.1);
  neurons::lif_psc_alpha::params alpha;
  alpha.V_init = Uniform{-70.0, -55.0};
  neurons::lif_cond_exp::params cond;
  cond.V_init = Uniform{-70.0, -55.0};
  const auto a = net.add_population("alpha", 1500, alpha);
  const auto c = net.add_population("cond", 700, cond);
  const auto izh = net.add_population("izh", 300, neurons::izhikevich::params{});
  std::vector<std::vector<double>> times(40);
  for (std::uint32_t k = 0; k < times.size(); ++k) times[k] = {1.0 + k, 50.0 + 2 * k, 120.5};
  const auto src = net.add_population("src", 40, neurons::spike_source_array::params{times});
  const auto gen = net.add_population("gen", 30, neurons::poisson_source::params{.rate = 40.0});

  net.connect(a, a, connect::FixedProbability{0.02},
              {.weight = Normal{60.0, 20.0, 0.0, 200.0}, .delay = Uniform{0.1, 6.0}});
  net.connect(a, c, connect::FixedIndegree{40},
              {.weight = Uniform{0.5, 2.0}, .delay = Uniform{0.5, 3.0}, .receptor = "ex"});
  net.connect(c, a, connect::FixedOutdegree{30},
              {.weight = -80.0, .delay = 0.7, .receptor = "in"});
  net.connect(c, c, connect::FixedProbability{0.05},
              {.weight = Uniform{1.0, 4.0}, .delay = 2.0, .receptor = "in"});
  net.connect(src, a, connect::AllToAll{}, {.weight = 40.0, .delay = Uniform{0.2, 9.0}});
  net.connect(gen, izh, connect::FixedProbability{0.3}, {.weight = 6.0, .delay = 1.0});
  net.connect(izh, izh, connect::FixedProbability{0.1},
              {.weight = Uniform{-2.0, 4.0}, .delay = Uniform{0.3, 4.0}});
  net.connect(izh, c, connect::FixedIndegree{10}, {.weight = 1.0, .delay = 1.3, .receptor = "ex"});

  net.add_input(a, PoissonInput{.rate = 8000.0, .weight = 30.0});
  net.add_input(a, PoissonInput{.rate = 3000.0, .weight = -20.0, .neurons = {3, 700, 1499, 250}});
  net.add_input(c, PoissonInput{.rate = 5000.0, .weight = 1.5, .receptor = "ex"});
  net.add_input(c, NoiseInput{.mean = 50.0, .sd = 80.0, .neurons = {1, 2, 650, 400}});
  net.add_input(c, CurrentInput::steps({20.0, 60.0, 90.0}, {150.0, -40.0, 80.0}, {5, 699, 300}));
  net.add_input(a, CurrentInput::steps({30.0, 70.0}, {120.0, 0.0}));
  net.add_input(izh, NoiseInput{.mean = 3.0, .sd = 4.0});
  net.set_reordering(a, Reordering::cuthill_mckee);

  for (const PopulationId p : {a, c, izh, src, gen}) net.record_spikes(p);
  net.record_state(a, "V", {1499, 0, 700, 3}, 0.3);
  net.record_state(a, "I_ex", {}, 7.0);
  net.record_state(c, "g_ex", {699, 5, 300}, 0.1);
  net.record_state(izh, "u", {}, 2.0);
  return net;
}

/// Every plasticity branch: pairings, weight dependences, immediate, interval and
/// eligibility updates, a dendritic delay, the error rule, Oja's rule, Vogels-Sprekeler
/// inhibitory STDP on negative weights, modulators from spikes, a
/// schedule and pair rewards, heterogeneous delays, several tiles and a relabelled target.
Network plastic_sink() {
  using namespace spikeq::plasticity;
  Network net(0.1);
  neurons::lif_psc_exp::params lif;
  lif.V_init = Uniform{-70.0, -55.0};
  const auto a = net.add_population("a", 1500, lif);
  const auto b = net.add_population("b", 1100, lif);
  const auto da = net.add_population("da", 50, neurons::poisson_source::params{.rate = 20.0});
  const auto lat = net.add_population("lat", 90, lif);  // learns a subspace of a's activity
  net.add_modulator(ModulatorSpec{
      .name = "da", .tau = 200.0, .baseline = 0.01,
      .sources = {modulation::FromSpikes{.population = da.index, .amount = 0.05, .delay = 2.0},
                  modulation::Schedule{{50.0, 120.0}, {1.0, -0.5}}}});
  net.add_modulator(ModulatorSpec{
      .name = "reward", .tau = 100.0,
      .sources = {modulation::PairReward{.first_population = a.index, .first = 3,
                                         .second_population = b.index, .second = 7,
                                         .window = 50.0, .latency_min = 10.0,
                                         .latency_max = 40.0, .amount = 1.0}}});
  net.add_modulator(ModulatorSpec{.name = "target", .tau = 30.0,
                                  .sources = {modulation::Schedule{{40.0, 140.0}, {2.0, 2.0}}}});
  net.add_modulator(ModulatorSpec{
      .name = "gate", .sources = {modulation::FromSpikes{.population = da.index,
                                                         .neurons = {1, 2}, .amount = 0.5}}});

  const Stdp all{.A_plus = 5.0, .A_minus = 6.0, .tau_plus = 15.0, .tau_minus = 25.0};
  Stdp mult = all;
  mult.A_plus = 0.05;
  mult.A_minus = 0.06;
  mult.dependence = WeightDependence::multiplicative;
  Stdp power = mult;
  power.pairing = Pairing::nearest;
  power.dependence = WeightDependence::power_law;
  power.mu_plus = 0.3;
  power.mu_minus = 1.7;
  auto plastic = [](Stdp rule, Application apply, std::string modulator, double dendritic) {
    return PlasticitySpec{.rule = rule, .apply = apply, .modulator = std::move(modulator),
                          .w_min = 0.0, .w_max = 150.0, .dendritic_delay = dendritic};
  };
  net.connect(a, a, connect::FixedProbability{0.02},
              {.weight = Uniform{20.0, 120.0}, .delay = Uniform{0.5, 2.0}});
  net.connect(a, b, connect::FixedIndegree{60},
              {.weight = Uniform{10.0, 100.0}, .delay = Uniform{1.0, 6.0},
               .plasticity = plastic(mult, Immediate{}, "", 0.5)});
  net.connect(b, a, connect::FixedOutdegree{40},
              {.weight = 50.0, .delay = 1.5,
               .plasticity = plastic(power, Immediate{}, "", 0.0)});
  net.connect(b, b, connect::FixedProbability{0.03},
              {.weight = Uniform{0.0, 80.0}, .delay = Uniform{0.5, 4.0},
               .plasticity = plastic(all, Eligibility{.tau_c = 300.0}, "da", 0.0)});
  net.connect(a, b, connect::FixedProbability{0.02},
              {.weight = 40.0, .delay = 2.0,
               .plasticity = plastic(all, Interval{.interval = 7.0, .bias = 0.3, .decay = 0.8},
                                     "reward", 1.0)});
  net.connect(da, b, connect::AllToAll{},
              {.weight = Uniform{0.0, 20.0}, .delay = 0.5, .receptor = "ex",
               .plasticity = PlasticitySpec{.rule = ErrorRule{.eta = 0.5, .tau_pre = 10.0,
                                                              .tau_post = 20.0,
                                                              .target = "target",
                                                              .gate = "gate"},
                                            .apply = Interval{.interval = 0.3},
                                            .w_min = -50.0, .w_max = 50.0}});
  net.connect(b, a, connect::FixedIndegree{15},
              {.weight = Uniform{5.0, 30.0}, .delay = Uniform{0.5, 2.5}, .receptor = "ex",
               .plasticity = PlasticitySpec{.rule = OjaRule{.eta = 0.02, .tau_pre = 15.0,
                                                            .tau_post = 25.0, .scale = 40.0},
                                            .apply = Interval{.interval = 0.5},
                                            .w_min = 0.0, .w_max = 100.0}});
  net.connect(a, b, connect::FixedIndegree{20},
              {.weight = Uniform{-60.0, -10.0}, .delay = Uniform{0.5, 3.0},
               .plasticity = PlasticitySpec{.rule = VogelsSprekeler{.eta = 2.0, .rho0 = 8.0},
                                            .w_min = -150.0, .w_max = 0.0}});
  std::vector<ProjectionId> lateral;
  for (const Rule& rule : {Rule{OjaSubspaceRule{.eta = 0.01, .tau_pre = 15.0, .tau_post = 25.0,
                                                .scale = 30.0}},
                           Rule{SangerRule{.eta = 0.02, .tau_pre = 10.0, .tau_post = 20.0, .scale = 20.0}}}) {
    lateral.push_back(net.connect(a, lat, connect::FixedIndegree{40},
                {.weight = Uniform{0.0, 40.0}, .delay = Uniform{0.5, 2.0}, .receptor = "ex",
                 .plasticity = PlasticitySpec{.rule = rule, .apply = Interval{.interval = 1.5},
                                              .w_min = -60.0, .w_max = 60.0}}));
  }
  // HLOP: STDP from a learns outside the subspace lat's neurons consolidate twice.
  net.add_subspace(SubspaceSpec{.name = "a_space", .population = a, .learned_by = lateral[0],
                                .consolidate_at = {60.0, 150.0}});
  net.connect(a, b, connect::FixedIndegree{25},
              {.weight = Uniform{10.0, 60.0}, .delay = Uniform{0.5, 2.5},
               .plasticity = PlasticitySpec{.rule = all, .w_min = 0.0, .w_max = 150.0,
                                            .projection = "a_space"}});
  net.connect(lat, lat, connect::FixedProbability{0.1}, {.weight = 15.0, .delay = 1.0});
  net.add_input(a, PoissonInput{.rate = 9000.0, .weight = 20.0});
  net.add_input(b, PoissonInput{.rate = 8000.0, .weight = 20.0});
  net.add_input(lat, PoissonInput{.rate = 6000.0, .weight = 20.0});
  net.set_reordering(b, Reordering::cuthill_mckee);
  net.set_reordering(lat, Reordering::cuthill_mckee);
  for (const PopulationId p : {a, b, da, lat}) net.record_spikes(p);
  net.record_state(b, "V", {1099, 0, 7}, 0.5);
  return net;
}

}  // namespace backend_suite

#if defined(SPIKEQ_SUITE_PLASTIC)
namespace backend_suite {
TEST_CASE("backends: every plasticity branch really learns") {
  const Network net = plastic_sink();
  for (std::size_t k = 0; k < net.projections().size(); ++k) {
    if (net.projections()[k].synapse.plasticity) check_learns(net, k, 300.0);
  }
}

TEST_CASE_TEMPLATE("backends: every plasticity branch matches the serial backend", B,
                   SPIKEQ_SUITE_PLASTIC) {
  check_matches_serial<B>(plastic_sink(), 300.0, {"V"}, 2000);
}

TEST_CASE_TEMPLATE("backends: Izhikevich 2006 polychronization with STDP matches the serial backend",
                   B, SPIKEQ_SUITE_PLASTIC) {
  auto b = spikeq_bench::make_polychronization(1000, true);
  check_matches_serial<B>(b.network, 10000.0, {"v", "u"}, 20000);
}

TEST_CASE_TEMPLATE("backends: Izhikevich 2007 dopamine-modulated STDP matches the serial backend",
                   B, SPIKEQ_SUITE_PLASTIC) {
  auto b = spikeq_bench::make_dastdp(1000);
  check_matches_serial<B>(b.network, 10000.0, {"v"}, 10000);
}

}  // namespace backend_suite
#endif

namespace backend_suite {
TEST_CASE_TEMPLATE("backends: Izhikevich 2003 matches the serial backend", B, SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_izhikevich2003(1000, 5);
  record_some(b.network, b.populations, "v");
  check_matches_serial<B>(b.network, 400.0, {"v", "u"}, 1000);
}

TEST_CASE_TEMPLATE("backends: Vogels-Abbott CUBA matches the serial backend", B, SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_cuba(4000);
  record_some(b.network, b.populations, "V");
  check_matches_serial<B>(b.network, 200.0, {"V", "I_ex", "I_in"}, 1000);
}

TEST_CASE_TEMPLATE("backends: Vogels-Abbott COBA matches the serial backend", B, SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_coba(4000);
  record_some(b.network, b.populations, "g_in");
  check_matches_serial<B>(b.network, 200.0, {"V", "g_ex", "g_in"}, 1000);
}

TEST_CASE_TEMPLATE("backends: Brunel 2000 with delays of 1 to 20 ms matches the serial backend", B,
                   SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_brunel2000_hetero(2000);
  record_some(b.network, b.populations, "V");
  check_matches_serial<B>(b.network, 300.0, {"V"}, 5000);
}

TEST_CASE_TEMPLATE("backends: Brunel 2000 with one delay matches the serial backend", B,
                   SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_brunel2000(2000);
  check_matches_serial<B>(b.network, 200.0, {"V"}, 5000);
}

TEST_CASE_TEMPLATE("backends: scaled Potjans-Diesmann microcircuit matches the serial backend", B,
                   SPIKEQ_SUITE_ALL) {
  auto b = spikeq_bench::make_potjans_diesmann(0.04);
  record_some(b.network, {b.populations[0], b.populations[7]}, "V");
  check_matches_serial<B>(b.network, 150.0, {"V", "I_ex", "I_in"}, 500);
}

TEST_CASE_TEMPLATE("backends: every kernel branch matches the serial backend", B, SPIKEQ_SUITE_ALL) {
  check_matches_serial<B>(kitchen_sink(), 150.0, {"V", "g_in", "v"}, 1000, 11);
}
}  // namespace backend_suite
