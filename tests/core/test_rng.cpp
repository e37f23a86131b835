// Counter-based random numbers: pure functions of (seed, stream, id, index).
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "spikeq/core/detail/rng.hpp"

using namespace spikeq::detail;

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
