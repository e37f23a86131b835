#pragma once
// What a plastic synapse does on each of its events, written once for every backend
// (SPIKEQ_HD): a presynaptic arrival, a postsynaptic spike, a periodic update, a modulator
// jump. A Learner is a view: the rule's constants, the projection's arrays (host memory or
// a device's copy) and, for eligibility traces, the modulator's state at that moment. The
// host kernels (backends/host/plastic_kernels.cpp) and the device kernels
// (backends/.../device/learning_kernels.hpp) call the same member functions, so the
// weights agree bit for bit: only spikeq::math and IEEE-rounded arithmetic are used.
#include <cstdint>

#include "spikeq/core/config.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/plasticity/detail/plastic_state.hpp"

namespace spikeq::detail {

/// A modulator's state as an eligibility trace reads it: baseline + m decaying from `since`.
struct ModulatorView {
  double baseline;
  double m;
  Step since;
  DecayView decay;
};

/// The constants of a plastic projection's rule (PlasticProjection's scalars).
struct PlasticRule {
  PlasticProjection::Kind kind;
  PlasticProjection::Mode mode;
  plasticity::Pairing pairing;
  plasticity::WeightDependence dependence;
  double A_plus, A_minus, mu_plus, mu_minus, alpha, sign, w_min, w_max;
  DecayView pre_decay, post_decay, c_decay;
  double tau_c, dt, bias, acc_decay, eta_step, scale;
  plasticity::hebbian::HebbianRule form;
};

/// The per-synapse and per-target arrays of a plastic projection.
struct PlasticArrays {
  PlasticProjection::Trace* traces;  // by position (backward index)
  const std::uint32_t* position;     // CSR index -> position
  const std::uint64_t* post_ptr;     // target -> positions
  const std::uint32_t* post_syn;     // position -> CSR index
  double* x_post;                    // per target
  Step* post_last;                   // per target
  float* w;                          // by CSR index
  const std::uint64_t* src_ptr;      // subspace rules: source -> src_pos / src_target
  const std::uint32_t* src_pos;
  const std::uint32_t* src_target;
  // HLOP projection: the subspace's rows as columns (per source neuron, basis_rows
  // values), each position's source, and per-target scratch; basis_rows = 0: none.
  const double* basis;
  std::uint32_t basis_rows;
  const std::uint32_t* pos_source;
  double* coeff;
};

/// Traces below this are zero: left alone they would decay into subnormal floats, whose
/// arithmetic costs a hundred times more, for changes far below float resolution.
inline constexpr float kTraceFloor = 1e-30f;

SPIKEQ_HD inline float floored(double x) {
  const auto f = static_cast<float>(x);
  return (f < 0.0f ? -f : f) < kTraceFloor ? 0.0f : f;
}

SPIKEQ_HD inline double max0(double x) { return x > 0.0 ? x : 0.0; }

/// x^mu for x >= 0 and mu >= 0, from spikeq::math (0^mu = 0 for mu > 0, x^0 = 1).
SPIKEQ_HD inline double power(double x, double mu) {
  if (mu == 0.0) return 1.0;
  if (x == 0.0) return 0.0;
  return math::exp(mu * math::log(x));
}

/// For an eligibility trace c0 at step t0 (no modulator jump since): the weight change
/// up to t per unit of c0, ∫ e^{-x/τc} M(t0 + x) dx (models.md §3), and e^{-(t - t0)/τc}.
struct EligibilityStep {
  double gain;
  double c_decay;
};
SPIKEQ_HD inline EligibilityStep eligibility_step(const PlasticRule& r, const ModulatorView& mod,
                                                  Step t0, Step t) {
  const Step lag = t - t0;
  const double ec = r.c_decay(lag);
  const double em = mod.decay(lag);
  const double m0 = mod.m * mod.decay(t0 - mod.since);
  const double inv_both = 1.0 / r.tau_c + mod.decay.rate / r.dt;
  return {mod.baseline * r.tau_c * (1.0 - ec) + m0 * (1.0 - ec * em) / inv_both, ec};
}

/// The synapses of one plastic projection. Synapses are named by their position j in the
/// backward index (their traces) and their CSR index k (their weight).
struct Learner {
  PlasticRule r;
  PlasticArrays a;
  ModulatorView mod;  // read by eligibility traces only

  using Kind = PlasticProjection::Kind;
  using Mode = PlasticProjection::Mode;

  SPIKEQ_HD float clip(double w) const {
    return static_cast<float>(w < r.w_min ? r.w_min : (w > r.w_max ? r.w_max : w));
  }

  SPIKEQ_HD double f_plus(double w) const {
    switch (r.dependence) {
      case plasticity::WeightDependence::additive: return 1.0;
      case plasticity::WeightDependence::multiplicative: return r.w_max - w;
      case plasticity::WeightDependence::power_law: {
        const double span = r.w_max - r.w_min;
        return span * power(max0(1.0 - (w - r.w_min) / span), r.mu_plus);
      }
    }
    return 1.0;
  }

