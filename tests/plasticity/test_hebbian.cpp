// Hebbian subspace learning (plasticity/hebbian.hpp) and HLOP's subspace object
// (plasticity/subspace.hpp): Oja's rule, Oja's subspace rule and Sanger's rule find the
// principal subspace of a known covariance; the subspace object adds orthonormal rows,
// learns a second task's subspace with the first one frozen bit for bit, projects out what
// earlier tasks hold, and is deterministic.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/plasticity/hebbian.hpp"
#include "spikeq/plasticity/subspace.hpp"
#include "covariance.hpp"

using namespace spikeq;
using namespace spikeq::plasticity;
namespace hb = spikeq::plasticity::hebbian;

using namespace spikeq_test::covariance;

namespace {

/// Per-sample SGD with η_t = eta0 / (1 + t / t0) (hebbian_step), `samples` samples.
void sgd(hb::HebbianRule rule, std::vector<double>& h, std::size_t m, const Source& src,
         std::size_t samples, double eta0, double t0, Normals& z) {
  std::vector<double> x(kN), y(m), recon(kN);
  for (std::size_t t = 0; t < samples; ++t) {
    src.draw(z, x.data());
    const double eta = eta0 / (1.0 + static_cast<double>(t) / t0);
    hb::hebbian_step(rule, h.data(), m, kN, x.data(), eta, 0, y.data(), recon.data());
  }
}

}  // namespace

