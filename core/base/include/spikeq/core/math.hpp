#pragma once
// Elementary functions for code that runs per neuron and step (models, random draws).
// They are written with plain IEEE arithmetic, so they vectorise inside the neuron loops
// (a call into libm does not) and give the same bits on every backend, host or device,
// where libm and the CUDA math library differ in the last place.
//
// Every function here is SPIKEQ_HD and must stay usable in device code compiled without
// --expt-relaxed-constexpr: no calls to the standard library's constexpr functions
// (std::bit_cast, std::numeric_limits<>::...) inside them. They use the builtins those
// are made of in GCC's library (__builtin_bit_cast, __builtin_huge_val, __builtin_nan),
// which nvcc accepts in device code, so the host code is the same instruction for
// instruction as with the standard functions.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "spikeq/core/config.hpp"

namespace spikeq::math {

/// std::bit_cast for host and device code: the builtin that GCC's and Clang's
/// std::bit_cast are made of, which nvcc also accepts in device code.
template <typename To, typename From>
SPIKEQ_HD constexpr To bit_cast(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From), "bit_cast between types of different sizes");
  static_assert(std::is_trivially_copyable_v<To> && std::is_trivially_copyable_v<From>,
                "bit_cast needs trivially copyable types");
  return __builtin_bit_cast(To, from);
}

/// e^x for double, within 2 ulp of the correctly rounded value for x in [-708, 709];
/// 0 below, +inf above. Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, then a
/// degree-13 Taylor polynomial in r and a scale by 2^k built from the exponent bits.
SPIKEQ_HD inline double exp(double x) {
  constexpr double log2e = 1.4426950408889634074;
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // high bits of ln 2, exact k*ln2_hi
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  // Branch-free, so that it vectorises: clamp, compute, then select the limits.
  const double xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  const double k = std::floor(xc * log2e + 0.5);
  const double r = (xc - k * ln2_hi) - k * ln2_lo;
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^k in two factors so that k = 1024 or k = -1022..-1021 stay representable.
  const auto ki = static_cast<std::int64_t>(k);
  const std::int64_t half = ki / 2;
  const double s1 = math::bit_cast<double>(static_cast<std::uint64_t>(half + 1023) << 52);
  const double s2 = math::bit_cast<double>(static_cast<std::uint64_t>(ki - half + 1023) << 52);
  const double y = p * s1 * s2;
  return x < -708.0 ? 0.0 : (x > 709.0 ? __builtin_huge_val() : y);
}

/// Natural logarithm for double, within 1 ulp of libm for every positive finite x
/// (subnormals included; tested); -inf at 0, NaN below 0 or for NaN, +inf at +inf.
/// fdlibm's method without its branches: x = 2^k m with m in [sqrt(2)/2, sqrt(2)),
/// log m = 2 atanh(s), s = (m-1)/(m+1), by a degree-14 minimax polynomial in s.
SPIKEQ_HD inline double log(double x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // exact k*ln2_hi for |k| < 2^11
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                   lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                   lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                   lg7 = 1.479819860511658591e-01;
  // Subnormals are scaled into the normal range, so the exponent bits give k.
  const bool subnormal = x < 0x1p-1022;
  std::uint64_t ix = math::bit_cast<std::uint64_t>(subnormal ? x * 0x1p54 : x);
  // Offsetting the bits by (1 - sqrt(2)/2) in the high word carries mantissas at or
  // above sqrt(2) into the next exponent; the low word is untouched, as in fdlibm.
  ix += 0x3ff0000000000000ull - 0x3fe6a09e00000000ull;
  const auto k = static_cast<std::int64_t>(ix >> 52) - 1023 - (subnormal ? 54 : 0);
  ix = (ix & 0x000fffffffffffffull) + 0x3fe6a09e00000000ull;
  const double f = math::bit_cast<double>(ix) - 1.0;
  const double hfsq = 0.5 * f * f;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (lg2 + w * (lg4 + w * lg6));
  const double t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
  const double r = t2 + t1;
  const auto dk = static_cast<double>(k);
  const double y = s * (hfsq + r) + dk * ln2_lo - hfsq + f + dk * ln2_hi;
  constexpr double inf = __builtin_huge_val();
  // +inf and NaN pass through; the selects keep the loop free of branches.
  const double special = x == 0.0 ? -inf : (x < 0.0 ? __builtin_nan("") : x);
  return x > 0.0 && x < inf ? y : special;
}

/// sin x and cos x together.
struct SinCos {
  double sin;
  double cos;
};

/// sin and cos for double, within 1 ulp of libm for |x| <= 2^20 pi/2 (about 1.6e6;
/// Box-Muller needs [0, 2 pi]; tested); NaN for NaN and +-inf.
/// fdlibm's medium-range Cody-Waite reduction x = n pi/2 + (y0 + y1), with pi/2 in three
/// pieces so the remainder keeps its bits next to a multiple of pi/2, then the fdlibm
/// kernels on |y0| <= pi/4 and a select by quadrant instead of a branch.
SPIKEQ_HD inline SinCos sincos(double x) {
  constexpr double invpio2 = 6.36619772367581382433e-01;
  constexpr double pio2_1 = 1.57079632673412561417e+00;  // 33 bits: n*pio2_1 is exact
  constexpr double pio2_2 = 6.07710050630396597660e-11;  // next 33 bits
  constexpr double pio2_2t = 2.02226624879595063154e-21;  // pi/2 - pio2_1 - pio2_2
  constexpr double to_int = 0x1.8p52;                     // adding it rounds to an integer
  const double fn = (x * invpio2 + to_int) - to_int;
  const double t = x - fn * pio2_1;
  double w = fn * pio2_2;
  const double r = t - w;
  w = fn * pio2_2t - ((t - r) - w);
  const double y0 = r - w;
  const double y1 = (r - y0) - w;

  const double z = y0 * y0;
  const double v = z * y0;
  const double z2 = z * z;
  constexpr double s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03,
                   s3 = -1.98412698298579493134e-04, s4 = 2.75573137070700676789e-06,
                   s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10;
  const double rs = s2 + z * (s3 + z * s4) + z * z2 * (s5 + z * s6);
  const double sin_y = y0 - ((z * (0.5 * y1 - v * rs) - y1) - v * s1);
  constexpr double c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03,
                   c3 = 2.48015872894767294178e-05, c4 = -2.75573143513906633035e-07,
                   c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11;
  const double rc = z * (c1 + z * (c2 + z * c3)) + z2 * z2 * (c4 + z * (c5 + z * c6));
  const double hz = 0.5 * z;
  const double one_minus_hz = 1.0 - hz;
  const double cos_y = one_minus_hz + (((1.0 - one_minus_hz) - hz) + (z * rc - y0 * y1));

  // fn is NaN or huge only for NaN, +-inf or out-of-range x; keep the cast defined.
  const double fn_safe = std::fabs(fn) < 0x1p30 ? fn : 0.0;
  const auto quadrant = static_cast<std::int64_t>(fn_safe) & 3;
  const double s = (quadrant & 1) ? cos_y : sin_y;
  const double c = (quadrant & 1) ? sin_y : cos_y;
  return {(quadrant & 2) ? -s : s, ((quadrant + 1) & 2) ? -c : c};
}

SPIKEQ_HD inline double sin(double x) { return sincos(x).sin; }
SPIKEQ_HD inline double cos(double x) { return sincos(x).cos; }

}  // namespace spikeq::math
