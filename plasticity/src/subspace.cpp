// HLOP's subspace object: initial draws, batch learning with momentum, consolidation, and
// the principal angle the tests measure convergence with.
#include "spikeq/plasticity/subspace.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"

namespace spikeq::plasticity {

namespace {

namespace hb = hebbian;

/// A remainder below this fraction of a row's norm after removing a span is rounding,
/// not a direction: rows in double carry ~1e-16 relative error, and two Gram–Schmidt
/// passes leave a remainder of that order for a row inside the span.
constexpr double kDependentRatio = 1e-10;

/// Draws of one row that may all fall inside the span before add_rows gives up. A
/// standard normal draw lies in a proper subspace with probability zero; this only stops
/// a loop on a broken generator.
constexpr int kMaxDraws = 64;

double norm(const double* v, std::size_t n) { return std::sqrt(hb::dot(v, v, n)); }

/// v -= (q_k · v) q_k for the q rows of Q (orthonormal), twice: one modified Gram–Schmidt
/// pass leaves a remainder of order eps · ‖v‖ / ‖remainder‖ in the span, the second brings
/// it to rounding level ("twice is enough", Giraud et al. 2005).
void remove_span(const std::vector<double>& Q, std::size_t q, std::size_t n, double* v) {
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t k = 0; k < q; ++k) {
      const double* qk = Q.data() + k * n;
      hb::detail::add_scaled(-hb::dot(qk, v, n), qk, n, v);
    }
  }
}

/// An orthonormal basis being built row by row.
struct Basis {
  std::size_t n;
  std::vector<double> rows;  // count() x n

  [[nodiscard]] std::size_t count() const { return rows.size() / n; }

  /// Removes the span from v (length n); appends v / ‖v‖ and returns true unless the
  /// remainder is below kDependentRatio of v's norm (v is then left unnormalised).
  bool absorb(double* v) {
    const double before = norm(v, n);
    remove_span(rows, count(), n, v);
    const double after = norm(v, n);
    if (!(after > kDependentRatio * before)) return false;  // also v = 0
    for (std::size_t j = 0; j < n; ++j) v[j] /= after;
    rows.insert(rows.end(), v, v + n);
    return true;
  }
};

/// An orthonormal basis of the span of r rows (r x n); returns the number of rows found
/// dependent on earlier ones, which it skips.
std::size_t absorb_rows(Basis& basis, const double* rows, std::size_t r) {
  std::vector<double> v(basis.n);
  std::size_t dependent = 0;
  for (std::size_t i = 0; i < r; ++i) {
    std::copy(rows + i * basis.n, rows + (i + 1) * basis.n, v.begin());
    if (!basis.absorb(v.data())) ++dependent;
  }
  return dependent;
}

/// Fills v (length n) with standard normals from Philox, keyed by the seed and the row's
/// index; each draw of a row (attempt) has its own 2^32-counter range.
void draw_row(std::uint64_t seed, std::size_t row, int attempt, std::size_t n, double* v) {
  namespace sd = spikeq::detail;
  const sd::CounterRng rng(seed, sd::stream_id("spikeq.plasticity.subspace"),
                           static_cast<std::uint32_t>(row));
  sd::DrawStream draws(rng, static_cast<std::uint64_t>(attempt) << 32);
  for (std::size_t j = 0; j < n; ++j) v[j] = draws.normal();
}

double clip(double d, double bound) { return d > bound ? bound : (d < -bound ? -bound : d); }

void check_options(std::size_t n, const SubspaceOptions& o) {
  auto fail = [](const std::string& what) {
    throw InvalidParameter("Subspace: " + what);
  };
  if (n == 0) fail("fan-in n must be > 0");
  if (!(o.eta > 0.0) || !std::isfinite(o.eta)) {
    fail("eta must be finite and > 0, got " + spikeq::detail::format_number(o.eta));
  }
  if (!(o.momentum >= 0.0 && o.momentum < 1.0)) {
    fail("momentum must be in [0, 1), got " + spikeq::detail::format_number(o.momentum));
  }
  if (!(o.clip > 0.0)) fail("clip must be > 0, got " + spikeq::detail::format_number(o.clip));
  if (o.iterations < 1) fail("iterations must be >= 1, got " + std::to_string(o.iterations));
}

}  // namespace

Subspace::Subspace(std::size_t n, SubspaceOptions options) : n_(n), options_(options) {
  check_options(n, options);
}

