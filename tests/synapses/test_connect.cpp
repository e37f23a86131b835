// Connection rules, weight and delay distributions, and the CSR layout.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <tuple>

#include "spikeq/core/detail/tiles.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

struct Built {
  Network net{0.1};
  PopulationId a, b;
  Built(std::uint32_t na, std::uint32_t nb, bool same = false) {
    a = net.add_population("a", na, neurons::lif_psc_exp::params{});
    b = same ? a : net.add_population("b", nb, neurons::lif_psc_exp::params{});
  }
};

SynapseList build(const Built& x, ProjectionId p, std::uint64_t seed = 1) {
  Simulation sim(x.net, {.seed = seed});
  return sim.synapses(p);
}

std::vector<std::uint64_t> count_by(const std::vector<std::uint32_t>& ids, std::uint32_t n) {
  std::vector<std::uint64_t> c(n, 0);
  for (auto i : ids) ++c[i];
  return c;
}

bool has_self(const SynapseList& s) {
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    if (s.sources[k] == s.targets[k]) return true;
  }
  return false;
}

bool has_duplicates(const SynapseList& s) {
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    if (!seen.insert({s.sources[k], s.targets[k]}).second) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("all_to_all connects every pair, without self-connections if autapses are off") {
  Built x(30, 20);
  auto p = x.net.connect(x.a, x.b, connect::AllToAll{});
  CHECK(build(x, p).sources.size() == 600);
  Built y(30, 0, true);
  auto q = y.net.connect(y.a, y.a, connect::AllToAll{}, {.allow_autapses = false});
  const auto s = build(y, q);
  CHECK(s.sources.size() == 30 * 29);
  CHECK_FALSE(has_self(s));
}

TEST_CASE("one_to_one connects i to i and needs equal sizes") {
  Built x(50, 50);
  auto p = x.net.connect(x.a, x.b, connect::OneToOne{});
  const auto s = build(x, p);
  REQUIRE(s.sources.size() == 50);
  for (std::size_t k = 0; k < 50; ++k) CHECK(s.sources[k] == s.targets[k]);
  Built y(50, 40);
  y.net.connect(y.a, y.b, connect::OneToOne{});
  CHECK_THROWS_AS(Simulation{y.net}, InvalidConnection);
}

TEST_CASE("fixed_probability: the count is within 5 standard deviations of p n m") {
  for (double p : {0.01, 0.1, 0.5}) {
    CAPTURE(p);
    Built x(1000, 800);
    auto proj = x.net.connect(x.a, x.b, connect::FixedProbability{p});
    const double n = 1000.0 * 800.0;
    const auto count = static_cast<double>(build(x, proj).sources.size());
    CHECK(std::fabs(count - p * n) < 5.0 * std::sqrt(n * p * (1 - p)));
  }
  SUBCASE("without autapses, self pairs are excluded from the trials") {
    Built y(1000, 0, true);
    auto proj = y.net.connect(y.a, y.a, connect::FixedProbability{0.2}, {.allow_autapses = false});
    const auto s = build(y, proj);
    const double n = 1000.0 * 999.0;
    CHECK_FALSE(has_self(s));
    CHECK(std::fabs(static_cast<double>(s.sources.size()) - 0.2 * n) < 5.0 * std::sqrt(n * 0.2 * 0.8));
  }
  SUBCASE("p = 0 and p = 1 are exact") {
    Built y(10, 10);
    auto none = y.net.connect(y.a, y.b, connect::FixedProbability{0.0});
    auto all = y.net.connect(y.a, y.b, connect::FixedProbability{1.0});
    Simulation sim(y.net);
    CHECK(sim.synapses(none).sources.empty());
    CHECK(sim.synapses(all).sources.size() == 100);
  }
}

TEST_CASE("fixed_indegree: every target has exactly k inputs") {
  Built x(200, 300);
  auto p = x.net.connect(x.a, x.b, connect::FixedIndegree{25});
  const auto s = build(x, p);
  for (auto c : count_by(s.targets, 300)) CHECK(c == 25);

  SUBCASE("without multapses or autapses, k = n - 1 takes every other neuron once") {
    Built y(40, 0, true);
    auto q = y.net.connect(y.a, y.a, connect::FixedIndegree{39},
                           {.allow_autapses = false, .allow_multapses = false});
    const auto t = build(y, q);
    CHECK_FALSE(has_self(t));
    CHECK_FALSE(has_duplicates(t));
    for (auto c : count_by(t.targets, 40)) CHECK(c == 39);
  }
  SUBCASE("k larger than the distinct sources without multapses is an error") {
    Built y(10, 10);
    y.net.connect(y.a, y.b, connect::FixedIndegree{11}, {.allow_multapses = false}, "too_many");
    CHECK_THROWS_WITH_AS(Simulation{y.net}, doctest::Contains("projection 'too_many'"),
                         InvalidConnection);
  }
}

TEST_CASE("fixed_outdegree: every source has exactly k outputs") {
  Built x(300, 200);
  auto p = x.net.connect(x.a, x.b, connect::FixedOutdegree{17}, {.allow_multapses = false});
  const auto s = build(x, p);
  for (auto c : count_by(s.sources, 300)) CHECK(c == 17);
  CHECK_FALSE(has_duplicates(s));
}

TEST_CASE("fixed_outdegree with a delay cycle: 5 synapses of every delay from each source") {
  // Izhikevich's polychronization network: 100 synapses per neuron, delays 1..20 ms, five
  // of each, as `delay: {cycle: [1 ms, ..., 20 ms], each: 5}`.
  Built x(1000, 0, true);
  std::vector<double> ms(20);
  for (std::size_t k = 0; k < ms.size(); ++k) ms[k] = static_cast<double>(k + 1);
  auto p = x.net.connect(x.a, x.a, connect::FixedOutdegree{100},
                         {.weight = 6.0, .delay = Cycle{ms, 5}, .allow_autapses = false,
                          .allow_multapses = false});
  const auto s = build(x, p);
  REQUIRE(s.sources.size() == 100000);
  std::vector<std::array<int, 20>> per_delay(1000);
  for (auto& c : per_delay) c.fill(0);
  std::size_t off_grid = 0;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    const std::uint32_t d_ms = s.delays[k] / 10;  // dt = 0.1 ms: whole milliseconds
    if (s.delays[k] % 10 != 0 || d_ms < 1 || d_ms > 20) {
      ++off_grid;
      continue;
    }
    ++per_delay[s.sources[k]][d_ms - 1];
  }
  CHECK(off_grid == 0);
  std::size_t wrong = 0;
  for (const auto& c : per_delay) {
    for (int n : c) wrong += n != 5;
  }
  CHECK(wrong == 0);
  // With multapses (targets in draw order) the pattern is the same.
  Built y(300, 500);
  auto q = y.net.connect(y.a, y.b, connect::FixedOutdegree{100}, {.delay = Cycle{ms, 5}});
  const auto t = build(y, q);
  std::vector<std::array<int, 20>> counts(300);
  for (auto& c : counts) c.fill(0);
  for (std::size_t k = 0; k < t.sources.size(); ++k) ++counts[t.sources[k]][t.delays[k] / 10 - 1];
  wrong = 0;
  for (const auto& c : counts) {
    for (int n : c) wrong += n != 5;
  }
  CHECK(wrong == 0);
}

