// Whole networks through the C++ API: reference behaviour, reproducibility, run
// continuation, recording and relabelling.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "networks.hpp"

using namespace spikeq;

namespace {
struct Izhikevich2003 {
  Network net;
  PopulationId exc, inh;
};
/// The paper's 1000-neuron network (bench/networks); `seed` draws its heterogeneity.
Izhikevich2003 izhikevich2003(std::uint64_t seed = 2003) {
  auto b = spikeq_bench::make_izhikevich2003(1000, seed);
  return {std::move(b.network), b.populations[0], b.populations[1]};
}
}  // namespace

TEST_CASE("Izhikevich 2003 network: mean rate in the documented band (V5)") {
  // Band: an independent re-implementation of the listing gives 7.4-7.7 Hz over 1 s for
  // five seeds (models.md V5), Brian2 2.5.1 gives 7.9 Hz (shared/peers/README.md); the
  // paper reports alpha/gamma episodes but no rate. We accept 6.5-9.0 Hz.
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    auto m = izhikevich2003(seed);
    Simulation sim(m.net, {.seed = seed});
    sim.run(1000.0);
    const double rate = double(sim.spike_count(m.exc) + sim.spike_count(m.inh)) / 1000.0;
    CHECK(rate > 6.5);
    CHECK(rate < 9.0);
    CHECK(sim.mean_rate(m.exc) > 5.0);
    CHECK(sim.mean_rate(m.inh) > 5.0);
  }
}

TEST_CASE("Izhikevich 2003 network: rhythmic population activity (alpha/gamma episodes)") {
  // A soft check (V5): the population rate in 1 ms bins is far from Poisson-flat; its
  // variance exceeds the Poisson expectation several-fold because of synchronous volleys.
  auto m = izhikevich2003();
  Simulation sim(m.net, {.seed = 5});
  sim.run(2000.0);
  std::vector<double> bins(2000, 0.0);
  for (auto s : sim.spikes(m.exc).steps) bins[static_cast<std::size_t>(s - 1)] += 1.0;
  for (auto s : sim.spikes(m.inh).steps) bins[static_cast<std::size_t>(s - 1)] += 1.0;
  const double mean = std::accumulate(bins.begin(), bins.end(), 0.0) / bins.size();
  double var = 0;
  for (double b : bins) var += (b - mean) * (b - mean);
  var /= bins.size() - 1;
  CHECK(var > 3.0 * mean);
}

TEST_CASE("same seed gives the same spikes and another seed other spikes") {
  auto m = izhikevich2003();
  Simulation a(m.net, {.seed = 9}), b(m.net, {.seed = 9}), c(m.net, {.seed = 10});
  a.run(300.0);
  b.run(300.0);
  c.run(300.0);
  CHECK(a.spikes(m.exc).steps == b.spikes(m.exc).steps);
  CHECK(a.spikes(m.exc).neurons == b.spikes(m.exc).neurons);
  CHECK(a.spikes(m.exc).neurons != c.spikes(m.exc).neurons);
}

TEST_CASE("run calls continue where the last stopped, bit for bit") {
  auto m = izhikevich2003();
  auto v = m.net.record_state(m.exc, "v", {0, 17, 799}, 5.0);
  Simulation whole(m.net, {.seed = 4});
  whole.run(250.0);
  Simulation parts(m.net, {.seed = 4});
  for (double d : {1.0, 99.0, 0.0, 50.0, 100.0}) parts.run(d);
  CHECK(parts.step() == 250);
  CHECK(parts.time() == 250.0);
  for (auto p : {m.exc, m.inh}) {
    CHECK(whole.spikes(p).steps == parts.spikes(p).steps);
    CHECK(whole.spikes(p).neurons == parts.spikes(p).neurons);
  }
  CHECK(whole.trace(v).values == parts.trace(v).values);
  CHECK(whole.state(m.exc, "u") == parts.state(m.exc, "u"));
}

TEST_CASE("state recorders sample at the end of every interval") {
  auto m = izhikevich2003();
  auto v = m.net.record_state(m.inh, "u", {3, 1}, 10.0);
  Simulation sim(m.net);
  sim.run(95.0);
  const auto& t = sim.trace(v);
  CHECK(t.neurons == std::vector<std::uint32_t>{3, 1});
  CHECK(t.steps == std::vector<Step>{10, 20, 30, 40, 50, 60, 70, 80, 90});
  CHECK(t.values.size() == 18);
  const auto u = sim.state(m.inh, "u");
  sim.run(5.0);
  CHECK(sim.trace(v).at(9, 0) == sim.state(m.inh, "u")[3]);
  CHECK(t.series(1).size() == 10);
}

