// Counter-based random numbers: pure functions of (seed, stream, id, index), and the
// batched draws of the drive kernel, which must give the same bits.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "spikeq/backends/batch_draws.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/core/detail/rng.hpp"

using namespace spikeq::detail;
using spikeq::Step;

TEST_CASE("a draw depends only on its key and counter") {
  const CounterRng a(42, 7, 3), b(42, 7, 3);
  CHECK(a.block(5).v[0] == b.block(5).v[0]);
  CHECK(a.block(5).v[3] == b.block(5).v[3]);
  CHECK(a.block(5).v[0] != a.block(6).v[0]);
  CHECK(a.block(5).v[0] != CounterRng(43, 7, 3).block(5).v[0]);
  CHECK(a.block(5).v[0] != CounterRng(42, 8, 3).block(5).v[0]);
  CHECK(a.block(5).v[0] != CounterRng(42, 7, 4).block(5).v[0]);
  // The high half of a 64-bit seed matters too.
  CHECK(CounterRng(1, 0, 0).block(0).v[0] != CounterRng(1ull | (1ull << 40), 0, 0).block(0).v[0]);
}

TEST_CASE("stream ids are stable names, not positions") {
  static_assert(stream_id("input:a") == stream_id("input:a"));
  CHECK(stream_id("input:a") != stream_id("input:b"));
  CHECK(stream_id("") == 2166136261u);  // FNV-1a offset basis: the hash is fixed forever
}

TEST_CASE("uniform draws are in (0, 1) with mean 1/2 and variance 1/12") {
  DrawStream d(CounterRng(1, 2, 3), 0);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int k = 0; k < n; ++k) {
    const double u = d.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n;
  CHECK(std::fabs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK((sum2 / n - mean * mean) == doctest::Approx(1.0 / 12).epsilon(0.01));
}

TEST_CASE("normal draws have mean 0, variance 1 and Gaussian tails") {
  DrawStream d(CounterRng(5, 0, 0), 0);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  int beyond2 = 0;
  for (int k = 0; k < n; ++k) {
    const double x = d.normal();
    sum += x;
    sum2 += x * x;
    beyond2 += std::fabs(x) > 2.0;
  }
  CHECK(std::fabs(sum / n) < 5 * std::sqrt(1.0 / n));
  CHECK(sum2 / n == doctest::Approx(1.0).epsilon(0.02));
  CHECK(beyond2 / double(n) == doctest::Approx(0.0455).epsilon(0.05));
}

TEST_CASE("bounded integers are uniform over 0..n-1") {
  DrawStream d(CounterRng(9, 9, 9), 0);
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int k = 0; k < n; ++k) ++counts[d.below(7)];
  for (int c : counts) CHECK(std::fabs(c - 10000.0) < 5 * std::sqrt(10000.0 * 6 / 7));
  for (int k = 0; k < 1000; ++k) CHECK(d.below64(5000000000ull) < 5000000000ull);
}