TEST_CASE("cycles and arrays are indexed by generation order, row by row") {
  // Period 7 divides no row length here, so a wrong row start or order within a row shows.
  const Value cycle = Cycle{{0, 1, 2, 3, 4, 5, 6}};
  // Each row's synapses by ascending partner: (row, partner) -> weight.
  auto rows = [](const SynapseList& s, bool by_target) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> r;
    for (std::size_t k = 0; k < s.sources.size(); ++k) {
      r.emplace_back(by_target ? s.targets[k] : s.sources[k],
                     by_target ? s.sources[k] : s.targets[k], s.weights[k]);
    }
    std::sort(r.begin(), r.end());
    return r;
  };
  SUBCASE("fixed_outdegree: synapse j of source s is element s * k + j") {
    Built x(60, 80);
    auto p = x.net.connect(x.a, x.b, connect::FixedOutdegree{30},
                           {.weight = cycle, .allow_multapses = false});
    const auto r = rows(build(x, p), false);
    REQUIRE(r.size() == 60 * 30);
    std::size_t wrong = 0;
    for (std::size_t n = 0; n < r.size(); ++n) {
      const auto [s, t, w] = r[n];
      wrong += s != n / 30 || w != static_cast<float>(n % 7);
    }
    CHECK(wrong == 0);
  }
  SUBCASE("fixed_indegree: synapse j of target t is element t * k + j") {
    Built x(80, 60);
    auto p = x.net.connect(x.a, x.b, connect::FixedIndegree{30},
                           {.weight = cycle, .allow_multapses = false});
    const auto r = rows(build(x, p), true);
    REQUIRE(r.size() == 60 * 30);
    std::size_t wrong = 0;
    for (std::size_t n = 0; n < r.size(); ++n) {
      wrong += std::get<0>(r[n]) != n / 30 || std::get<2>(r[n]) != static_cast<float>(n % 7);
    }
    CHECK(wrong == 0);
  }
  SUBCASE("all_to_all without autapses: targets ascending, skipping the source") {
    Built x(40, 0, true);
    auto p = x.net.connect(x.a, x.a, connect::AllToAll{},
                           {.weight = cycle, .allow_autapses = false});
    const auto r = rows(build(x, p), false);
    REQUIRE(r.size() == 40 * 39);
    std::size_t wrong = 0;
    for (std::size_t n = 0; n < r.size(); ++n) {
      wrong += std::get<2>(r[n]) != static_cast<float>(n % 7);
    }
    CHECK(wrong == 0);
  }
  SUBCASE("fixed_probability: rows of varying length, still one count") {
    Built x(200, 200);
    auto p = x.net.connect(x.a, x.b, connect::FixedProbability{0.1}, {.weight = cycle});
    const auto r = rows(build(x, p), false);
    REQUIRE(r.size() > 3000);  // about 4000 synapses: the count below is not vacuous
    std::size_t wrong = 0;
    for (std::size_t n = 0; n < r.size(); ++n) {
      wrong += std::get<2>(r[n]) != static_cast<float>(n % 7);
    }
    CHECK(wrong == 0);
  }
  SUBCASE("an empty cycle is an error naming the projection") {
    Built x(10, 10);
    x.net.connect(x.a, x.b, connect::AllToAll{}, {.delay = Cycle{}}, "empty");
    CHECK_THROWS_WITH_AS(Simulation{x.net},
                         doctest::Contains("projection 'empty': delay: a cycle needs at least one value"),
                         InvalidParameter);
  }
}

