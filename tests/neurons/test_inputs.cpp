// External drive: Poisson input and sources, currents, noise, spike arrays.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "spikeq/spikeq.hpp"

using namespace spikeq;
using Delta = neurons::lif_psc_delta;

namespace {

/// Leak-free, threshold-free neuron: V integrates input (jumps in mV, currents as
/// h I / C per step).
Delta::params integrator(double C = 100.0) {
  Delta::params p;
  p.E_L = 0.0;
  p.V_init = 0.0;
  p.V_reset = -1e9;
  p.V_th = 1e12;
  p.tau_m = 1e300;
  p.C_m = C;
  return p;
}

struct Moments {
  double mean, var;
};
Moments moments(const std::vector<double>& x) {
  const double m = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double v = 0;
  for (double y : x) v += (y - m) * (y - m);
  return {m, v / static_cast<double>(x.size() - 1)};
}

}  // namespace

TEST_CASE("Poisson input: counts have the right mean and a Fano factor of 1") {
  // Each neuron counts its own Poisson input (weight 1 mV). Bounds: 5 standard errors.
  struct Case { double rate, dt, ms; };
  for (auto c : {Case{50.0, 1.0, 10000.0},      // lambda = 0.05 per step (inversion)
                 Case{100000.0, 1.0, 1000.0}}) {  // lambda = 100 per step (PTRS)
    CAPTURE(c.rate);
    const std::uint32_t n = 2000;
    Network net(c.dt);
    auto p = net.add_population("p", n, integrator());
    net.add_input(p, PoissonInput{.rate = c.rate, .weight = 1.0});
    Simulation sim(net);
    sim.run(c.ms);
    const auto m = moments(sim.state(p, "V"));
    const double expected = c.rate * c.ms * 1e-3;
    CHECK(std::fabs(m.mean - expected) < 5.0 * std::sqrt(expected / n));
    const double fano = m.var / m.mean;
    CHECK(std::fabs(fano - 1.0) < 5.0 * std::sqrt(2.0 / (n - 1)));
  }
}

TEST_CASE("Poisson input: neurons are independent and a subset gets it alone") {
  Network net(1.0);
  auto p = net.add_population("p", 4, integrator());
  net.add_input(p, PoissonInput{.rate = 500.0, .weight = 1.0, .neurons = {1, 3}});
  Simulation sim(net);
  sim.run(1000.0);
  const auto v = sim.state(p, "V");
  CHECK(v[0] == 0.0);
  CHECK(v[2] == 0.0);
  CHECK(v[1] > 300.0);
  CHECK(v[1] != v[3]);
}

TEST_CASE("poisson_source: one Bernoulli(1 - exp(-rate dt)) draw per step") {
  const std::uint32_t n = 1000;
  Network net(1.0);
  auto p = net.add_population("src", n, neurons::poisson_source::params{.rate = 20.0});
  net.record_spikes(p);
  Simulation sim(net);
  sim.run(10000.0);
  std::vector<double> counts(n, 0.0);
  for (auto id : sim.spikes(p).neurons) counts[id] += 1.0;
  const double q = -std::expm1(-20.0 * 1e-3);
  const double expected = 10000 * q;
  const auto m = moments(counts);
  CHECK(std::fabs(m.mean - expected) < 5.0 * std::sqrt(expected * (1 - q) / n));
  CHECK(std::fabs(m.var / m.mean - (1 - q)) < 5.0 * std::sqrt(2.0 / (n - 1)));
  CHECK(sim.mean_rate(p) == doctest::Approx(q * 1000.0).epsilon(0.01));
}

TEST_CASE("step currents switch on at their time and act on the listed neurons") {
  const double dt = 0.1;
  Network net(dt);
  auto p = net.add_population("p", 2, integrator(100.0));
  // 100 pA from 1.0 ms to 3.0 ms on neuron 1: 0.1 mV per step for 20 steps.
  net.add_input(p, CurrentInput::steps({1.0, 3.0}, {100.0, 0.0}, {1}));
  net.add_input(p, CurrentInput::dc(-50.0));  // everyone: -0.05 mV per step
  auto rec = net.record_state(p, "V", {}, dt);
  Simulation sim(net);
  sim.run(5.0);
  const auto& tr = sim.trace(rec);
  REQUIRE(tr.samples() == 50);  // every step: the loop cannot pass vacuously
  REQUIRE(tr.neurons.size() == 2);
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    const double steps = static_cast<double>(tr.steps[k]);
    const double on = std::clamp(steps - 10.0, 0.0, 20.0);
    CHECK(tr.at(k, 0) == doctest::Approx(-0.05 * steps).epsilon(1e-9));
    CHECK(tr.at(k, 1) == doctest::Approx(0.1 * on - 0.05 * steps).epsilon(1e-9));
  }
}

