#pragma once
// Hebbian subspace learning: m linear neurons y = H x (H row-major m x n, x of length n)
// whose weight rows learn the principal subspace of their inputs.
//
//   oja           Δh_i = η y_i (x − y_i h_i)              each row alone: the first
//                                                          principal component (Oja 1982)
//   oja_subspace  Δh_i = η y_i (x − Σ_{k<m} y_k h_k)       the rows span the top-m principal
//                                                          subspace, in no particular basis
//                                                          (Oja 1989)
//   sanger        Δh_i = η y_i (x − Σ_{k≤i} y_k h_k)       row i converges to ±e_{i+1}, the
//                                                          (i+1)-th eigenvector (Sanger
//                                                          1989, the generalised Hebbian
//                                                          algorithm)
//
// The term subtracted from x is the reconstruction x̂ of x from the neurons the row
// competes with; the update is Hebbian in y_i and anti-Hebbian in y_i x̂. HLOP (Xiao et
// al., ICLR 2024) learns the subspace of a layer's inputs this way, freezes it when a task
// ends ("consolidated" rows: they keep taking part in x̂, so new rows learn what they do not
// explain, but are never changed) and projects later tasks' weight updates out of it
// (project_out). The host-side object that does this is spikeq::plasticity::Subspace; in
// the engine, the plasticity rules oja_subspace and sanger learn it from spike traces and a
// SubspaceSpec consolidates it for rules that name it (rules.hpp).
//
// Convergence, as tests/plasticity/test_hebbian.cpp checks it (n = 10, covariance
// eigenvalues 5, 4, 3, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, random orthonormal eigenbasis,
// rows started at 0.1 × standard normals, one hebbian_step per sample with
// η_t = 0.01 / (1 + t / 100)): the largest principal angle to the true top-k eigenvectors
// is below 1 degree after
//   oja (k = 1):           600000 samples (measured 0.17°; the 5 : 4 gap makes it slow)
//   oja_subspace (k = 3):   40000 samples (0.39°)
//   sanger (k = 3):        400000 samples (0.19°; rows 0.26°, 0.43°, 0.56° from ±e_1..e_3)
//
// Every function is SPIKEQ_HD over plain arrays (no containers, no library calls), so a
// device kernel calls the same code; the loops have a fixed order, so host and device give
// the same bits (under -ffp-contract=off, as the whole build is compiled).
#include <cstddef>

#include "spikeq/core/config.hpp"

