// Pair-based STDP against its formulas (models.md §8, validation V19): the pairing
// convention, all-to-all against nearest pairing, weight dependence and bounds.
#include <doctest/doctest.h>

#include <cmath>

#include "pair_network.hpp"

using namespace spikeq;
using namespace spikeq::plasticity;
using spikeq_test::pair_network;
using spikeq_test::weight;

namespace {

PlasticitySpec additive(double a_plus, double a_minus, Pairing pairing = Pairing::all_to_all) {
  return PlasticitySpec{.rule = Stdp{.A_plus = a_plus, .A_minus = a_minus, .tau_plus = 20.0,
                                     .tau_minus = 20.0, .pairing = pairing},
                        .w_min = 0.0,
                        .w_max = 10.0};
}

/// Synapse-time lag (ms) of the post spike after the presynaptic arrival S + d.
double lag_ms(const Simulation& sim, const spikeq_test::PairNetwork& p, std::size_t pre_index,
              double delay) {
  const SpikeRecord& pre = sim.spikes(p.pre);
  const SpikeRecord& post = sim.spikes(p.post);
  REQUIRE(post.size() == 1);
  return post.time(0) - (pre.time(pre_index) + delay);
}

}  // namespace

TEST_CASE("a pre-before-post pair at +10 ms potentiates by A+ exp(-10/20)") {
  // Pre at 20 ms, delay 1 ms: arrival 21 ms. The driver spike at 30.9 ms arrives at 31 ms
  // and the post neuron fires in that update: stamp 31 ms, lag 10 ms.
  auto p = pair_network({20.0}, {30.9}, additive(0.01, 0.0105));
  Simulation sim(p.net);
  sim.run(60.0);
  REQUIRE(lag_ms(sim, p, 0, 1.0) == doctest::Approx(10.0));
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + 0.01 * std::exp(-0.5)).epsilon(1e-6));
}

TEST_CASE("a post-before-pre pair at -10 ms depresses by A- exp(-10/20)") {
  auto p = pair_network({30.0}, {20.9}, additive(0.01, 0.0105));
  Simulation sim(p.net);
  sim.run(60.0);
  REQUIRE(lag_ms(sim, p, 0, 1.0) == doctest::Approx(-10.0));
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 - 0.0105 * std::exp(-0.5)).epsilon(1e-6));
}

TEST_CASE("a post spike in the update that consumes the input counts as after it") {
  // Arrival at 21 ms; the post neuron fires in the same update (stamp 21 ms): lag 0.
  auto p = pair_network({20.0}, {20.9}, additive(0.01, 0.0105));
  Simulation sim(p.net);
  sim.run(40.0);
  REQUIRE(lag_ms(sim, p, 0, 1.0) == doctest::Approx(0.0));
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + 0.01).epsilon(1e-6));
}

TEST_CASE("all-to-all and nearest pairing differ as their formulas say") {
  // Two pre spikes (arrivals 11 and 21 ms) before one post spike at 31 ms.
  const double lag1 = 20.0, lag2 = 10.0;
  auto all = pair_network({10.0, 20.0}, {30.9}, additive(0.01, 0.0, Pairing::all_to_all));
  auto nearest = pair_network({10.0, 20.0}, {30.9}, additive(0.01, 0.0, Pairing::nearest));
  Simulation a(all.net), n(nearest.net);
  a.run(60.0);
  n.run(60.0);
  REQUIRE(lag_ms(a, all, 0, 1.0) == doctest::Approx(lag1));
  REQUIRE(lag_ms(a, all, 1, 1.0) == doctest::Approx(lag2));
  const double both = 0.01 * (std::exp(-lag1 / 20.0) + std::exp(-lag2 / 20.0));
  CHECK(weight(a, all.plastic) == doctest::Approx(1.0 + both).epsilon(1e-6));
  CHECK(weight(n, nearest.plastic) == doctest::Approx(1.0 + 0.01 * std::exp(-lag2 / 20.0)).epsilon(1e-6));
}

TEST_CASE("the delay is axonal unless part of it is declared dendritic") {
  // Delay 5 ms, 2 ms of it dendritic: the pre spike at 20 ms reaches the synapse at 23 ms;
  // the post spike stamped 31 ms reaches it at 33 ms: lag 10 ms.
  PlasticitySpec spec = additive(0.01, 0.0);
  spec.dendritic_delay = 2.0;
  auto p = pair_network({20.0}, {30.9}, spec, 1.0, 5.0);
  Simulation sim(p.net);
  sim.run(60.0);
  REQUIRE(sim.spikes(p.post).time(0) == doctest::Approx(31.0));
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + 0.01 * std::exp(-0.5)).epsilon(1e-6));
}

