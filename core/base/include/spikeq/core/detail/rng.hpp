#pragma once
// Counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (seed, stream, id, index): no generator state is
// shared between neurons, threads or devices, so every backend draws the same
// numbers. Dynamics use index = (step << 16) | k for the k-th block of a step;
// build-time draws use a plain running index.
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "spikeq/core/config.hpp"
#include "spikeq/core/math.hpp"

namespace spikeq::detail {

/// Stable 32-bit stream id from a name (FNV-1a), so adding an object to a model
/// does not change the random numbers of the others.
constexpr std::uint32_t stream_id(std::string_view name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

SPIKEQ_HD constexpr std::uint64_t step_index(std::int64_t step) {
  return static_cast<std::uint64_t>(step) << 16;
}

class CounterRng {
 public:
  SPIKEQ_HD CounterRng(std::uint64_t seed, std::uint32_t stream, std::uint32_t id) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    stream_ = stream;
    id_ = id;
  }

  /// Four independent 32-bit words for counter `index`.
  SPIKEQ_HD r123::Philox4x32::ctr_type block(std::uint64_t index) const {
    r123::Philox4x32::ctr_type ctr = {{id_, stream_, static_cast<std::uint32_t>(index),
                                       static_cast<std::uint32_t>(index >> 32)}};
    return r123::Philox4x32()(ctr, key_);
  }

 private:
  r123::Philox4x32::key_type key_;
  std::uint32_t stream_;
  std::uint32_t id_;
};

/// Uniform double in the open interval (0, 1) from two 32-bit words (53 bits).
SPIKEQ_HD inline double to_unit_open(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);
  return (static_cast<double>(bits) + 0.5) * 0x1p-53;
}

/// sqrt(12) (u - 0.5): a uniform variate of mean 0 and variance 1 (within +-sqrt(3))
/// from u in (0, 1), for noise of a given sd (NoiseDistribution::uniform).
SPIKEQ_HD inline double unit_variance_uniform(double u) {
  return 3.4641016151377545870548926830117 * (u - 0.5);
}

/// Philox4x32-10 in place: the function r123::Philox4x32 computes, written with plain
/// 64-bit products so that a loop over many counters vectorises (Random123's mulhilo
/// does not). Each 32-bit word sits in the low half of a 64-bit integer whose high half
/// is zero: in 64-bit lanes the compiler multiplies directly, where 32-bit lanes cost
/// it a shuffle per product and run at half the speed.
SPIKEQ_HD inline void philox4x32_10(std::uint64_t& c0, std::uint64_t& c1, std::uint64_t& c2,
                                    std::uint64_t& c3, std::uint32_t k0, std::uint32_t k1) {
  constexpr std::uint64_t low = 0xffffffffull;
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = 0xD2511F53ull * c0;
    const std::uint64_t p1 = 0xCD9E8D57ull * c2;
    c0 = (p1 >> 32) ^ c1 ^ k0;
    c2 = (p0 >> 32) ^ c3 ^ k1;
    c1 = p1 & low;
    c3 = p0 & low;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

/// The two standard normals of one Box-Muller step.
struct NormalPair {
  double first;   // r cos(theta)
  double second;  // r sin(theta)
};

/// Box-Muller's squared radius r^2 and angle theta, apart from the square root: under
/// errno rules std::sqrt is a call for negative arguments, which keeps a loop around it
/// from vectorising, so batches take the root in a loop of their own.
SPIKEQ_HD inline double box_muller_r2(double u1) { return -2.0 * math::log(u1); }
SPIKEQ_HD inline double box_muller_theta(double u2) {
  return 6.283185307179586476925286766559 * u2;
}

/// Box-Muller from two uniforms in (0, 1), on spikeq::math's log and sincos rather than
/// libm's, so that a vectorised loop, a scalar one and a device give the same bits.
SPIKEQ_HD inline NormalPair box_muller(double u1, double u2) {
  const double r = std::sqrt(box_muller_r2(u1));
  const math::SinCos sc = math::sincos(box_muller_theta(u2));
  return {r * sc.cos, r * sc.sin};
}

/// log(k!) for a whole number k >= 0 (lgamma(k + 1)) on spikeq::math, so that host and
/// device agree in every bit: below 20 the log of the product 1 * 2 * ... * k (exact up
/// to 18!, one rounding per factor beyond), from 20 on Stirling's series to the n^-7 term,
/// whose remainder (below 1 / (1188 n^9)) is far under a double's resolution there.
SPIKEQ_HD inline double log_factorial(double k) {
  if (k < 20.0) {
    double p = 1.0;
    for (double f = 2.0; f <= k; f += 1.0) p *= f;
    return math::log(p);
  }
  const double n = k + 1.0;
  const double r = 1.0 / n, r2 = r * r;
  constexpr double half_log_two_pi = 0.91893853320467274178;
  const double series = r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)));
  return (n - 0.5) * math::log(n) - n + half_log_two_pi + series;
}

