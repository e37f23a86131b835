// spikeq::math: exp, log, sin and cos against libm (ulp bounds, limits), and the same
// bits whether a loop is vectorised or not.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

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

namespace {
// Out of line, so these are the scalar code even in a loop the compiler vectorises.
[[gnu::noinline]] double scalar_log(double x) { return spikeq::math::log(x); }
[[gnu::noinline]] spikeq::math::SinCos scalar_sincos(double x) {
  return spikeq::math::sincos(x);
}
double unit(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * 0x1p-53; }
}  // namespace

TEST_CASE("log agrees with libm to 1 ulp on the Box-Muller uniforms and every positive double") {
  std::mt19937_64 gen(12);
  std::int64_t worst = 0;
  for (int k = 0; k < 1000000; ++k) {
    const double u = (static_cast<double>(gen() >> 11) + 0.5) * 0x1p-53;  // as to_unit_open
    worst = std::max(worst, ulps(spikeq::math::log(u), std::log(u)));
    // Any positive finite bit pattern, subnormals included.
    const double x = std::bit_cast<double>((gen() >> 1) % 0x7ff0000000000000ull + 1);
    worst = std::max(worst, ulps(spikeq::math::log(x), std::log(x)));
  }
  CHECK(worst <= 1);
}

TEST_CASE("log is exact at 1 and has the limits of libm") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  CHECK(spikeq::math::log(1.0) == 0.0);
  CHECK(spikeq::math::log(0.0) == -inf);
  CHECK(spikeq::math::log(-0.0) == -inf);
  CHECK(spikeq::math::log(inf) == inf);
  CHECK(std::isnan(spikeq::math::log(-1.0)));
  CHECK(std::isnan(spikeq::math::log(-inf)));
  CHECK(std::isnan(spikeq::math::log(std::numeric_limits<double>::quiet_NaN())));
  const double tiny = std::numeric_limits<double>::denorm_min();
  CHECK(ulps(spikeq::math::log(tiny), std::log(tiny)) <= 1);
  CHECK(ulps(spikeq::math::log(2.0), std::log(2.0)) == 0);
}

TEST_CASE("sin and cos agree with libm to 1 ulp up to 1.6e6") {
  std::mt19937_64 gen(13);
  std::int64_t worst_sin = 0, worst_cos = 0;
  for (int k = 0; k < 1000000; ++k) {
    const double u = unit(gen);
    const double x = k % 3 == 0   ? 6.283185307179586 * u                 // Box-Muller angles
                     : k % 3 == 1 ? (2.0 * u - 1.0) * 1.6e6               // the whole range
                                  : std::ldexp(u, -static_cast<int>(gen() % 60));  // near 0
    const spikeq::math::SinCos sc = spikeq::math::sincos(x);
    worst_sin = std::max(worst_sin, ulps(sc.sin, std::sin(x)));
    worst_cos = std::max(worst_cos, ulps(sc.cos, std::cos(x)));
  }
  CHECK(worst_sin <= 1);
  CHECK(worst_cos <= 1);
}

TEST_CASE("sin and cos keep their relative accuracy next to multiples of pi over 2") {
  // Where sin or cos is near zero, a reduction that loses bits shows as many ulps.
  std::int64_t worst = 0;
  for (int n = -200000; n <= 200000; n += 7) {
    double x = n * 1.5707963267948966;
    for (int step = 0; step < 3; ++step) {
      const spikeq::math::SinCos sc = spikeq::math::sincos(x);
      worst = std::max({worst, ulps(sc.sin, std::sin(x)), ulps(sc.cos, std::cos(x))});
      x = std::nextafter(x, std::numeric_limits<double>::infinity());
    }
  }
  CHECK(worst <= 1);
  CHECK(spikeq::math::sin(0.0) == 0.0);
  CHECK(spikeq::math::cos(0.0) == 1.0);
  CHECK(std::isnan(spikeq::math::cos(std::numeric_limits<double>::infinity())));
  CHECK(std::isnan(spikeq::math::sin(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("log and sincos give the same bits in a vectorised loop as one at a time") {
  std::mt19937_64 gen(14);
  const std::size_t n = 4099;  // not a multiple of any vector width: the tail runs too
  std::vector<double> x(n), lg(n), s(n), c(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = unit(gen) * (i % 2 ? 7.0 : 1e5) + 1e-300;
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    lg[i] = spikeq::math::log(x[i]);
    const spikeq::math::SinCos sc = spikeq::math::sincos(x[i]);
    s[i] = sc.sin;
    c[i] = sc.cos;
  }
  std::size_t differ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const spikeq::math::SinCos sc = scalar_sincos(x[i]);
    differ += std::bit_cast<std::uint64_t>(lg[i]) != std::bit_cast<std::uint64_t>(scalar_log(x[i]));
    differ += std::bit_cast<std::uint64_t>(s[i]) != std::bit_cast<std::uint64_t>(sc.sin);
    differ += std::bit_cast<std::uint64_t>(c[i]) != std::bit_cast<std::uint64_t>(sc.cos);
  }
  CHECK(differ == 0);
}