void Subspace::add_rows(std::size_t k, std::uint64_t seed) {
  if (k > n_ - rows_) {
    throw InvalidParameter("Subspace::add_rows: " + std::to_string(rows_) + " rows + " +
                           std::to_string(k) + " new ones exceed the fan-in n = " +
                           std::to_string(n_) + " (rows cannot exceed the fan-in)");
  }
  Basis basis{n_, {}};
  absorb_rows(basis, h_.data(), rows_);
  std::vector<double> v(n_);
  for (std::size_t t = 0; t < k; ++t) {
    const std::size_t row = rows_ + t;
    int attempt = 0;
    for (;; ++attempt) {
      if (attempt == kMaxDraws) {
        throw Error("Subspace::add_rows: no draw for row " + std::to_string(row) +
                    " outside the span of the rows before it");
      }
      draw_row(seed, row, attempt, n_, v.data());
      if (basis.absorb(v.data())) break;
    }
    h_.insert(h_.end(), v.begin(), v.end());
  }
  rows_ += k;
  velocity_.resize(rows_ * n_, 0.0);
}

void Subspace::append_rows(const double* rows, std::size_t k) {
  for (std::size_t e = 0; e < k * n_; ++e) {
    if (!std::isfinite(rows[e])) {
      throw InvalidParameter("Subspace::append_rows: value " + std::to_string(e) + " is not finite");
    }
  }
  h_.insert(h_.end(), rows, rows + k * n_);
  rows_ += k;
  velocity_.resize(rows_ * n_, 0.0);
}

void Subspace::restore(std::vector<double> h) {
  const bool finite = std::all_of(h.begin(), h.end(), [](double v) { return std::isfinite(v); });
  if (h.size() % n_ != 0 || h.size() / n_ > n_ || !finite) {
    throw InvalidParameter("Subspace::restore: " + std::to_string(h.size()) +
                           " values are not at most n rows of n = " + std::to_string(n_) +
                           " finite values");
  }
  h_ = std::move(h);
  rows_ = consolidated_ = h_.size() / n_;
  velocity_.assign(rows_ * n_, 0.0);
}

void Subspace::learn(const double* batch, std::size_t count) {
  if (count == 0 || consolidated_ == rows_) return;
  if (batch == nullptr) throw InvalidParameter("Subspace::learn: batch is null");
  const std::size_t first = consolidated_ * n_, last = rows_ * n_;
  std::vector<double> y(rows_), recon(n_), sum(rows_ * n_, 0.0);
  const auto samples = static_cast<double>(count);
  for (int it = 0; it < options_.iterations; ++it) {
    std::fill(sum.begin() + static_cast<std::ptrdiff_t>(first), sum.end(), 0.0);
    for (std::size_t s = 0; s < count; ++s) {
      const double* x = batch + s * n_;
      hb::outputs(h_.data(), rows_, n_, x, y.data());
      hb::accumulate_hebbian_delta(options_.rule, h_.data(), rows_, n_, x, y.data(),
                                   consolidated_, 1.0, recon.data(), sum.data());
    }
    // The reference's step: average, clip, momentum, then the weights.
    for (std::size_t e = first; e < last; ++e) {
      const double d = clip(sum[e] / samples, options_.clip);
      velocity_[e] = options_.momentum * velocity_[e] + (1.0 - options_.momentum) * d;
      h_[e] += options_.eta * velocity_[e];
    }
  }
}

void Subspace::consolidate() {
  if (options_.orthonormalize && consolidated_ < rows_) {
    Basis basis{n_, {}};
    absorb_rows(basis, h_.data(), consolidated_);
    // The consolidated rows stay as they are (bit for bit); the learned ones are replaced
    // by their orthonormalised remainders, in order, the dependent ones dropped.
    std::vector<double> kept(h_.data(), h_.data() + consolidated_ * n_);
    std::vector<double> v(n_);
    for (std::size_t i = consolidated_; i < rows_; ++i) {
      std::copy(h_.data() + i * n_, h_.data() + (i + 1) * n_, v.begin());
      if (basis.absorb(v.data())) kept.insert(kept.end(), v.begin(), v.end());
    }
    h_ = std::move(kept);
    rows_ = h_.size() / n_;
  }
  consolidated_ = rows_;
  velocity_.assign(rows_ * n_, 0.0);
}

void Subspace::project_out(const double* x, double* out) const {
  std::vector<double> coeff(consolidated_);
  hb::project_out(h_.data(), consolidated_, n_, x, coeff.data(), out);
}

void Subspace::project_out_all(const double* x, double* out) const {
  std::vector<double> coeff(rows_);
  hb::project_out(h_.data(), rows_, n_, x, coeff.data(), out);
}

double Subspace::orthogonality_error() const {
  double worst = 0.0;
  for (std::size_t i = 0; i < rows_; ++i) {
    for (std::size_t j = i; j < rows_; ++j) {
      const double g = hb::dot(h_.data() + i * n_, h_.data() + j * n_, n_) - (i == j ? 1.0 : 0.0);
      worst = std::max(worst, std::abs(g));
    }
  }
  return worst;
}