TEST_CASE("Poisson counts have mean and variance lambda on both sides of the method switch") {
  for (double lambda : {0.02, 3.0, 39.0, 41.0, 250.0}) {
    CAPTURE(lambda);
    DrawStream d(CounterRng(3, 1, 4), 0);
    const int n = 100000;
    double sum = 0, sum2 = 0;
    for (int k = 0; k < n; ++k) {
      const double x = d.poisson(lambda, std::exp(-lambda));
      sum += x;
      sum2 += x * x;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    CHECK(std::fabs(mean - lambda) < 5 * std::sqrt(lambda / n));
    CHECK(var / lambda == doctest::Approx(1.0).epsilon(0.03));
  }
}

// ---- Batched draws: the same bits as DrawStream, one neuron at a time ----

namespace {

std::vector<std::uint32_t> random_ids(std::mt19937_64& gen, std::size_t n) {
  std::vector<std::uint32_t> ids(n);
  for (auto& id : ids) id = static_cast<std::uint32_t>(gen());
  return ids;
}

/// Step indices low and high enough to set both counter words.
std::vector<std::uint64_t> test_indices() {
  std::vector<std::uint64_t> out;
  for (std::int64_t step : {0ll, 1ll, 2ll, 77ll, 65535ll, 65536ll, 123456789ll, 1ll << 40}) {
    out.push_back(step_index(step));
  }
  return out;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

}  // namespace

TEST_CASE("batched Philox4x32-10 equals Random123 for random counters and keys") {
  std::mt19937_64 gen(21);
  const std::size_t n = 1000;
  std::size_t differ = 0;
  for (int key = 0; key < 100; ++key) {
    const auto k0 = static_cast<std::uint32_t>(gen()), k1 = static_cast<std::uint32_t>(gen());
    auto c0 = random_ids(gen, n), c1 = random_ids(gen, n), c2 = random_ids(gen, n),
         c3 = random_ids(gen, n);
    const auto in0 = c0, in1 = c1, in2 = c2, in3 = c3;
    batch_philox(c0.data(), c1.data(), c2.data(), c3.data(), n, k0, k1);
    for (std::size_t j = 0; j < n; ++j) {
      const r123::Philox4x32::ctr_type ctr = {{in0[j], in1[j], in2[j], in3[j]}};
      const r123::Philox4x32::ctr_type out = r123::Philox4x32()(ctr, {{k0, k1}});
      differ += out.v[0] != c0[j] || out.v[1] != c1[j] || out.v[2] != c2[j] || out.v[3] != c3[j];
    }
  }
  CHECK(differ == 0);
  // Random123's published known-answer vector for Philox4x32-10 (kat_vectors).
  std::uint32_t a = 0x243f6a88, b = 0x85a308d3, c = 0x13198a2e, d = 0x03707344;
  batch_philox(&a, &b, &c, &d, 1, 0xa4093822, 0x299f31d0);
  CHECK(a == 0xd16cfe09u);
  CHECK(b == 0x94fdccebu);
  CHECK(c == 0x5001e420u);
  CHECK(d == 0x24126ea1u);
}

TEST_CASE("batched uniforms and normals equal DrawStream for any seed, stream, id and step") {
  std::mt19937_64 gen(22);
  std::size_t differ = 0, compared = 0;
  for (std::uint64_t index : test_indices()) {
    const std::uint64_t seed = gen();
    const auto stream = static_cast<std::uint32_t>(gen());
    const auto ids = random_ids(gen, 4099);
    std::vector<double> u(ids.size()), z(ids.size());
    batch_uniforms(seed, stream, index, ids.data(), ids.size(), u.data());
    batch_normals(seed, stream, index, ids.data(), ids.size(), z.data());
    for (std::size_t j = 0; j < ids.size(); ++j) {
      DrawStream a(CounterRng(seed, stream, ids[j]), index), b = a;
      differ += bits(u[j]) != bits(a.uniform());
      differ += bits(z[j]) != bits(b.normal());
      compared += 2;
    }
  }
  CHECK(compared == 2 * 8 * 4099);
  CHECK(differ == 0);
}

TEST_CASE("batched Poisson counts equal DrawStream for every lambda below 40") {
  std::mt19937_64 gen(23);
  for (double lambda : {0.0, 0.01, 0.5, 2.0, 10.0, 39.9}) {
    CAPTURE(lambda);
    const double eml = std::exp(-lambda);
    // Full tables, and short ones that send most draws through the scalar continuation.
    for (std::uint32_t max_size : {PoissonTable::kMax, 1u, 2u, 7u}) {
      CAPTURE(max_size);
      const PoissonTable table = make_poisson_table(lambda, eml, max_size);
      REQUIRE(table.made_for(lambda, eml));
      std::size_t differ = 0, past_table = 0;
      for (int batch = 0; batch < 25; ++batch) {
        const std::uint64_t index = step_index(batch * 1000003ll);
        const auto ids = random_ids(gen, 4000);  // 25 x 4000 = 1e5 (id, step) pairs
        std::vector<double> u(ids.size());
        std::vector<std::uint32_t> k(ids.size());
        batch_uniforms(7, 11, index, ids.data(), ids.size(), u.data());
        batch_poisson(table, u.data(), ids.size(), k.data());
        for (std::size_t j = 0; j < ids.size(); ++j) {
          DrawStream d(CounterRng(7, 11, ids[j]), index);
          differ += k[j] != d.poisson(lambda, eml);
          past_table += k[j] >= table.size;
        }
      }
      CHECK(differ == 0);
      if (max_size < 7 && lambda >= 0.5) CHECK(past_table > 1000);
    }
  }
}

TEST_CASE("a Poisson table matches the scalar sums at its entries, past its end and at 1000") {
  // u just below 1 walks the sums to where they stop growing, or to the cap of 1000.
  for (double lambda : {0.3, 5.0, 39.99}) {
    const double eml = std::exp(-lambda);
    const PoissonTable table = make_poisson_table(lambda, eml);
    // Also u on table entries: the count is the first entry u does not exceed.
    for (double u : {1.0 - 0x1p-53, 1.0 - 0x1p-40, 1.0 - 0x1p-17, table.cdf[table.size - 1],
                     table.cdf[0], table.cdf[1], std::nextafter(table.cdf[1], 2.0)}) {
      std::uint32_t k = 0;
      batch_poisson(table, &u, 1, &k);
      CHECK(k == poisson_search(u, lambda, 0, eml, eml));
    }
  }
  const PoissonTable one = make_poisson_table(1.0, std::exp(-1.0), 1);
  const double u = 1.0 - 0x1p-53;
  std::uint32_t k = 0;
  batch_poisson(one, &u, 1, &k);
  CHECK(k == poisson_search(u, 1.0, 0, std::exp(-1.0), std::exp(-1.0)));
}

// ---- The drive kernel: ranges, subsets, relabelling, both Poisson methods, noise ----

namespace {

PopulationRuntime drive_test_population(std::uint32_t n, std::uint32_t slots) {
  PopulationRuntime pop;
  pop.size = n;
  pop.receptors = 2;
  pop.rings.assign(static_cast<std::size_t>(pop.receptors) * slots * n, 0);
  pop.current_step.assign(n, 0.0);
  // Internal ids in a scrambled order, so draws keyed by user id are told apart.
  pop.user_of_internal.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) pop.user_of_internal[i] = (i * 7919u + 13u) % n;
  pop.internal_of_user.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) pop.internal_of_user[pop.user_of_internal[i]] = i;
  return pop;
}

PoissonDrive poisson_drive(std::uint32_t stream, double lambda, int receptor,
                           std::vector<std::uint32_t> neurons, bool with_table) {
  PoissonDrive d;
  d.stream = stream;
  d.lambda = lambda;
  d.exp_minus_lambda = std::exp(-lambda);
  d.weight = to_fixed(1.5f) + static_cast<Accum>(stream);
  d.receptor = receptor;
  d.neurons = std::move(neurons);
  if (with_table) d.table = make_poisson_table(d.lambda, d.exp_minus_lambda);
  return d;
}

/// What apply_drives must produce, one neuron and one DrawStream at a time.
void expected_drives(const PopulationRuntime& pop, std::uint64_t seed, Step u,
                     std::uint32_t slots, std::vector<Accum>& rings,
                     std::vector<double>& current) {
  const std::uint32_t slot = slot_of(u, slots);
  const auto targets = [&](const std::vector<std::uint32_t>& subset) {
    std::vector<std::uint32_t> all(pop.size);
    std::iota(all.begin(), all.end(), 0u);
    return subset.empty() ? all : subset;
  };
  for (const PoissonDrive& d : pop.poisson) {
    for (std::uint32_t i : targets(d.neurons)) {
      DrawStream draws(CounterRng(seed, d.stream, pop.user_id(i)), step_index(u));
      rings[(static_cast<std::size_t>(d.receptor) * slots + slot) * pop.size + i] +=
          static_cast<Accum>(draws.poisson(d.lambda, d.exp_minus_lambda)) * d.weight;
    }
  }
  std::fill(current.begin(), current.end(), 0.0);
  for (const NoiseDrive& d : pop.noise) {
    for (std::uint32_t i : targets(d.neurons)) {
      DrawStream draws(CounterRng(seed, d.stream, pop.user_id(i)), step_index(u));
      current[i] += d.distribution == spikeq::NoiseDistribution::uniform
                        ? d.mean + d.sd * unit_variance_uniform(draws.uniform())
                        : d.mean + d.sd * draws.normal();
    }
  }
}

}  // namespace

