#pragma once
// Samples with a known covariance for the convergence tests of the Hebbian rules
// (test_hebbian.cpp on plasticity/hebbian.hpp, test_subspace_rules.cpp on the engine's
// event-driven rules): x = Σ_i sqrt(λ_i) z_i e_i with a random orthonormal eigenbasis.
#include <cmath>
#include <cstdint>
#include <vector>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/plasticity/hebbian.hpp"

namespace spikeq_test::covariance {

namespace hb = spikeq::plasticity::hebbian;

constexpr std::size_t kN = 10;
constexpr double kDegrees = 57.295779513082320876798154814105;

/// Standard normals from the project's Philox stream (deterministic on every platform).
class Normals {
 public:
  explicit Normals(std::uint64_t seed) : draws_(spikeq::detail::CounterRng(seed, 7, 0), 0) {}
  double operator()() { return draws_.normal(); }

 private:
  spikeq::detail::DrawStream draws_;
};

/// A random orthonormal basis of R^n, as rows (Gram–Schmidt of normal draws, twice).
inline std::vector<double> random_basis(std::size_t n, Normals& z) {
  std::vector<double> e(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    double* v = e.data() + i * n;
    for (std::size_t j = 0; j < n; ++j) v[j] = z();
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t k = 0; k < i; ++k) {
        const double c = hb::dot(e.data() + k * n, v, n);
        for (std::size_t j = 0; j < n; ++j) v[j] -= c * e[k * n + j];
      }
    }
    const double norm = std::sqrt(hb::dot(v, v, n));
    for (std::size_t j = 0; j < n; ++j) v[j] /= norm;
  }
  return e;
}

/// x = Σ_i sqrt(λ_i) z_i e_i: zero mean, covariance Σ λ_i e_i e_iᵀ (eigenvectors e_i, the
/// rows of `basis`, in order of decreasing λ).
struct Source {
  std::vector<double> basis;     // n x n, rows e_i
  std::vector<double> variance;  // λ_i; fewer than n: the others are 0

  void draw(Normals& z, double* x) const {
    const std::size_t n = kN;
    for (std::size_t j = 0; j < n; ++j) x[j] = 0.0;
    for (std::size_t i = 0; i < variance.size(); ++i) {
      const double a = std::sqrt(variance[i]) * z();
      for (std::size_t j = 0; j < n; ++j) x[j] += a * basis[i * n + j];
    }
  }
  /// Rows [first, first + k) of the eigenbasis.
  [[nodiscard]] const double* rows(std::size_t first) const { return basis.data() + first * kN; }
};

/// The spectrum of the convergence tests: a gap of 6 between the 3rd and 4th eigenvalue.
inline const std::vector<double> kSpectrum{5.0, 4.0, 3.0, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02};

/// Angle in degrees between h and the line of e (sign-free).
inline double line_angle(const double* h, const double* e, std::size_t n) {
  const double c = std::abs(hb::dot(h, e, n)) / std::sqrt(hb::dot(h, h, n) * hb::dot(e, e, n));
  return std::acos(c > 1.0 ? 1.0 : c) * kDegrees;
}

/// Small random rows to start from (the rules need no orthonormal start).
inline std::vector<double> small_rows(std::size_t m, Normals& z) {
  std::vector<double> h(m * kN);
  for (double& v : h) v = 0.1 * z();
  return h;
}

// The documented convergence settings (also in hebbian.hpp's header comment).
// η_t = 0.01 / (1 + t / 100), i.e. ~1 / t late on: the asymptotic angle variance of Oja's
// rule is then near its minimum for a unit eigenvalue gap (λ1 − λ2 = 1 here), which makes
// the first component alone the slow case.
constexpr double kEta0 = 0.01;
constexpr double kT0 = 100.0;
constexpr std::size_t kOjaSamples = 600000;
constexpr std::size_t kSubspaceSamples = 40000;
constexpr std::size_t kSangerSamples = 400000;

inline Source spectrum_source(std::uint64_t seed) {
  Normals z(seed);
  return Source{random_basis(kN, z), kSpectrum};
}

}  // namespace spikeq_test::covariance
