// The event queue: a spike stamped at step S with delay d reaches its target at step
// S + d, exactly once, for every d in range (models.md V20); sums are exact.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "spikeq/spikeq.hpp"

using namespace spikeq;
using Delta = neurons::lif_psc_delta;

namespace {

/// A delta-synapse neuron without leak or threshold: V - E_L is the sum of every weight
/// that has arrived, so V's trace shows exactly when each input landed.
Delta::params integrator() {
  Delta::params p;
  p.E_L = 0.0;
  p.V_init = 0.0;
  p.V_reset = -1e9;
  p.tau_m = 1e300;
  p.V_th = 1e12;
  return p;
}

}  // namespace

TEST_CASE("every delay 1..1000 steps lands at exactly S + d and at no other step (V20)") {
  constexpr std::uint32_t D = 1000;
  const double dt = 0.1;
  Network net(dt);
  net.set_max_delay(D * dt);
  auto src = net.add_population("src", 1, neurons::spike_source_array::params{{{0.5}}});  // S = 5
  auto tgt = net.add_population("tgt", D, integrator());
  connect::Explicit pairs;
  std::vector<double> delays;
  for (std::uint32_t d = 1; d <= D; ++d) {
    pairs.sources.push_back(0);
    pairs.targets.push_back(d - 1);
    delays.push_back(d * dt);
  }
  net.connect(src, tgt, pairs, {.weight = 1.0, .delay = delays});
  auto rec = net.record_state(tgt, "V", {}, dt);
  Simulation sim(net);
  CHECK(sim.build_info().max_delay == D);
  CHECK(sim.build_info().min_delay == 1);
  sim.run((D + 20) * dt);
  const auto& tr = sim.trace(rec);
  // Every step sampled, every target recorded: the checks below cannot pass vacuously.
  REQUIRE(tr.samples() == static_cast<std::size_t>(D + 20));
  REQUIRE(tr.neurons.size() == static_cast<std::size_t>(D));
  for (std::uint32_t j = 0; j < D; ++j) {
    const Step arrival = 5 + (j + 1);
    for (std::size_t k = 0; k < tr.samples(); ++k) {
      const double expected = tr.steps[k] >= arrival ? 1.0 : 0.0;
      if (tr.at(k, j) != expected) {
        FAIL_CHECK("delay " << j + 1 << ": V = " << tr.at(k, j) << " at step " << tr.steps[k]);
        break;
      }
    }
  }
}