  SPIKEQ_HD double f_minus(double w) const {
    switch (r.dependence) {
      case plasticity::WeightDependence::additive: return 1.0;
      case plasticity::WeightDependence::multiplicative: return w - r.w_min;
      case plasticity::WeightDependence::power_law: {
        const double span = r.w_max - r.w_min;
        return span * power(max0((w - r.w_min) / span), r.mu_minus);
      }
    }
    return 1.0;
  }

  /// Brings synapse (j, k)'s presynaptic trace (and eligibility, with the weight it
  /// drives) from its last update to step t.
  SPIKEQ_HD void touch(std::uint64_t j, std::uint64_t k, Step t) const {
    PlasticProjection::Trace& tr = a.traces[j];
    const Step t0 = tr.last;
    if (t <= t0) return;
    if (tr.x_pre != 0.0f) tr.x_pre = floored(tr.x_pre * r.pre_decay(t - t0));
    if (r.mode == Mode::eligibility && tr.acc != 0.0f) {
      const EligibilityStep e = eligibility_step(r, mod, t0, t);
      a.w[k] = clip(a.w[k] + tr.acc * e.gain);
      tr.acc = floored(tr.acc * e.c_decay);
    }
    tr.last = t;
  }

  SPIKEQ_HD void change(std::uint64_t j, std::uint64_t k, double dw) const {
    if (r.mode == Mode::immediate) {
      a.w[k] = clip(a.w[k] + dw);
    } else {
      a.traces[j].acc = static_cast<float>(a.traces[j].acc + dw);
    }
  }

  /// The target's postsynaptic trace at synapse time t.
  SPIKEQ_HD double x_post(std::uint32_t i, Step t) const {
    return a.x_post[i] * r.post_decay(t - a.post_last[i]);
  }

  /// A presynaptic spike reaches synapse k (target i) at step t.
  SPIKEQ_HD void pre(std::uint64_t k, std::uint32_t i, Step t) const {
    const std::uint64_t j = a.position[k];
    touch(j, k, t);
    if (r.kind == Kind::stdp) {
      const double xp = x_post(i, t);
      if (xp != 0.0) change(j, k, -r.A_minus * f_minus(a.w[k]) * xp);
    } else if (r.kind == Kind::symmetric) {
      change(j, k, r.sign * r.A_plus * (x_post(i, t) - r.alpha));
    }
    const bool reset = r.kind == Kind::stdp && r.pairing == plasticity::Pairing::nearest;
    float& x = a.traces[j].x_pre;
    x = reset ? 1.0f : x + 1.0f;
  }

  /// Synapse j's presynaptic trace at step t, without storing it (only an eligibility
  /// trace needs the synapse brought up to date).
  SPIKEQ_HD double x_pre(std::uint64_t j, Step t) const {
    const PlasticProjection::Trace& tr = a.traces[j];
    return tr.x_pre == 0.0f ? 0.0 : tr.x_pre * r.pre_decay(t - tr.last);
  }

  /// HLOP: the coefficients c = H₀ x of target i's presynaptic traces at step t, into
  /// its own scratch (one thread handles a target at a time). O(rows x synapses).
  SPIKEQ_HD const double* coefficients(std::uint32_t i, Step t) const {
    double* c = a.coeff + std::uint64_t{i} * a.basis_rows;
    for (std::uint32_t q = 0; q < a.basis_rows; ++q) c[q] = 0.0;
    for (std::uint64_t j = a.post_ptr[i]; j < a.post_ptr[i + 1]; ++j) {
      const double x = x_pre(j, t);
      if (x == 0.0) continue;
      const double* column = a.basis + std::uint64_t{a.pos_source[j]} * a.basis_rows;
      for (std::uint32_t q = 0; q < a.basis_rows; ++q) c[q] += column[q] * x;
    }
    return c;
  }

  /// Synapse position j's trace x with its part in the subspace removed: x − Σ_q H₀[q][s] c_q.
  SPIKEQ_HD double projected(std::uint64_t j, double x, const double* c) const {
    const double* column = a.basis + std::uint64_t{a.pos_source[j]} * a.basis_rows;
    for (std::uint32_t q = 0; q < a.basis_rows; ++q) x -= column[q] * c[q];
    return x;
  }

