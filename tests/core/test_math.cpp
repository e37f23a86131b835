// spikeq::math::exp: within 2 ulp of libm over the whole finite range, exact limits.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "spikeq/core/math.hpp"

namespace {
std::int64_t ulps(double a, double b) {
  const auto x = std::bit_cast<std::int64_t>(a);
  const auto y = std::bit_cast<std::int64_t>(b);
  return x > y ? x - y : y - x;
}
}  // namespace

TEST_CASE("exp agrees with libm to 2 ulp from -708 to 709") {
  std::mt19937_64 gen(11);
  std::int64_t worst = 0;
  for (int k = 0; k < 1000000; ++k) {
    const double lo = k % 2 ? -708.0 : -10.0;
    const double hi = k % 2 ? 709.0 : 1.0;
    const double x = lo + (hi - lo) * static_cast<double>(gen() >> 11) * 0x1p-53;
    worst = std::max(worst, ulps(spikeq::math::exp(x), std::exp(x)));
  }
  CHECK(worst <= 2);
}

TEST_CASE("exp is exact at 0 and saturates outside the double range") {
  CHECK(spikeq::math::exp(0.0) == 1.0);
  CHECK(spikeq::math::exp(-0.0) == 1.0);
  CHECK(spikeq::math::exp(-745.0) == 0.0);
  CHECK(spikeq::math::exp(-1e308) == 0.0);
  CHECK(spikeq::math::exp(710.0) == std::numeric_limits<double>::infinity());
  CHECK(ulps(spikeq::math::exp(1.0), std::exp(1.0)) <= 1);
  CHECK(ulps(spikeq::math::exp(-1e-17), 1.0) <= 1);
}
