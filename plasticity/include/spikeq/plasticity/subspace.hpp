#pragma once
// The subspace that HLOP (Xiao et al., ICLR 2024, "Hebbian Learning based Orthogonal
// Projection for Continual Learning of Spiking Neural Networks") keeps for one protected
// layer of fan-in n: m Hebbian neurons whose weight rows (H, m x n) learn the principal
// subspace of the layer's inputs during a task (learn), are frozen when it ends
// (consolidate), and from then on take the component in their span out of every weight
// update of later tasks (project_out), so what earlier tasks rely on is not overwritten.
// Each task adds rows for itself (add_rows); rows never exceed the fan-in.
//
// The update follows the reference implementation (github.com/pkuxmq/HLOP-SNN,
// modules/hlop_module.py): per call of learn, `iterations` passes over the batch, each the
// batch-averaged Hebbian update (hebbian.hpp), clipped element-wise to ±clip, into a
// momentum buffer v ← μ v + (1 − μ) Δ, then H ← H + η v on the learning rows.
// Unlike the reference, consolidate re-orthonormalises the learned rows (the span is kept),
// so that HᵀH over the consolidated rows is an exact projector (the reference's learned
// rows left ‖HHᵀ − I‖ at 0.2–0.55).
//
// Host-side and deterministic: the same calls give the same bits (fixed loop order, no
// threads, counter-based initial draws).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spikeq/plasticity/hebbian.hpp"

namespace spikeq::plasticity {

using hebbian::HebbianRule;

struct SubspaceOptions {
  HebbianRule rule = HebbianRule::oja_subspace;
  double eta = 0.01;       ///< learning rate η (> 0)
  double momentum = 0.9;   ///< μ in [0, 1); 0: plain batch gradient steps
  double clip = 10.0;      ///< bound on each batch-averaged update element (> 0)
  int iterations = 5;      ///< update passes per learn() call (>= 1)
  bool orthonormalize = true;  ///< consolidate() re-orthonormalises the learned rows
};

class Subspace {
 public:
  /// A subspace of fan-in n with no rows. Throws InvalidParameter for n = 0 or options out
  /// of range.
  explicit Subspace(std::size_t n, SubspaceOptions options = {});

  [[nodiscard]] std::size_t n() const { return n_; }
  [[nodiscard]] std::size_t rows() const { return rows_; }
  /// Rows [0, consolidated()) are frozen; rows [consolidated(), rows()) learn.
  [[nodiscard]] std::size_t consolidated() const { return consolidated_; }
  /// H, row-major rows() x n().
  [[nodiscard]] const std::vector<double>& matrix() const { return h_; }
  [[nodiscard]] const SubspaceOptions& options() const { return options_; }

  /// Appends k learning rows: standard normal draws (Philox, keyed by seed and the row's
  /// index) made orthonormal to the span of all existing rows and to each other (modified
  /// Gram–Schmidt, two passes). A draw that is numerically inside that span is redrawn from
  /// the next counter. Throws InvalidParameter when rows() + k > n().
  void add_rows(std::size_t k, std::uint64_t seed);

  /// Appends k learning rows as given (row-major k x n), e.g. the weights lateral neurons
  /// learned in a simulation; consolidate() then makes them orthonormal to the rest and
  /// drops those inside the span. Throws InvalidParameter for a value that is not finite.
  void append_rows(const double* rows, std::size_t k);

  /// Replaces every row by h (row-major, h.size() a multiple of n), all consolidated, bit
  /// for bit (a checkpoint's rows). Throws InvalidParameter for another size, more rows
  /// than n or a value that is not finite.
  void restore(std::vector<double> h);

  /// Learns from `count` samples (row-major count x n): `iterations` momentum steps of the
  /// batch-averaged Hebbian update; only the learning rows change. No-op without samples
  /// or learning rows.
  void learn(const double* batch, std::size_t count);

  /// Freezes every row. With options().orthonormalize, first makes the learned rows
  /// orthonormal to the consolidated ones and to each other (modified Gram–Schmidt, two
  /// passes) — the span of all rows is kept — and drops a learned row that lies
  /// numerically inside the span of the rows before it (it adds no direction to protect,
  /// and normalising its remainder would protect a random one). Resets the momentum.
  void consolidate();

  /// out = x − HᵀH x over the consolidated rows (what earlier tasks hold); out may be x.
  void project_out(const double* x, double* out) const;
  /// The same over all rows.
  void project_out_all(const double* x, double* out) const;

  /// max_ij |(H Hᵀ − I)_ij| over all rows (the max-abs entry norm): 0 for orthonormal rows.
  [[nodiscard]] double orthogonality_error() const;
  /// ‖H Hᵀ − I‖_F over all rows.
  [[nodiscard]] double frobenius_orthogonality_error() const;

 private:
  std::size_t n_;
  SubspaceOptions options_;
  std::size_t rows_ = 0;
  std::size_t consolidated_ = 0;
  std::vector<double> h_;         // rows_ x n_
  std::vector<double> velocity_;  // rows_ x n_, the momentum buffer (zero on frozen rows)
};

/// The largest principal angle, in degrees, between the row spaces of A (ra x n) and B
/// (rb x n), both row-major with linearly independent rows (InvalidParameter otherwise, or
/// for ra = 0 or rb = 0). For ra ≠ rb it is the largest of the min(ra, rb) principal
/// angles: how far the smaller space is from lying inside the larger. Both row sets are
/// orthonormalised (A_q, B_q); the angle's sine is the largest singular value of the part
/// of the smaller one outside the larger, R = A_q − (A_q B_qᵀ) B_q, and its cosine the
/// smallest singular value of A_q B_qᵀ. Singular values come from the eigenvalues of the
/// small Gram matrices (k x k, k = min(ra, rb)) by cyclic Jacobi rotations. The sine is used
/// below 45 degrees (accurate for tiny angles, where the cosine is within rounding of 1),
/// the cosine above.
double principal_angle_degrees(const double* A, std::size_t ra, const double* B,
                               std::size_t rb, std::size_t n);

}  // namespace spikeq::plasticity