namespace spikeq::plasticity::hebbian {

/// What a row's update subtracts from x (see the table above).
enum class HebbianRule {
  oja,           ///< x̂_i = y_i h_i
  oja_subspace,  ///< x̂ = Σ over all rows of y_k h_k
  sanger,        ///< x̂_i = Σ_{k≤i} y_k h_k
};

/// a · b over n elements, in index order.
SPIKEQ_HD inline double dot(const double* a, const double* b, std::size_t n) {
  double s = 0.0;
  for (std::size_t j = 0; j < n; ++j) s += a[j] * b[j];
  return s;
}

/// y = H x for the first m rows of H (m x n).
SPIKEQ_HD inline void outputs(const double* H, std::size_t m, std::size_t n, const double* x,
                              double* y) {
  for (std::size_t i = 0; i < m; ++i) y[i] = dot(H + i * n, x, n);
}

namespace detail {

/// acc += a h, over n elements.
SPIKEQ_HD inline void add_scaled(double a, const double* h, std::size_t n, double* acc) {
  for (std::size_t j = 0; j < n; ++j) acc[j] += a * h[j];
}

/// The one expression of an update element, y_i (x_j − x̂_j), so that every caller (the
/// delta, its batch sum, the in-place step) rounds it the same way.
SPIKEQ_HD inline double update(double y_i, double x_j, double recon_j) {
  return y_i * (x_j - recon_j);
}

/// Row i of Oja's single-neuron rule, where x̂ = y_i h_i needs no scratch.
SPIKEQ_HD inline double oja_update(double y_i, double x_j, double h_ij) {
  return update(y_i, x_j, y_i * h_ij);
}

}  // namespace detail

/// sum += scale · y_i (x − x̂_i) for rows i >= fixed_rows; rows below are left as they are.
/// y is the neurons' output (outputs(), or a quantised version of it as spiking HLOP
/// neurons give). Rows < fixed_rows are consolidated: they enter x̂ (all of them for
/// oja_subspace, those k ≤ i for sanger) but receive no update. `recon` is scratch of n
/// doubles, its content on return unspecified. Summing samples with scale 1 / count gives a
/// mini-batch average; scale 1 gives exactly hebbian_delta's numbers.
SPIKEQ_HD inline void accumulate_hebbian_delta(HebbianRule rule, const double* H, std::size_t m,
                                               std::size_t n, const double* x, const double* y,
                                               std::size_t fixed_rows, double scale,
                                               double* recon, double* sum) {
  if (rule == HebbianRule::oja) {
    for (std::size_t i = fixed_rows; i < m; ++i) {
      const double* h = H + i * n;
      double* s = sum + i * n;
      for (std::size_t j = 0; j < n; ++j) s[j] += scale * detail::oja_update(y[i], x[j], h[j]);
    }
    return;
  }
  for (std::size_t j = 0; j < n; ++j) recon[j] = 0.0;
  if (rule == HebbianRule::oja_subspace) {
    for (std::size_t k = 0; k < m; ++k) detail::add_scaled(y[k], H + k * n, n, recon);
  }
  for (std::size_t i = 0; i < m; ++i) {
    // Sanger: x̂ grows by one row at a time, the row itself included.
    if (rule == HebbianRule::sanger) detail::add_scaled(y[i], H + i * n, n, recon);
    if (i < fixed_rows) continue;
    double* s = sum + i * n;
    for (std::size_t j = 0; j < n; ++j) s[j] += scale * detail::update(y[i], x[j], recon[j]);
  }
}

/// delta (m x n) = y_i (x − x̂_i) for rows i >= fixed_rows, zero for rows below: the
/// unscaled update of one sample. `recon` is scratch of n doubles (see
/// accumulate_hebbian_delta).
SPIKEQ_HD inline void hebbian_delta(HebbianRule rule, const double* H, std::size_t m,
                                    std::size_t n, const double* x, const double* y,
                                    std::size_t fixed_rows, double* recon, double* delta) {
  for (std::size_t e = 0; e < m * n; ++e) delta[e] = 0.0;
  accumulate_hebbian_delta(rule, H, m, n, x, y, fixed_rows, 1.0, recon, delta);
}

/// One per-sample SGD step in place: y = H x, then h_i += eta · y_i (x − x̂_i) for rows
/// i >= fixed_rows. The same bits as hebbian_delta followed by H += eta · delta, without
/// the m x n buffer: x̂ is built from the rows before they change (for sanger, row i enters
/// x̂ before it is updated, and later rows only read x̂). Scratch: y (m doubles, on return
/// the outputs of the H before the step) and recon (n doubles).
SPIKEQ_HD inline void hebbian_step(HebbianRule rule, double* H, std::size_t m, std::size_t n,
                                   const double* x, double eta, std::size_t fixed_rows,
                                   double* y, double* recon) {
  outputs(H, m, n, x, y);
  if (rule == HebbianRule::oja) {
    for (std::size_t i = fixed_rows; i < m; ++i) {
      double* h = H + i * n;
      for (std::size_t j = 0; j < n; ++j) h[j] += eta * detail::oja_update(y[i], x[j], h[j]);
    }
    return;
  }
  for (std::size_t j = 0; j < n; ++j) recon[j] = 0.0;
  if (rule == HebbianRule::oja_subspace) {
    for (std::size_t k = 0; k < m; ++k) detail::add_scaled(y[k], H + k * n, n, recon);
  }
  for (std::size_t i = 0; i < m; ++i) {
    double* h = H + i * n;
    if (rule == HebbianRule::sanger) detail::add_scaled(y[i], h, n, recon);
    if (i < fixed_rows) continue;
    for (std::size_t j = 0; j < n; ++j) h[j] += eta * detail::update(y[i], x[j], recon[j]);
  }
}

/// out = x − Hᵀ (H x) over the first `rows` rows of H (rows x n): x with its component in
/// their span removed, when the rows are orthonormal (otherwise x − HᵀH x, not a
/// projection). O(rows · n); no n x n matrix is formed. coeff is scratch of `rows`
/// doubles (on return H x). out may be x itself: the coefficients are complete before out
/// is written.
SPIKEQ_HD inline void project_out(const double* H, std::size_t rows, std::size_t n,
                                  const double* x, double* coeff, double* out) {
  outputs(H, rows, n, x, coeff);
  for (std::size_t j = 0; j < n; ++j) out[j] = x[j];
  for (std::size_t k = 0; k < rows; ++k) detail::add_scaled(-coeff[k], H + k * n, n, out);
}

}  // namespace spikeq::plasticity::hebbian