TEST_CASE("explicit lists keep their pairs, weights and delays") {
  Built x(5, 5);
  auto p = x.net.connect(x.a, x.b, connect::Explicit{{0, 4, 2}, {1, 1, 3}},
                         {.weight = std::vector<double>{1.5, -2.0, 3.25},
                          .delay = std::vector<double>{0.3, 0.1, 2.0},
                          .receptor = "ex"});
  const auto s = build(x, p);
  std::set<std::tuple<std::uint32_t, std::uint32_t, float, std::uint32_t>> got;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    got.insert({s.sources[k], s.targets[k], s.weights[k], s.delays[k]});
  }
  CHECK(got == std::set<std::tuple<std::uint32_t, std::uint32_t, float, std::uint32_t>>{
                   {0, 1, 1.5f, 3}, {4, 1, -2.0f, 1}, {2, 3, 3.25f, 20}});
  Built y(5, 5);
  y.net.connect(y.a, y.b, connect::Explicit{{0, 5}, {1, 1}}, {}, "bad_ids");
  CHECK_THROWS_WITH_AS(Simulation{y.net}, doctest::Contains("projection 'bad_ids': source id 5"),
                       InvalidConnection);
}

TEST_CASE("seeded builds are identical and different seeds differ") {
  Built x(300, 300);
  auto p = x.net.connect(x.a, x.b, connect::FixedProbability{0.05},
                         {.weight = Normal{1.0, 0.5, 0.0, 3.0}, .delay = Uniform{0.1, 5.0}});
  const auto s1 = build(x, p, 11);
  const auto s2 = build(x, p, 11);
  const auto s3 = build(x, p, 12);
  CHECK(s1.sources == s2.sources);
  CHECK(s1.targets == s2.targets);
  CHECK(s1.weights == s2.weights);
  CHECK(s1.delays == s2.delays);
  CHECK(s1.targets != s3.targets);
}

TEST_CASE("adding a population does not change another projection's draws") {
  Built x(200, 200);
  auto p = x.net.connect(x.a, x.b, connect::FixedProbability{0.1}, {.weight = Uniform{0.0, 1.0}});
  const auto before = build(x, p);
  auto c = x.net.add_population("c", 50, neurons::lif_psc_exp::params{});
  x.net.connect(c, x.a, connect::FixedProbability{0.3});
  const auto after = build(x, p);
  CHECK(before.targets == after.targets);
  CHECK(before.weights == after.weights);
}