TEST_CASE("multiplicative and power-law dependence scale by the distance to the bounds") {
  PlasticitySpec mult = additive(0.01, 0.0);
  std::get<Stdp>(mult.rule).dependence = WeightDependence::multiplicative;
  auto p = pair_network({20.0}, {30.9}, mult, 4.0);
  Simulation sim(p.net);
  sim.run(60.0);
  CHECK(weight(sim, p.plastic) ==
        doctest::Approx(4.0 + 0.01 * (10.0 - 4.0) * std::exp(-0.5)).epsilon(1e-6));

  PlasticitySpec power = additive(0.0, 0.01);
  auto& stdp = std::get<Stdp>(power.rule);
  stdp.dependence = WeightDependence::power_law;
  stdp.mu_minus = 0.5;
  auto q = pair_network({30.0}, {20.9}, power, 4.0);
  Simulation sim2(q.net);
  sim2.run(60.0);
  CHECK(weight(sim2, q.plastic) ==
        doctest::Approx(4.0 - 0.01 * 10.0 * std::pow(0.4, 0.5) * std::exp(-0.5)).epsilon(1e-6));
}

TEST_CASE("weights never leave their bounds") {
  std::vector<double> pre, post;
  for (int k = 0; k < 40; ++k) {
    pre.push_back(10.0 + 25.0 * k);
    post.push_back(15.9 + 25.0 * k);  // 5 ms after each arrival
  }
  auto up = pair_network(pre, post, additive(3.0, 0.0));
  Simulation a(up.net);
  a.run(1100.0);
  CHECK(weight(a, up.plastic) == 10.0);

  auto down = pair_network(post, pre, additive(0.0, 3.0));  // post first
  Simulation b(down.net);
  b.run(1100.0);
  CHECK(weight(b, down.plastic) == 0.0);
}

TEST_CASE("the derivative accumulator applies bias plus sd once per interval") {
  PlasticitySpec spec = additive(0.1, 0.0);
  spec.apply = Interval{.interval = 100.0, .bias = 0.01, .decay = 0.9};
  auto p = pair_network({20.0}, {30.9}, spec);
  Simulation sim(p.net);
  sim.run(99.0);
  CHECK(weight(sim, p.plastic) == 1.0);  // nothing applied before the first interval
  sim.run(1.0);
  const double sd = 0.1 * std::exp(-0.5);
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + 0.01 + sd).epsilon(1e-6));
  sim.run(100.0);
  CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + 0.02 + sd * 1.9).epsilon(1e-6));
}

TEST_CASE("Vogels-Sprekeler inhibitory STDP: a symmetric window minus alpha per presynaptic spike") {
  // alpha = 2 rho0 tau = 2 x 5 Hz x 20 ms = 0.2. A pair at +-10 ms changes the weight by
  // eta (e^-0.5 - alpha) whichever comes first: the arrival subtracts eta alpha (plus
  // eta x_post if the post spike came first), the post spike adds eta x_pre.
  const VogelsSprekeler rule{.eta = 0.01, .tau = 20.0, .rho0 = 5.0};
  const double expected = 0.01 * (std::exp(-0.5) - 0.2);
  const PlasticitySpec positive{.rule = rule, .w_min = 0.0, .w_max = 10.0};
  for (auto [pre, post] : {std::pair{20.0, 30.9}, std::pair{30.0, 20.9}}) {
    auto p = pair_network({pre}, {post}, positive);
    Simulation sim(p.net);
    sim.run(60.0);
    CHECK(std::fabs(lag_ms(sim, p, 0, 1.0)) == doctest::Approx(10.0));
    CHECK(weight(sim, p.plastic) == doctest::Approx(1.0 + expected).epsilon(1e-6));
  }
  // Negative (current-based inhibitory) weights: the same change of |w|.
  const PlasticitySpec negative{.rule = rule, .w_min = -10.0, .w_max = 0.0};
  auto p = pair_network({20.0}, {30.9}, negative, -1.0);
  Simulation sim(p.net);
  sim.run(60.0);
  CHECK(weight(sim, p.plastic) == doctest::Approx(-1.0 - expected).epsilon(1e-6));
  // A presynaptic spike alone depresses by eta alpha.
  auto lone = pair_network({20.0}, {}, positive);
  Simulation sim2(lone.net);
  sim2.run(60.0);
  CHECK(weight(sim2, lone.plastic) == doctest::Approx(1.0 - 0.01 * 0.2).epsilon(1e-6));
}

TEST_CASE("Vogels-Sprekeler: bounds of both signs and an update mode are rejected") {
  PlasticitySpec both{.rule = VogelsSprekeler{}, .w_min = -1.0, .w_max = 1.0};
  auto p = pair_network({20.0}, {30.9}, both, 0.0);
  CHECK_THROWS_WITH_AS(Simulation(p.net), doctest::Contains("bounds of one sign"), InvalidParameter);
  PlasticitySpec interval{.rule = VogelsSprekeler{}, .apply = Interval{}, .w_min = 0.0, .w_max = 1.0};
  auto q = pair_network({20.0}, {30.9}, interval, 0.0);
  CHECK_THROWS_WITH_AS(Simulation(q.net), doctest::Contains("at once"), InvalidParameter);
}