  /// Target i's spike reaches its synapses at step t.
  SPIKEQ_HD void post(std::uint32_t i, Step t) const {
    if (r.kind == Kind::stdp) {
      const bool weight_free =
          r.mode != Mode::immediate && r.dependence == plasticity::WeightDependence::additive;
      const bool eligibility = r.mode == Mode::eligibility;
      const double* c = a.basis_rows > 0 ? coefficients(i, t) : nullptr;
      for (std::uint64_t j = a.post_ptr[i]; j < a.post_ptr[i + 1]; ++j) {
        const std::uint32_t k = a.post_syn[j];
        if (eligibility) touch(j, k, t);
        const double x = c ? projected(j, x_pre(j, t), c) : x_pre(j, t);
        if (x == 0.0) continue;
        // Accumulating additive rules need no weight: keep to the contiguous traces.
        change(j, k, r.A_plus * (weight_free ? 1.0 : f_plus(a.w[k])) * x);
      }
    }
    if (r.kind == Kind::symmetric) {
      for (std::uint64_t j = a.post_ptr[i]; j < a.post_ptr[i + 1]; ++j) {
        const double x = x_pre(j, t);
        if (x != 0.0) change(j, a.post_syn[j], r.sign * r.A_plus * x);
      }
    }
    const bool reset = r.kind == Kind::stdp && r.pairing == plasticity::Pairing::nearest;
    a.x_post[i] = reset ? 1.0 : x_post(i, t) + 1.0;
    a.post_last[i] = t;
  }

  /// The error rule's periodic update of target i at step t: eta * interval * gate *
  /// (target - x_post) times each synapse's presynaptic trace (projected, with HLOP).
  SPIKEQ_HD void error_update(std::uint32_t i, Step t, double target, double gate) const {
    const double err = r.eta_step * gate * (target - x_post(i, t));
    const double* c = a.basis_rows > 0 ? coefficients(i, t) : nullptr;
    for (std::uint64_t j = a.post_ptr[i]; j < a.post_ptr[i + 1]; ++j) {
      const std::uint32_t k = a.post_syn[j];
      const double x = x_pre(j, t);
      a.w[k] = clip(a.w[k] + err * (c ? projected(j, x, c) : x));
    }
  }

  /// Oja's periodic update of target i at step t: eta * interval * y * (scale * x_pre - w y)
  /// for each of its synapses, y its postsynaptic trace.
  SPIKEQ_HD void oja_update(std::uint32_t i, Step t) const {
    const double y = x_post(i, t);
    if (y == 0.0) return;
    const double rate = r.eta_step * y;
    for (std::uint64_t j = a.post_ptr[i]; j < a.post_ptr[i + 1]; ++j) {
      const std::uint32_t k = a.post_syn[j];
      a.w[k] = clip(a.w[k] + rate * (r.scale * x_pre(j, t) - a.w[k] * y));
    }
  }

  /// The periodic update at step t of source s's synapses under Oja's subspace rule or
  /// Sanger's: eta * interval * y_i * (scale * x_pre - x̂), with x̂ = Σ w_k y_k over the
  /// targets k of s (Sanger: those up to i, in target order). x̂ is built from the weights
  /// before they change, in the fixed order of src_pos, so each source's arithmetic is the
  /// same on every backend; sources are independent of each other.
  SPIKEQ_HD void subspace_update(std::uint32_t s, Step t) const {
    const std::uint64_t b = a.src_ptr[s], e = a.src_ptr[s + 1];
    double recon = 0.0;
    if (r.form == plasticity::hebbian::HebbianRule::oja_subspace) {
      for (std::uint64_t q = b; q < e; ++q) recon += a.w[a.post_syn[a.src_pos[q]]] * x_post(a.src_target[q], t);
    }
    for (std::uint64_t q = b; q < e; ++q) {
      const std::uint32_t j = a.src_pos[q];
      const std::uint32_t k = a.post_syn[j];
      const double y = x_post(a.src_target[q], t);
      if (r.form == plasticity::hebbian::HebbianRule::sanger) recon += a.w[k] * y;
      if (y == 0.0) continue;
      a.w[k] = clip(a.w[k] + r.eta_step * y * (r.scale * x_pre(j, t) - recon));
    }
  }

  /// The accumulator rules' periodic update of synapse position j: w += bias + factor *
  /// acc, then acc decays.
  SPIKEQ_HD void accumulate(std::uint64_t j, double factor) const {
    const std::uint32_t k = a.post_syn[j];
    float& acc = a.traces[j].acc;
    a.w[k] = clip(a.w[k] + r.bias + factor * acc);
    acc = floored(acc * r.acc_decay);
  }
};

/// The rule constants of a projection, its tables where the host keeps them.
inline PlasticRule rule_of(const PlasticProjection& pl) {
  return PlasticRule{pl.kind,          pl.mode,          pl.pairing,    pl.dependence,
                     pl.A_plus,        pl.A_minus,       pl.mu_plus,    pl.mu_minus,
                     pl.alpha,         pl.sign,          pl.w_min,      pl.w_max,
                     pl.pre_decay.view(), pl.post_decay.view(), pl.c_decay.view(),
                     pl.tau_c,         pl.dt,            pl.bias,       pl.acc_decay,
                     pl.eta_step,      pl.scale,         pl.form};
}

/// A modulator replica's state for eligibility traces (zero when the rule has none).
inline ModulatorView modulator_view(const ModulatorRuntime& mod, const ModulatorState& s) {
  return ModulatorView{mod.baseline, s.m, s.since, mod.decay.view()};
}

}  // namespace spikeq::detail