TEST_CASE("noise current: mean + sd N(0,1) drawn per neuron and step") {
  const std::uint32_t n = 2000;
  Network net(0.1);
  auto p = net.add_population("p", n, integrator(100.0));  // 0.001 mV per pA per step
  net.add_input(p, NoiseInput{.mean = 2.0, .sd = 3.0});
  Simulation sim(net);
  sim.run(100.0);  // 1000 steps
  const auto m = moments(sim.state(p, "V"));
  CHECK(m.mean == doctest::Approx(0.001 * 2.0 * 1000).epsilon(0.01));
  CHECK(m.var == doctest::Approx(1e-6 * 9.0 * 1000).epsilon(0.15));
}

TEST_CASE("spike_source_array: two spikes of one neuron in one step are an error") {
  Network net(0.1);
  net.add_population("s", 1, neurons::spike_source_array::params{{{0.05, 0.1}}});
  CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains("population 's': parameter 'times[0]'"),
                       InvalidParameter);
  Network net2(0.1);
  net2.add_population("s", 1, neurons::spike_source_array::params{{{0.0}}});
  CHECK_THROWS_AS(Simulation{net2}, InvalidParameter);
}

TEST_CASE("spike_source_array: a time belongs to the step that contains it") {
  const double dt = 0.1;
  Network net(dt);
  auto s = net.add_population(
      "s", 2, neurons::spike_source_array::params{{{0.05, 0.25}, {0.1000001, 5.0}}});
  net.record_spikes(s);
  Simulation sim(net);
  sim.run(10.0);
  CHECK_THROWS(sim.run(0.05));  // not a multiple of dt
  const auto& r = sim.spikes(s);
  REQUIRE(r.size() == 4);
  // 0.05 -> step 1, 0.25 -> 3, 0.1000001 -> 2, 5.0 -> 50; read back in (step, id) order.
  CHECK(r.steps == std::vector<Step>{1, 2, 3, 50});
  CHECK(r.neurons == std::vector<std::uint32_t>{0, 1, 0, 1});
}

TEST_CASE("unnamed inputs keep their random draws when inputs are added elsewhere") {
  // Default names are "<population>.<kind><k>" and key the random streams: inputs on
  // another population, or of another kind, do not rename (and so re-draw) this one.
  auto noise_only = [](bool extra) {
    Network net(0.1);
    auto a = net.add_population("a", 5, integrator());
    auto b = net.add_population("b", 5, integrator());
    if (extra) {
      net.add_input(b, NoiseInput{.mean = 0.0, .sd = 1.0});
      net.add_input(a, CurrentInput::dc(0.0));
    }
    net.add_input(a, NoiseInput{.mean = 0.0, .sd = 1.0});
    Simulation sim(net);
    sim.run(10.0);
    return sim.state(a, "V");
  };
  const auto v = noise_only(false);
  CHECK(v[0] != 0.0);
  CHECK(v == noise_only(true));
}

namespace {

/// The noise current of every neuron in each of `steps` steps, read back from the
/// integrator's V (0.001 mV per pA per step).
std::vector<double> noise_draws(const NoiseInput& in, std::uint32_t n, int steps,
                                const SimulationOptions& options = {}) {
  Network net(0.1);
  auto p = net.add_population("p", n, integrator(100.0));
  net.add_input(p, in, "noise");
  Simulation sim(net, options);
  std::vector<double> draws;
  std::vector<double> before(n, 0.0);
  for (int k = 0; k < steps; ++k) {
    sim.run(0.1);
    const auto v = sim.state(p, "V");
    for (std::uint32_t i = 0; i < n; ++i) draws.push_back((v[i] - before[i]) / 0.001);
    before = v;
  }
  return draws;
}

}  // namespace