TEST_CASE("Cuthill-McKee relabelling shrinks the bandwidth and changes no result") {
  // A ring lattice (each neuron drives its 4 nearest neighbours) with shuffled ids:
  // relabelling restores locality; spikes, traces and synapses are the same by user id.
  const std::uint32_t n = 400;
  std::vector<std::uint32_t> id(n);
  std::iota(id.begin(), id.end(), 0u);
  std::shuffle(id.begin(), id.end(), std::mt19937(3));
  connect::Explicit ring;
  for (std::uint32_t k = 0; k < n; ++k) {
    for (std::uint32_t o : {1u, 2u, n - 1, n - 2}) {
      ring.sources.push_back(id[k]);
      ring.targets.push_back(id[(k + o) % n]);
    }
  }
  auto make = [&](Reordering r) {
    Network net(0.1);
    neurons::lif_psc_exp::params p;
    p.V_init = Uniform{-70.0, -56.0};
    auto pop = net.add_population("ring", n, p);
    net.connect(pop, pop, ring, {.weight = 300.0, .delay = Uniform{0.5, 2.0}});
    net.add_input(pop, PoissonInput{.rate = 2000.0, .weight = 110.0});
    net.add_input(pop, NoiseInput{.mean = 100.0, .sd = 50.0, .neurons = {5, 7, 300}});
    net.set_reordering(pop, r);
    net.record_spikes(pop);
    net.record_state(pop, "V", {0, 5, 399}, 0.5);
    return net;
  };
  const Network plain = make(Reordering::none);
  const Network cm = make(Reordering::cuthill_mckee);
  Simulation a(plain, {.seed = 21}), b(cm, {.seed = 21});
  const PopulationId pop{0};
  CHECK(b.bandwidth(pop) < a.bandwidth(pop) / 10);
  CHECK(b.bandwidth(pop) <= 8);  // a ring needs at least 4
  a.run(200.0);
  b.run(200.0);
  REQUIRE(a.spike_count(pop) > 500);
  CHECK(a.spikes(pop).steps == b.spikes(pop).steps);
  CHECK(a.spikes(pop).neurons == b.spikes(pop).neurons);
  CHECK(a.trace(RecorderId{0}).values == b.trace(RecorderId{0}).values);
  CHECK(a.state(pop, "V") == b.state(pop, "V"));
  const auto sa = a.synapses(ProjectionId{0}), sb = b.synapses(ProjectionId{0});
  auto as_set = [](const SynapseList& s) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float, std::uint32_t>> v;
    for (std::size_t k = 0; k < s.sources.size(); ++k) v.emplace_back(s.sources[k], s.targets[k], s.weights[k], s.delays[k]);
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(as_set(sa) == as_set(sb));
  CHECK(a.connectivity(ProjectionId{0}).in_degree == b.connectivity(ProjectionId{0}).in_degree);
}

TEST_CASE("memory report and build facts") {
  auto m = izhikevich2003();
  Simulation sim(m.net);
  const auto& info = sim.build_info();
  CHECK(info.synapses == 1000000);
  CHECK(info.min_delay == 1);
  CHECK(info.max_delay == 1);
  CHECK(info.max_delay_limit == 65535);
  const auto mem = sim.memory();
  CHECK(mem.synapses == 1000000);
  CHECK(mem.bytes_per_synapse() < 8.05);
  CHECK(mem.ring_bytes == 1000 * 8);  // one receptor, one slot, 8 B per neuron
  CHECK(sim.backend_name() == "serial");
  CHECK(mem.to_string().find("B/synapse") != std::string::npos);
}

TEST_CASE("take_spikes and take_trace drain the records, and the pieces add up to the whole") {
  auto m = izhikevich2003();
  auto v = m.net.record_state(m.exc, "v", {1, 2}, 10.0);
  Simulation whole(m.net, {.seed = 3}), parts(m.net, {.seed = 3});
  whole.run(300.0);
  std::vector<Step> steps;
  std::vector<double> values;
  for (int k = 0; k < 3; ++k) {
    parts.run(100.0);
    const SpikeRecord s = parts.take_spikes(m.exc);
    steps.insert(steps.end(), s.steps.begin(), s.steps.end());
    const StateTrace t = parts.take_trace(v);
    CHECK(t.neurons == std::vector<std::uint32_t>{1, 2});
    CHECK(t.samples() == 10);
    values.insert(values.end(), t.values.begin(), t.values.end());
    CHECK(parts.spikes(m.exc).size() == 0);
  }
  CHECK(steps == whole.spikes(m.exc).steps);
  CHECK(values == whole.trace(v).values);
  CHECK(parts.spike_count(m.exc) == whole.spike_count(m.exc));
}

TEST_CASE("validate: the checks of a build without drawing synapses, and an estimate") {
  auto m = izhikevich2003();
  const ValidationReport r = validate(m.net);
  CHECK(r.neurons == 1000);
  CHECK(r.synapses == 1e6);
  Simulation sim(m.net);
  const double built = static_cast<double>(sim.memory().total() - sim.memory().recording_bytes);
  CHECK(static_cast<double>(r.bytes) == doctest::Approx(built).epsilon(0.05));
  CHECK(r.build_peak_bytes > r.bytes);

  // A model far too large to build is refused by validate, as the build would refuse it,
  // without drawing a synapse (1.6e11 synapses, some 4.4 TiB while building).
  Network big(0.1);
  auto a = big.add_population("a", 400000, neurons::lif_psc_exp::params{});
  big.connect(a, a, connect::AllToAll{}, {.weight = Normal{10.0, 1.0, 0.0}});
  CHECK_THROWS_WITH_AS(validate(big), doctest::Contains("projection 'a->a' needs about 4.4 TiB of memory, more than"),
                       CapacityError);

  // And it throws what a build throws.
  Network bad(0.1);
  auto b = bad.add_population("b", 10, neurons::lif_psc_exp::params{});
  bad.connect(b, b, connect::AllToAll{}, {.delay = 0.01}, "too_fast");
  CHECK_THROWS_WITH_AS(validate(bad), doctest::Contains("projection 'too_fast': delay 0.01 ms"),
                       InvalidConnection);
  CHECK_THROWS_AS(validate(m.net, {.backend = "nope"}), InvalidParameter);
}