TEST_CASE("Oja's rule finds the first principal component") {
  const Source src = spectrum_source(11);
  Normals z(12);
  std::vector<double> h = small_rows(1, z);
  sgd(hb::HebbianRule::oja, h, 1, src, kOjaSamples, kEta0, kT0, z);
  const double angle = principal_angle_degrees(h.data(), 1, src.rows(0), 1, kN);
  MESSAGE("oja: angle to e_1 " << angle << " deg after " << kOjaSamples << " samples");
  CHECK(angle < 1.0);
  CHECK(std::sqrt(hb::dot(h.data(), h.data(), kN)) == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("Oja's subspace rule finds the top-3 principal subspace") {
  const Source src = spectrum_source(21);
  Normals z(22);
  std::vector<double> h = small_rows(3, z);
  sgd(hb::HebbianRule::oja_subspace, h, 3, src, kSubspaceSamples, kEta0, kT0, z);
  const double angle = principal_angle_degrees(h.data(), 3, src.rows(0), 3, kN);
  MESSAGE("oja_subspace: largest principal angle " << angle << " deg after "
                                                    << kSubspaceSamples << " samples");
  CHECK(angle < 1.0);
}

TEST_CASE("Sanger's rule finds the top-3 eigenvectors in order") {
  const Source src = spectrum_source(31);
  Normals z(32);
  std::vector<double> h = small_rows(3, z);
  sgd(hb::HebbianRule::sanger, h, 3, src, kSangerSamples, kEta0, kT0, z);
  const double angle = principal_angle_degrees(h.data(), 3, src.rows(0), 3, kN);
  MESSAGE("sanger: largest principal angle " << angle << " deg after " << kSangerSamples
                                              << " samples");
  CHECK(angle < 1.0);
  for (std::size_t i = 0; i < 3; ++i) {
    const double a = line_angle(h.data() + i * kN, src.rows(i), kN);
    MESSAGE("sanger: row " << i << " to ±e_" << i + 1 << ": " << a << " deg");
    CHECK(a < 3.0);
  }
}

TEST_CASE("hebbian_step is hebbian_delta applied in place; consolidated rows do not change") {
  Normals z(41);
  const std::size_t m = 4, fixed = 1;
  const std::vector<double> h0 = small_rows(m, z);
  std::vector<double> x(kN);
  for (double& v : x) v = z();
  for (auto rule : {hb::HebbianRule::oja, hb::HebbianRule::oja_subspace, hb::HebbianRule::sanger}) {
    std::vector<double> y(m), recon(kN), delta(m * kN, 1.0);
    hb::outputs(h0.data(), m, kN, x.data(), y.data());
    hb::hebbian_delta(rule, h0.data(), m, kN, x.data(), y.data(), fixed, recon.data(),
                      delta.data());
    std::vector<double> expected = h0;
    for (std::size_t e = 0; e < m * kN; ++e) expected[e] += 0.05 * delta[e];
    std::vector<double> h = h0;
    hb::hebbian_step(rule, h.data(), m, kN, x.data(), 0.05, fixed, y.data(), recon.data());
    CHECK(std::memcmp(h.data(), expected.data(), h.size() * sizeof(double)) == 0);
    for (std::size_t j = 0; j < kN; ++j) CHECK(delta[j] == 0.0);  // row 0 is consolidated
  }
  // Row 0 of Sanger's rule is Oja's rule; a single row of the subspace rule is too.
  std::vector<double> y(m), recon(kN), oja(m * kN), sanger(m * kN), sub(kN);
  hb::outputs(h0.data(), m, kN, x.data(), y.data());
  hb::hebbian_delta(hb::HebbianRule::oja, h0.data(), m, kN, x.data(), y.data(), 0,
                    recon.data(), oja.data());
  hb::hebbian_delta(hb::HebbianRule::sanger, h0.data(), m, kN, x.data(), y.data(), 0,
                    recon.data(), sanger.data());
  hb::hebbian_delta(hb::HebbianRule::oja_subspace, h0.data(), 1, kN, x.data(), y.data(), 0,
                    recon.data(), sub.data());
  for (std::size_t j = 0; j < kN; ++j) {
    CHECK(sanger[j] == doctest::Approx(oja[j]).epsilon(1e-14));
    CHECK(sub[j] == doctest::Approx(oja[j]).epsilon(1e-14));
  }
}

TEST_CASE("Subspace::add_rows: orthonormal to the rows there, never beyond the fan-in") {
  Subspace s(kN);
  s.add_rows(4, 1);
  CHECK(s.rows() == 4);
  CHECK(s.consolidated() == 0);
  CHECK(s.orthogonality_error() < 1e-12);
  s.consolidate();
  CHECK(s.consolidated() == 4);
  const std::vector<double> before = s.matrix();
  s.add_rows(3, 2);
  CHECK(s.rows() == 7);
  CHECK(s.orthogonality_error() < 1e-12);
  CHECK(s.frobenius_orthogonality_error() < 1e-12);
  CHECK(std::memcmp(s.matrix().data(), before.data(), before.size() * sizeof(double)) == 0);
  CHECK_THROWS_AS(s.add_rows(4, 3), InvalidParameter);
  CHECK(s.rows() == 7);
  s.add_rows(3, 3);  // up to the fan-in: the last row is fixed up to its sign
  CHECK(s.rows() == kN);
  CHECK(s.orthogonality_error() < 1e-12);
  CHECK_THROWS_AS(s.add_rows(1, 4), InvalidParameter);
  s.add_rows(0, 5);
  CHECK(s.rows() == kN);

  Subspace a(kN), b(kN), c(kN);
  a.add_rows(3, 9);
  b.add_rows(3, 9);
  c.add_rows(3, 10);
  CHECK(a.matrix() == b.matrix());
  CHECK(a.matrix() != c.matrix());
}

TEST_CASE("Subspace options out of range are refused") {
  CHECK_THROWS_AS(Subspace(0), InvalidParameter);
  CHECK_THROWS_AS(Subspace(kN, {.eta = 0.0}), InvalidParameter);
  CHECK_THROWS_AS(Subspace(kN, {.momentum = 1.0}), InvalidParameter);
  CHECK_THROWS_AS(Subspace(kN, {.clip = 0.0}), InvalidParameter);
  CHECK_THROWS_AS(Subspace(kN, {.iterations = 0}), InvalidParameter);
}

TEST_CASE("Subspace::project_out removes the consolidated span and nothing else") {
  Subspace s(kN);
  s.add_rows(4, 17);
  s.consolidate();
  s.add_rows(1, 18);  // row 4: orthogonal to the consolidated rows, not consolidated
  const std::vector<double>& h = s.matrix();
  std::vector<double> in(kN, 0.0), out(kN);
  const double c[4] = {1.5, -2.0, 0.25, 3.0};
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t j = 0; j < kN; ++j) in[j] += c[k] * h[k * kN + j];
  }
  s.project_out(in.data(), out.data());
  for (double v : out) CHECK(std::abs(v) < 1e-14);

  const double* orth = h.data() + 4 * kN;
  s.project_out(orth, out.data());
  for (std::size_t j = 0; j < kN; ++j) CHECK(out[j] == doctest::Approx(orth[j]).epsilon(1e-14));
  s.project_out_all(orth, out.data());  // all rows: row 4 is in the span
  for (double v : out) CHECK(std::abs(v) < 1e-14);

  std::vector<double> alias = in;  // out may be x
  s.project_out(alias.data(), alias.data());
  for (double v : alias) CHECK(std::abs(v) < 1e-14);
}

