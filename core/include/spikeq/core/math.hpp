#pragma once
// Elementary functions for model code that runs per neuron and step. They are written
// with plain IEEE arithmetic, so they vectorise inside the neuron loops (a call into libm
// does not) and give the same bits on every backend, host or device, where libm and the
// CUDA math library differ in the last place.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "spikeq/core/config.hpp"

namespace spikeq::math {

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
  const double s1 = std::bit_cast<double>(static_cast<std::uint64_t>(half + 1023) << 52);
  const double s2 = std::bit_cast<double>(static_cast<std::uint64_t>(ki - half + 1023) << 52);
  const double y = p * s1 * s2;
  return x < -708.0 ? 0.0 : (x > 709.0 ? std::numeric_limits<double>::infinity() : y);
}

}  // namespace spikeq::math