TEST_CASE("apply_drives over any split into ranges equals one DrawStream per neuron") {
  const std::uint32_t n = 1000, slots = 3;
  PopulationRuntime pop = drive_test_population(n, slots);
  std::vector<std::uint32_t> subset;
  for (std::uint32_t i = 3; i < n; i += 3) subset.push_back(i);
  std::vector<std::uint32_t> few = {0, 1, 63, 64, 65, 500, 999};
  pop.poisson.push_back(poisson_drive(1, 0.01, 0, {}, true));
  pop.poisson.push_back(poisson_drive(2, 2.0, 0, subset, true));
  pop.poisson.push_back(poisson_drive(3, 39.9, 1, {}, true));
  pop.poisson.push_back(poisson_drive(4, 10.0, 1, few, false));  // table made on the fly
  pop.poisson.push_back(poisson_drive(5, 40.0, 0, {}, true));    // PTRS
  pop.poisson.push_back(poisson_drive(6, 250.0, 1, subset, false));
  pop.noise.push_back(NoiseDrive{7, 1.5, 2.0, {}});
  pop.noise.push_back(NoiseDrive{8, -3.0, 0.5, subset});
  pop.noise.push_back(NoiseDrive{9, 0.25, 3.0, {}, spikeq::NoiseDistribution::uniform});
  pop.noise.push_back(NoiseDrive{10, -1.0, 13.0 / std::sqrt(12.0), few,
                                 spikeq::NoiseDistribution::uniform});

  const std::uint64_t seed = 0x123456789abcull;
  std::vector<Accum> rings(pop.rings.size(), 0);
  std::vector<double> current(n);
  std::size_t ring_differ = 0, current_differ = 0;
  const std::vector<std::uint32_t> cuts = {0, 1, 37, 64, 200, 729, 1000};
  for (Step u : {Step{0}, Step{5}, Step{65536}, Step{1234567}}) {
    // Ranges in any order: each neuron's draws are its own.
    for (std::size_t r = cuts.size() - 1; r > 0; --r) {
      apply_drives(pop, seed, u, slots, cuts[r - 1], cuts[r]);
    }
    expected_drives(pop, seed, u, slots, rings, current);
    for (std::size_t k = 0; k < rings.size(); ++k) ring_differ += rings[k] != pop.rings[k];
    for (std::uint32_t i = 0; i < n; ++i) {
      current_differ += bits(current[i]) != bits(pop.current_step[i]);
    }
  }
  CHECK(ring_differ == 0);
  CHECK(current_differ == 0);
  Accum total = 0;
  for (Accum a : pop.rings) total += a;
  CHECK(total > 0);
}

TEST_CASE("log_factorial: lgamma(k + 1) on spikeq::math, to double precision") {
  for (int k = 0; k <= 5000; k += k < 100 ? 1 : 37) {
    CAPTURE(k);
    const double want = std::lgamma(k + 1.0);
    CHECK(std::fabs(log_factorial(k) - want) <= 4e-15 * std::max(1.0, std::fabs(want)));
  }
  CHECK(log_factorial(0) == 0.0);
  CHECK(log_factorial(1) == 0.0);
}