/// Inversion search for a Poisson count: from count k with probability p and cumulative
/// probability cdf, steps up until cdf reaches u (at most to 1000). The one definition of
/// the sequence of sums, so that a table of it (PoissonTable) gives the same counts.
SPIKEQ_HD inline std::uint32_t poisson_search(double u, double lambda, std::uint32_t k,
                                              double p, double cdf) {
  while (u > cdf && k < 1000u) {
    ++k;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/// The first terms of the inversion sums for one lambda < 40, computed exactly as
/// poisson_search computes them. The count for u is the number of entries below u
/// (cdf is non-decreasing, as p >= 0 and rounding is monotonic); when every entry is
/// below u, poisson_search continues from the last one.
struct PoissonTable {
  static constexpr std::uint32_t kMax = 128;
  double lambda = -1.0;  // the lambda and exp(-lambda) it was made for
  double exp_minus_lambda = 0.0;
  std::uint32_t size = 0;
  double p_last = 0.0;  // p of entry size - 1
  std::array<double, kMax> cdf{};

  [[nodiscard]] bool made_for(double lam, double eml) const {
    return size > 0 && lambda == lam && exp_minus_lambda == eml;
  }
};

/// Stops once the tail beyond the table is below 2^-16 (or at max_size entries): wider
/// tables cost every draw a comparison, narrower ones send more draws to the scalar
/// continuation.
inline PoissonTable make_poisson_table(double lambda, double exp_minus_lambda,
                                       std::uint32_t max_size = PoissonTable::kMax) {
  PoissonTable t;
  t.lambda = lambda;
  t.exp_minus_lambda = exp_minus_lambda;
  double p = exp_minus_lambda;
  double cdf = p;
  std::uint32_t k = 0;
  for (;;) {
    t.cdf[k] = cdf;
    t.p_last = p;
    t.size = k + 1;
    if (cdf >= 1.0 - 0x1p-16 || t.size >= max_size || t.size == PoissonTable::kMax) break;
    ++k;
    p *= lambda / k;
    cdf += p;
  }
  return t;
}

/// The Poisson count for uniform u from a PoissonTable's entries (cdf[0, size), p_last =
/// p of entry size - 1, for one lambda < 40): the number of entries below u, continued by
/// poisson_search past the table. The count DrawStream::poisson gives for that uniform and
/// the one the host drives' batch_poisson gives, one draw at a time (device code, where
/// the table sits in device memory).
SPIKEQ_HD inline std::uint32_t poisson_invert(const double* cdf, std::uint32_t size, double u,
                                              double lambda, double p_last) {
  std::uint32_t k = 0;
  while (k < size && u > cdf[k]) ++k;
  return k == size ? poisson_search(u, lambda, size - 1, p_last, cdf[size - 1]) : k;
}

/// Sequential draws from one (seed, stream, id) starting at a counter index.
class DrawStream {
 public:
  SPIKEQ_HD DrawStream(const CounterRng& rng, std::uint64_t first_index)
      : rng_(rng), index_(first_index) {}

  SPIKEQ_HD std::uint32_t next_u32() {
    if (pos_ == 4) {
      buf_ = rng_.block(index_++);
      pos_ = 0;
    }
    return buf_.v[pos_++];
  }

  /// Uniform in (0, 1).
  SPIKEQ_HD double uniform() {
    const std::uint32_t hi = next_u32();
    return to_unit_open(hi, next_u32());
  }

  /// Uniform integer in [0, n), unbiased (Lemire's multiply-shift with rejection).
  SPIKEQ_HD std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = static_cast<std::uint64_t>(next_u32()) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(next_u32()) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  /// Uniform integer in [0, n) for 64-bit ranges.
  SPIKEQ_HD std::uint64_t below64(std::uint64_t n) {
    if (n <= 0xffffffffull) return below(static_cast<std::uint32_t>(n));
    // Rejection on the smallest power-of-two mask covering n.
    std::uint64_t mask = n - 1;
    mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4;
    mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
    for (;;) {
      const std::uint64_t hi = next_u32();
      const std::uint64_t v = ((hi << 32) | next_u32()) & mask;
      if (v < n) return v;
    }
  }

  /// Standard normal (Box-Muller; the second variate of each pair is kept).
  SPIKEQ_HD double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform();
    const NormalPair z = box_muller(u1, uniform());
    spare_ = z.second;
    has_spare_ = true;
    return z.first;
  }

  /// Poisson count with mean lambda. Inversion for small means (exact, one
  /// uniform per draw); Hoermann's PTRS transformed rejection for large means.
  SPIKEQ_HD std::uint32_t poisson(double lambda, double exp_minus_lambda) {
    if (lambda < 40.0) {
      return poisson_search(uniform(), lambda, 0, exp_minus_lambda, exp_minus_lambda);
    }
    return poisson_ptrs(lambda);
  }

 private:
  /// PTRS on spikeq::math's log and log_factorial (and IEEE sqrt and floor), so the
  /// counts are the same bits on every host and device.
  SPIKEQ_HD std::uint32_t poisson_ptrs(double lambda) {
    const double slam = std::sqrt(lambda);
    const double loglam = math::log(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
      const double u = uniform() - 0.5;
      const double v = uniform();
      const double us = 0.5 - std::fabs(u);
      const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
      if (k < 0.0 || (us < 0.013 && v > us)) continue;
      if (math::log(v) + math::log(invalpha) - math::log(a / (us * us) + b) <=
          -lambda + k * loglam - log_factorial(k)) {
        return static_cast<std::uint32_t>(k);
      }
    }
  }

  CounterRng rng_;
  std::uint64_t index_;
  r123::Philox4x32::ctr_type buf_{};
  int pos_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace spikeq::detail