TEST_CASE("weight and delay distributions stay in range with the right moments") {
  Built x(400, 400);
  auto u = x.net.connect(x.a, x.b, connect::FixedIndegree{100},
                         {.weight = Uniform{2.0, 4.0}, .delay = Uniform{1.0, 20.0}}, "u");
  auto n = x.net.connect(x.a, x.b, connect::FixedIndegree{100},
                         {.weight = Normal{1.0, 2.0, 0.0, 2.5}}, "n");
  Simulation sim(x.net);
  const auto su = sim.synapses(u);
  double sum = 0;
  std::set<std::uint32_t> delays;
  for (std::size_t k = 0; k < su.weights.size(); ++k) {
    CHECK(su.weights[k] >= 2.0f);
    CHECK(su.weights[k] <= 4.0f);
    sum += su.weights[k];
    delays.insert(su.delays[k]);
  }
  CHECK(sum / su.weights.size() == doctest::Approx(3.0).epsilon(0.01));
  CHECK(*delays.begin() == 10);
  CHECK(*delays.rbegin() == 200);
  CHECK(delays.size() == 191);  // every step from 1 to 20 ms appears
  const auto sn = sim.synapses(n);
  std::size_t at_low = 0, at_high = 0;
  for (float w : sn.weights) {
    CHECK(w >= 0.0f);
    CHECK(w <= 2.5f);
    at_low += w == 0.0f;
    at_high += w == 2.5f;
  }
  // Clipping puts P(N(1,2) < 0) = 31% and P(> 2.5) = 23% of the mass on the bounds.
  CHECK(at_low / double(sn.weights.size()) == doctest::Approx(0.3085).epsilon(0.05));
  CHECK(at_high / double(sn.weights.size()) == doctest::Approx(0.2266).epsilon(0.05));
}

TEST_CASE("rows are sorted by (delay, target): storage order of synapses()") {
  Built x(50, 50);
  auto p = x.net.connect(x.a, x.b, connect::FixedProbability{0.5},
                         {.weight = Uniform{0.0, 1.0}, .delay = Uniform{0.1, 3.0}});
  const auto s = build(x, p);
  REQUIRE(s.sources.size() > 1000);  // about 1250 synapses in 50 rows
  for (std::size_t k = 1; k < s.sources.size(); ++k) {
    if (s.sources[k] != s.sources[k - 1]) {
      CHECK(s.sources[k] > s.sources[k - 1]);
      continue;
    }
    const bool ordered = s.delays[k] > s.delays[k - 1] ||
                         (s.delays[k] == s.delays[k - 1] && s.targets[k] >= s.targets[k - 1]);
    CHECK(ordered);
  }
}

TEST_CASE("memory: 8 bytes per synapse plus row offsets, 4 when all weights are equal, delays free") {
  Built x(1000, 1000);
  x.net.connect(x.a, x.b, connect::FixedIndegree{500}, {.weight = Uniform{0.0, 1.0}});
  Simulation sim(x.net);
  const auto m = sim.memory();
  CHECK(m.synapses == 500000);
  // 4 B entry (delay and target) + 4 B weight per synapse; per source neuron an 8 B row
  // offset and a 4 B piece end per target tile.
  const auto tiles = spikeq::detail::tiling_of(1000);
  REQUIRE(tiles.count == 2);
  CHECK(m.synapse_bytes == 500000 * 8 + 1001 * 8 + 1000 * 2 * 4);
  CHECK(m.bytes_per_synapse() < 8.05);

  Built y(1000, 1000);
  y.net.connect(y.a, y.b, connect::FixedIndegree{500}, {.weight = 0.5});
  CHECK(Simulation(y.net).memory().bytes_per_synapse() < 4.05);

  // Heterogeneous delays live in the entry: no extra bytes per synapse. The rings are
  // 200 slots deep for each of the two receptors, so the target's tiles are narrower
  // (their rings stay in cache).
  const auto narrow = spikeq::detail::tiling_of(1000, 200 * 2 * 8);
  REQUIRE(narrow.count == 4);
  Built z(1000, 1000);
  z.net.connect(z.a, z.b, connect::FixedIndegree{500},
                {.weight = 0.5, .delay = Uniform{1.0, 20.0}});
  Simulation hetero(z.net);
  CHECK(hetero.memory().synapse_bytes == 500000 * 4 + 1001 * 8 + 1000 * 4 * 4);
  const auto list = hetero.synapses(spikeq::ProjectionId{0});
  CHECK(*std::min_element(list.delays.begin(), list.delays.end()) == 10);
  CHECK(*std::max_element(list.delays.begin(), list.delays.end()) == 200);
}

TEST_CASE("connectivity statistics through Boost.Graph agree with the synapse list") {
  Built x(300, 200);
  auto p = x.net.connect(x.a, x.b, connect::FixedProbability{0.1});
  Simulation sim(x.net);
  const auto s = sim.synapses(p);
  const auto st = sim.connectivity(p);
  CHECK(st.in_degree == count_by(s.targets, 200));
  CHECK(st.out_degree == count_by(s.sources, 300));
  CHECK(st.mean_in == doctest::Approx(s.sources.size() / 200.0));
  CHECK(st.mean_out == doctest::Approx(s.sources.size() / 300.0));
  const auto h = st.in_histogram();
  std::uint64_t total = 0;
  for (auto c : h) total += c;
  CHECK(total == 200);
  CHECK(h.size() == st.max_in + 1);
}