TEST_CASE("uniform noise: mean + sd sqrt(12) (U - 0.5), within mean +- sd sqrt(3)") {
  // Izhikevich 2007 (daspnet): I = 13 (U - 0.5), i.e. mean 0 and sd 13 / sqrt(12).
  struct Case { double mean, sd; };
  for (auto c : {Case{0.0, 13.0 / std::sqrt(12.0)}, Case{2.0, 3.0}}) {
    CAPTURE(c.mean);
    const auto x = noise_draws({.mean = c.mean, .sd = c.sd, .distribution = NoiseDistribution::uniform},
                               2000, 20);
    const double half_width = c.sd * std::sqrt(3.0);
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    CHECK(*lo >= c.mean - half_width * (1 + 1e-9));
    CHECK(*hi <= c.mean + half_width * (1 + 1e-9));
    // 40000 draws: the extremes come within 0.1% of the width of either end.
    CHECK(*lo < c.mean - half_width * 0.998);
    CHECK(*hi > c.mean + half_width * 0.998);
    const auto m = moments(x);
    const double count = static_cast<double>(x.size());
    CHECK(std::fabs(m.mean - c.mean) < 5.0 * c.sd / std::sqrt(count));
    // Var of a uniform's sample variance: sd^4 (9/5 - 1) / N = 0.8 sd^4 / N.
    CHECK(std::fabs(m.var - c.sd * c.sd) < 5.0 * c.sd * c.sd * std::sqrt(0.8 / count));
    // Flat: each tenth of the interval holds a tenth of the draws (5 standard errors).
    std::vector<double> bins(10, 0.0);
    for (double y : x) {
      const auto b = static_cast<std::size_t>((y - (c.mean - half_width)) / (2 * half_width) * 10);
      bins[std::min<std::size_t>(b, 9)] += 1.0;
    }
    for (double b : bins) CHECK(std::fabs(b / count - 0.1) < 5.0 * std::sqrt(0.09 / count));
  }
}

TEST_CASE("uniform noise: the same variance as normal noise, in the network's dynamics") {
  // As the normal test above: V sums 1000 steps of 0.001 mV per pA.
  const std::uint32_t n = 2000;
  Network net(0.1);
  auto p = net.add_population("p", n, integrator(100.0));
  net.add_input(p, NoiseInput{.mean = 2.0, .sd = 3.0, .distribution = NoiseDistribution::uniform});
  Simulation sim(net);
  sim.run(100.0);
  const auto m = moments(sim.state(p, "V"));
  CHECK(m.mean == doctest::Approx(0.001 * 2.0 * 1000).epsilon(0.01));
  CHECK(m.var == doctest::Approx(1e-6 * 9.0 * 1000).epsilon(0.15));
}

TEST_CASE("noise: serial and threaded backends agree bit for bit, normal stays the default") {
  for (auto dist : {NoiseDistribution::uniform, NoiseDistribution::normal}) {
    const NoiseInput in{.mean = 1.0, .sd = 4.0, .neurons = {0, 3, 64, 65, 66, 130, 999},
                        .distribution = dist};
    auto run = [&](const SimulationOptions& o) {
      Network net(0.1);
      auto p = net.add_population("p", 1000, integrator(100.0));
      net.add_input(p, in, "noise");
      net.add_input(p, NoiseInput{.mean = -1.0, .sd = 2.0, .distribution = dist}, "all");
      Simulation sim(net, o);
      sim.run(5.0);
      return sim.state(p, "V");
    };
    const auto serial = run({.seed = 5});
    CHECK(run({.seed = 5, .backend = "tbb", .threads = 3, .oversubscribe = true}) == serial);
    CHECK(run({.seed = 6}) != serial);
  }
  // The default is normal, and its draws are pinned to stored values (not compared with
  // themselves): a change of random streams fails here.
  NoiseInput plain{.mean = 0.5, .sd = 2.0};
  CHECK(plain.distribution == NoiseDistribution::normal);
  const std::vector<double> first = noise_draws(plain, 100, 3);
  REQUIRE(first.size() == 300);
  CHECK(first[0] == doctest::Approx(0.17069969458677453).epsilon(1e-12));
  CHECK(first[1] == doctest::Approx(-0.85722160203724629).epsilon(1e-12));
  CHECK(first[299] == doctest::Approx(1.5582730074807181).epsilon(1e-12));
  NoiseInput named = plain;
  // Uniform and normal draws of one stream differ.
  named.distribution = NoiseDistribution::uniform;
  CHECK(first != noise_draws(named, 100, 3));
}