double Subspace::frobenius_orthogonality_error() const {
  double sum = 0.0;
  for (std::size_t i = 0; i < rows_; ++i) {
    for (std::size_t j = i; j < rows_; ++j) {
      const double g = hb::dot(h_.data() + i * n_, h_.data() + j * n_, n_) - (i == j ? 1.0 : 0.0);
      sum += (i == j ? 1.0 : 2.0) * g * g;  // the symmetric entry (j, i) counts too
    }
  }
  return std::sqrt(sum);
}

namespace {

/// The eigenvalues of a symmetric k x k matrix (row-major, overwritten), ascending, by
/// cyclic Jacobi rotations (Golub & Van Loan, Algorithm 8.5.3). A rotation is skipped when
/// |a_pq| <= eps sqrt(|a_pp a_qq|): that criterion keeps small eigenvalues of a positive
/// semidefinite Gram matrix to high relative accuracy (Demmel & Veselić 1992), which the
/// sines of tiny angles need.
std::vector<double> jacobi_eigenvalues(std::vector<double> a, std::size_t k) {
  constexpr double eps = 2.220446049250313e-16;
  constexpr int kMaxSweeps = 100;
  auto at = [&](std::size_t r, std::size_t c) -> double& { return a[r * k + c]; };
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    bool rotated = false;
    for (std::size_t p = 0; p + 1 < k; ++p) {
      for (std::size_t q = p + 1; q < k; ++q) {
        const double apq = at(p, q);
        if (apq == 0.0 || std::abs(apq) <= eps * std::sqrt(std::abs(at(p, p) * at(q, q)))) {
          continue;
        }
        rotated = true;
        // t = tan of the angle that zeroes a_pq (the smaller root, for stability).
        const double theta = (at(q, q) - at(p, p)) / (2.0 * apq);
        const double t = std::abs(theta) > 1e150
                             ? 0.5 / theta
                             : (theta >= 0.0 ? 1.0 : -1.0) /
                                   (std::abs(theta) + std::sqrt(1.0 + theta * theta));
        const double c = 1.0 / std::sqrt(1.0 + t * t), s = t * c;
        for (std::size_t r = 0; r < k; ++r) {  // A J
          const double arp = at(r, p), arq = at(r, q);
          at(r, p) = c * arp - s * arq;
          at(r, q) = s * arp + c * arq;
        }
        for (std::size_t r = 0; r < k; ++r) {  // Jᵀ (A J)
          const double apr = at(p, r), aqr = at(q, r);
          at(p, r) = c * apr - s * aqr;
          at(q, r) = s * apr + c * aqr;
        }
      }
    }
    if (!rotated) break;
  }
  std::vector<double> eig(k);
  for (std::size_t i = 0; i < k; ++i) eig[i] = at(i, i);
  std::sort(eig.begin(), eig.end());
  return eig;
}

/// G = M Mᵀ for M (r x n, row-major).
std::vector<double> gram(const std::vector<double>& M, std::size_t r, std::size_t n) {
  std::vector<double> g(r * r);
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      g[i * r + j] = g[j * r + i] = hb::dot(M.data() + i * n, M.data() + j * n, n);
    }
  }
  return g;
}

Basis orthonormal_rows(const double* rows, std::size_t r, std::size_t n, const char* name) {
  Basis basis{n, {}};
  if (absorb_rows(basis, rows, r) != 0) {
    throw InvalidParameter(std::string("principal_angle_degrees: the rows of ") + name +
                           " are linearly dependent");
  }
  return basis;
}

}  // namespace

double principal_angle_degrees(const double* A, std::size_t ra, const double* B,
                               std::size_t rb, std::size_t n) {
  if (ra == 0 || rb == 0 || n == 0) {
    throw InvalidParameter("principal_angle_degrees: both row sets need rows and n > 0");
  }
  Basis a = orthonormal_rows(A, ra, n, "A");
  Basis b = orthonormal_rows(B, rb, n, "B");
  if (ra > rb) std::swap(a, b);  // a: the smaller space
  const std::size_t k = a.count(), l = b.count();
  // M = A_q B_qᵀ (k x l) and R = A_q − M B_q (k x n).
  std::vector<double> M(k * l), R(a.rows);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < l; ++j) {
      const double m = hb::dot(a.rows.data() + i * n, b.rows.data() + j * n, n);
      M[i * l + j] = m;
      hb::detail::add_scaled(-m, b.rows.data() + j * n, n, R.data() + i * n);
    }
  }
  const double sin2 = jacobi_eigenvalues(gram(R, k, n), k).back();
  const double sine = std::sqrt(std::clamp(sin2, 0.0, 1.0));
  constexpr double kDegrees = 57.295779513082320876798154814105;
  if (sine < std::sqrt(0.5)) return std::asin(sine) * kDegrees;
  const double cos2 = jacobi_eigenvalues(gram(M, k, l), k).front();
  return std::acos(std::sqrt(std::clamp(cos2, 0.0, 1.0))) * kDegrees;
}

}  // namespace spikeq::plasticity