TEST_CASE("random spikes through heterogeneous delays match a brute-force queue exactly") {
  // 40 sources fire at random steps; 30 targets integrate what arrives. The expected
  // input of every target at every step is computed from the synapse list directly.
  const double dt = 0.1;
  std::mt19937 gen(7);
  std::vector<std::vector<double>> times(40);
  for (auto& t : times) {
    for (int k = 1; k <= 400; ++k) {
      if (gen() % 7 == 0) t.push_back(k * dt);
    }
  }
  for (bool homogeneous_weight : {false, true}) {
    CAPTURE(homogeneous_weight);
    Network net(dt);
    auto src = net.add_population("src", 40, neurons::spike_source_array::params{times});
    auto tgt = net.add_population("tgt", 30, integrator());
    SynapseSpec syn;
    syn.delay = Uniform{0.1, 6.0};
    syn.weight = homogeneous_weight ? Value(0.25) : Value(Uniform{-2.0, 2.0});
    auto proj = net.connect(src, tgt, connect::FixedProbability{0.3}, syn);
    auto rec = net.record_state(tgt, "V", {}, dt);
    Simulation sim(net);
    sim.run(50.0);

    const SynapseList syns = sim.synapses(proj);
    REQUIRE(syns.sources.size() > 200);
    std::map<std::pair<Step, std::uint32_t>, double> arrivals;  // (step, target) -> sum
    for (std::size_t k = 0; k < syns.sources.size(); ++k) {
      for (double t : times[syns.sources[k]]) {
        const auto S = static_cast<Step>(std::llround(t / dt));
        arrivals[{S + syns.delays[k], syns.targets[k]}] += syns.weights[k];
      }
    }
    const auto& tr = sim.trace(rec);
    REQUIRE(tr.samples() == static_cast<std::size_t>(std::llround(50.0 / dt)));
    REQUIRE(tr.neurons.size() == 30);
    REQUIRE(arrivals.size() > 100);
    std::vector<double> v(30, 0.0);
    std::size_t mismatches = 0;
    for (std::size_t k = 0; k < tr.samples(); ++k) {
      for (std::uint32_t j = 0; j < 30; ++j) {
        auto it = arrivals.find({tr.steps[k], j});
        if (it != arrivals.end()) v[j] += it->second;
        if (std::fabs(tr.at(k, j) - v[j]) > 1e-5) ++mismatches;
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("delays are rounded to whole steps and reported per synapse") {
  Network net(0.1);
  auto a = net.add_population("a", 1, neurons::spike_source_array::params{{{1.0}}});
  auto b = net.add_population("b", 3, integrator());
  auto p = net.connect(a, b, connect::Explicit{{0, 0, 0}, {0, 1, 2}},
                       {.weight = 1.0, .delay = std::vector<double>{0.149, 0.151, 2.0}});
  Simulation sim(net);
  const auto s = sim.synapses(p);
  std::map<std::uint32_t, std::uint32_t> delay_of;
  for (std::size_t k = 0; k < s.targets.size(); ++k) delay_of[s.targets[k]] = s.delays[k];
  CHECK(delay_of[0] == 1);
  CHECK(delay_of[1] == 2);
  CHECK(delay_of[2] == 20);
}

TEST_CASE("a delay out of range is an error that names the projection") {
  Network net(0.1);
  auto a = net.add_population("a", 2, neurons::lif_psc_exp::params{});
  auto b = net.add_population("b", 2, neurons::lif_psc_exp::params{});
  SUBCASE("shorter than one step") {
    net.connect(a, b, connect::AllToAll{}, {.delay = 0.04}, "a_to_b");
    CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains("projection 'a_to_b': delay 0.04 ms is shorter than one step"),
                         InvalidConnection);
  }
  SUBCASE("beyond the model's max_delay") {
    net.set_max_delay(5.0);
    net.connect(a, b, connect::AllToAll{}, {.delay = Uniform{1.0, 7.5}}, "slow");
    CHECK_THROWS_WITH_AS(Simulation{net},
                         doctest::Contains("projection 'slow': delay 7.5 ms (75 steps) exceeds the longest allowed delay of 5 ms (50 steps)"),
                         InvalidConnection);
  }
  SUBCASE("beyond the hard limit of 65535 steps") {
    net.connect(a, b, connect::AllToAll{}, {.delay = 6553.6}, "huge");
    CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains("65535 steps"), InvalidConnection);
  }
  SUBCASE("an unbounded distribution") {
    net.connect(a, b, connect::AllToAll{}, {.delay = Normal{5.0, 1.0}}, "open");
    CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains("projection 'open': delay normal(mean 5, sd 1) is unbounded"),
                         InvalidConnection);
  }
  SUBCASE("max_delay itself out of range") {
    net.set_max_delay(0.01);
    CHECK_THROWS_AS(Simulation{net}, CapacityError);
  }
}

TEST_CASE("the longest delay the group table holds, 65535 steps, works") {
  Network net(0.01);
  auto a = net.add_population("a", 1, neurons::spike_source_array::params{{{0.01}}});
  auto b = net.add_population("b", 1, integrator());
  net.connect(a, b, connect::OneToOne{}, {.weight = 1.0, .delay = 655.35});
  Simulation sim(net);
  CHECK(sim.build_info().max_delay == 65535);
  sim.run(655.35);
  CHECK(sim.state(b, "V")[0] == 0.0);  // arrives at step 1 + 65535 = 65536
  sim.run(0.01);
  CHECK(sim.state(b, "V")[0] == 1.0);
}

TEST_CASE("input sums are exact and independent of delivery order") {
  // 1000 sources with weights 1e-3 .. converge on one neuron in the same step: the fixed-
  // point sum equals the exact sum of the float weights to the fixed-point resolution.
  Network net(0.1);
  std::vector<std::vector<double>> t(1000, std::vector<double>{1.0});
  auto a = net.add_population("a", 1000, neurons::spike_source_array::params{t});
  auto b = net.add_population("b", 1, integrator());
  std::vector<double> w(1000);
  double exact = 0.0;
  for (int k = 0; k < 1000; ++k) {
    w[k] = (k % 2 ? -1.0 : 1.0) * 1e-3 * (k + 1);
    exact += static_cast<double>(static_cast<float>(w[k]));
  }
  net.connect(a, b, connect::AllToAll{}, {.weight = w, .delay = 1.0});
  Simulation sim(net);
  sim.run(3.0);
  CHECK(std::fabs(sim.state(b, "V")[0] - exact) < 1000 * 0x1p-32);
}