namespace {

constexpr std::size_t kBatch = 32;
constexpr int kBatches = 150;

/// Learns `batches` batches of kBatch samples from src.
void learn(Subspace& s, const Source& src, int batches, Normals& z) {
  std::vector<double> batch(kBatch * kN);
  for (int b = 0; b < batches; ++b) {
    for (std::size_t k = 0; k < kBatch; ++k) src.draw(z, batch.data() + k * kN);
    s.learn(batch.data(), kBatch);
  }
}

/// Two tasks: task 1's inputs span e_1..e_3, task 2's span e_1..e_6 (its new directions
/// e_4..e_6). Returns the subspace after both, with task 1's matrix in `task1`.
struct TwoTasks {
  Subspace s{kN};
  std::vector<double> task1;
  Source src1, src2;
};

TwoTasks two_tasks() {
  TwoTasks t;
  Normals z(51);
  const std::vector<double> basis = random_basis(kN, z);
  t.src1 = Source{basis, {5.0, 4.0, 3.0}};
  t.src2 = Source{basis, {5.0, 4.0, 3.0, 2.0, 1.5, 1.0}};
  t.s.add_rows(3, 52);
  learn(t.s, t.src1, kBatches, z);
  t.s.consolidate();
  t.task1 = t.s.matrix();
  t.s.add_rows(3, 53);
  learn(t.s, t.src2, kBatches, z);
  return t;
}

}  // namespace

TEST_CASE("Subspace: a second task learns its new directions, the first stays frozen") {
  TwoTasks t = two_tasks();
  Subspace& s = t.s;
  const double a1 = principal_angle_degrees(t.task1.data(), 3, t.src1.rows(0), 3, kN);
  const double a2 = principal_angle_degrees(s.matrix().data() + 3 * kN, 3, t.src2.rows(3), 3, kN);
  MESSAGE("task 1 rows to e_1..e_3: " << a1 << " deg; task 2 rows to e_4..e_6: " << a2
                                      << " deg (" << kBatches << " batches of " << kBatch
                                      << ", eta 0.01, momentum 0.9, 5 iterations)");
  CHECK(a1 < 1.0);
  CHECK(a2 < 1.0);
  CHECK(std::memcmp(s.matrix().data(), t.task1.data(), t.task1.size() * sizeof(double)) == 0);
  CHECK(s.consolidated() == 3);
  s.consolidate();
  CHECK(s.rows() == 6);
  CHECK(s.orthogonality_error() < 1e-12);
  CHECK(principal_angle_degrees(s.matrix().data(), 6, t.src2.rows(0), 6, kN) < 1.0);
}

TEST_CASE("Subspace::consolidate orthonormalises the learned rows and keeps their span") {
  Normals z(61);
  const Source src = spectrum_source(62);
  Subspace s(kN, {.eta = 0.05});
  s.add_rows(2, 63);
  learn(s, src, 3, z);
  s.consolidate();
  s.add_rows(3, 64);
  learn(s, src, 5, z);  // far from converged: the rows drift from orthonormality
  const double drift = s.orthogonality_error();
  MESSAGE("orthogonality error before consolidate: " << drift);
  CHECK(drift > 1e-4);
  const std::vector<double> before = s.matrix();
  s.consolidate();
  CHECK(s.rows() == 5);
  CHECK(s.consolidated() == 5);
  CHECK(std::memcmp(s.matrix().data(), before.data(), 2 * kN * sizeof(double)) == 0);
  CHECK(s.orthogonality_error() < 1e-12);
  CHECK(s.frobenius_orthogonality_error() < 1e-12);
  const double angle = principal_angle_degrees(before.data(), 5, s.matrix().data(), 5, kN);
  MESSAGE("span change: " << angle << " deg");
  CHECK(angle < 1e-6);
}

TEST_CASE("Subspace learning is deterministic") {
  const TwoTasks a = two_tasks();
  const TwoTasks b = two_tasks();
  REQUIRE(a.s.matrix().size() == b.s.matrix().size());
  CHECK(std::memcmp(a.s.matrix().data(), b.s.matrix().data(),
                    a.s.matrix().size() * sizeof(double)) == 0);
}

TEST_CASE("principal_angle_degrees against known angles") {
  // span{e1, e2} and span{e1, cos θ e2 + sin θ e3}: largest angle θ.
  for (double deg : {1e-7, 1e-3, 30.0, 60.0, 89.0, 90.0}) {
    const double th = deg / kDegrees;
    std::vector<double> a(2 * kN, 0.0), b(2 * kN, 0.0);
    a[0] = 1.0;
    a[kN + 1] = 1.0;
    b[0] = 2.0;  // not normalised: the function orthonormalises
    b[kN + 1] = std::cos(th);
    b[kN + 2] = std::sin(th);
    CHECK(principal_angle_degrees(a.data(), 2, b.data(), 2, kN) ==
          doctest::Approx(deg).epsilon(1e-9));
    CHECK(principal_angle_degrees(a.data(), 1, b.data(), 2, kN) == doctest::Approx(0.0));
  }
  std::vector<double> dep(2 * kN, 0.0);
  dep[0] = 1.0;
  dep[kN] = 2.0;
  CHECK_THROWS_AS(principal_angle_degrees(dep.data(), 2, dep.data(), 1, kN), InvalidParameter);
}
