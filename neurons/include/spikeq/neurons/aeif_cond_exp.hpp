#pragma once
// Adaptive exponential integrate-and-fire neuron with exponentially decaying conductances
// (Brette & Gerstner 2005, J Neurophysiol 94:3637); the behaviour of NEST's aeif_cond_exp.
//   C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th)/Delta_T)
//             - g_ex (V - E_ex) - g_in (V - E_in) - w + I_e + I_ext,
//   tau_w dw/dt = a (V - E_L) - w,   dg_x/dt = -g_x / tau_syn_x (a weight w adds w nS),
//   V >= V_peak: a spike; V <- V_reset, w <- w + b, V clamped at V_reset for t_ref.
// As in NEST, V is bounded by V_peak inside the right-hand side, so exp() never overflows.
// Delta_T = 0 is the LIF limit: no exponential term, and V >= V_th is the spike.
//
// Integration (docs/models/aeif_cond_exp.md): a step of dt is split into
// ceil(dt / max_substep) equal substeps, each one classical Runge-Kutta (RK4) step of
// (V, w) with the conductances taken exactly, g(t) = g(0) exp(-t / tau_syn), at the stage
// times. Below V_th the state is V; from V_th up the RK4 step integrates
// u = exp(-(V - V_th)/Delta_T) instead, in which the run-up to the spike is smooth
// (du/dt -> -g_L/C as V -> infinity) where V itself diverges in finite time. The spike is
// u <= u_peak = exp(-(V_peak - V_th)/Delta_T); its time inside the substep,
// T = integral du / |du/dt| from u_peak to the substep's start, and w at that time come
// from 4-point Gauss-Legendre quadrature. V and w are reset at that time and the rest of
// the substep is integrated from the reset state, so the reset is not delayed to the end
// of the step (NEST's adaptive solver resets inside the step too). The spike is stamped at
// the end of the step, like every spike in spikeq.
//
// Order per step: V and w advance (clamped while refractory), the conductances decay, the
// weights arriving this step are added to them (so they act from the next step), as in
// lif_cond_exp. Refractoriness follows NEST: V stays at V_reset for the rest of the step
// that spiked and for round(t_ref / dt) more steps, while w relaxes towards a (V_reset - E_L).
// At most one spike per step is emitted: with t_ref = 0, a second crossing inside the same
// step resets V (and adds b) again without a second spike.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "spikeq/core/errors.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/checks.hpp"
#include "spikeq/neurons/lif_common.hpp"
#include "spikeq/neurons/parameters.hpp"
#include "spikeq/neurons/model.hpp"

namespace spikeq::neurons {

struct aeif_cond_exp {
  static constexpr std::string_view name = "aeif_cond_exp";

  /// Defaults: NEST's aeif_cond_exp (Brette & Gerstner 2005), plus max_substep.
  struct params {
    double E_L = -70.6;         // mV
    double C_m = 281.0;         // pF
    double g_L = 30.0;          // nS
    double t_ref = 0.0;         // ms
    double E_ex = 0.0;          // mV
    double E_in = -85.0;        // mV
    double tau_syn_ex = 0.2;    // ms
    double tau_syn_in = 2.0;    // ms
    double Delta_T = 2.0;       // mV
    double tau_w = 144.0;       // ms
    double V_peak = 0.0;        // mV
    double max_substep = 0.05;  // ms
    Value V_th = -50.4;         // mV
    Value V_reset = -60.0;      // mV
    Value I_e = 0.0;            // pA
    Value V_init = -70.6;       // mV
    Value a = 4.0;              // nS
    Value b = 80.5;             // pA
    Value w_init = 0.0;         // pA
    Value g_ex_init = 0.0;      // nS
    Value g_in_init = 0.0;      // nS
  };

  struct derived {
    double h;                  // dt
    double hs;                 // substep
    std::int32_t n_sub;        // substeps per step
    std::int32_t ref_steps;
    double C_m, inv_C, g_L, E_L, E_ex, E_in;
    double Delta_T, inv_DT;    // inv_DT = 0 when Delta_T = 0
    double inv_tau_w, tau_w;
    double V_peak;
    double tau_ex, tau_in;
    double sub_half_ex, sub_ex, sub_half_in, sub_in;  // g decay over hs/2 and hs
    double decay_ex, decay_in;                        // g decay over dt
    double decay_w;                                   // exp(-dt/tau_w), refractory steps
  };

  enum Real { V, w, g_ex, g_in, V_th, V_reset, I_e, a, b, n_real_ };
  enum Int { refractory, n_int_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, n_real> real_names{
      "V", "w", "g_ex", "g_in", "V_th", "V_reset", "I_e", "a", "b"};
  static constexpr std::array<ReceptorInfo, 2> receptors{
      ReceptorInfo{"ex", ReceptorKind::conductance_exp, "nS"},
      ReceptorInfo{"in", ReceptorKind::conductance_exp, "nS"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"V", "mV"}, {"w", "pA"},       {"g_ex", "nS"}, {"g_in", "nS"}, {"V_th", "mV"},
      {"V_reset", "mV"},     {"I_e", "pA"},     {"a", "nS"},    {"b", "pA"}};
  /// The substep loop and the spike inside it branch per neuron: a plain loop.
  static constexpr bool vectorize = false;
  using view = Columns<n_real, n_int>;

  static constexpr auto parameters = join(
      join(join(lif::conductance_parameters<params>(),
                std::array<Param<params>, 4>{
               scalar("Delta_T", &params::Delta_T, Dimension::voltage, Check::non_negative,
                      "slope factor of the exponential term (0: LIF limit, spike at V_th)"),
               scalar("tau_w", &params::tau_w, Dimension::time, Check::positive,
                      "adaptation time constant"),
               scalar("V_peak", &params::V_peak, Dimension::voltage, Check::finite,
                      "spike cut-off: V >= V_peak is a spike (when Delta_T > 0)"),
               scalar("max_substep", &params::max_substep, Dimension::time, Check::positive,
                      "longest RK4 substep: a step is split into ceil(dt / max_substep)")}),
           std::array<Param<params>, 4>{
               per_neuron("V_th", &params::V_th, Dimension::voltage,
                          "centre of the exponential term (the spike threshold if "
                          "Delta_T = 0)"),
               per_neuron("V_reset", &params::V_reset, Dimension::voltage, "reset potential"),
               per_neuron("I_e", &params::I_e, Dimension::current, "constant bias current"),
               per_neuron("V_init", &params::V_init, Dimension::voltage,
                          "initial membrane potential")}),
      std::array<Param<params>, 5>{
          per_neuron("a", &params::a, Dimension::conductance, "subthreshold adaptation"),
          per_neuron("b", &params::b, Dimension::current, "spike-triggered adaptation"),
          per_neuron("w_init", &params::w_init, Dimension::current,
                     "initial adaptation current"),
          per_neuron("g_ex_init", &params::g_ex_init, Dimension::conductance,
                     "initial excitatory conductance"),
          per_neuron("g_in_init", &params::g_in_init, Dimension::conductance,
                     "initial inhibitory conductance")});

  /// The largest (V_peak - V_th) / Delta_T accepted: NEST's bound, log(DBL_MAX / 1e20),
  /// which keeps g_L Delta_T exp() and the sums it enters finite.
  static constexpr double kMaxExpArgument = 663.0;
  /// The most substeps a step may be split into.
  static constexpr double kMaxSubsteps = 10000.0;

  static derived derive(const params& p, double h, const std::string& pop) {
    check_parameters(parameters, p, pop);
    const double n = std::ceil(h / p.max_substep * (1.0 - 1e-12));
    if (!(n <= kMaxSubsteps)) {
      checks::fail(pop, "max_substep",
                   "must split a step of dt = " + spikeq::detail::format_number(h) +
                       " ms into at most 10000 substeps",
                   p.max_substep, "ms");
    }
    derived d{};
    d.h = h;
    d.n_sub = static_cast<std::int32_t>(n < 1.0 ? 1.0 : n);
    d.hs = h / d.n_sub;
    d.ref_steps = checks::refractory_steps(pop, p.t_ref, h);
    d.C_m = p.C_m;
    d.inv_C = 1.0 / p.C_m;
    d.g_L = p.g_L;
    d.E_L = p.E_L;
    d.E_ex = p.E_ex;
    d.E_in = p.E_in;
    d.Delta_T = p.Delta_T;
    d.inv_DT = p.Delta_T > 0.0 ? 1.0 / p.Delta_T : 0.0;
    d.tau_w = p.tau_w;
    d.inv_tau_w = 1.0 / p.tau_w;
    d.V_peak = p.V_peak;
    d.tau_ex = p.tau_syn_ex;
    d.tau_in = p.tau_syn_in;
    d.sub_half_ex = std::exp(-0.5 * d.hs / p.tau_syn_ex);
    d.sub_ex = std::exp(-d.hs / p.tau_syn_ex);
    d.sub_half_in = std::exp(-0.5 * d.hs / p.tau_syn_in);
    d.sub_in = std::exp(-d.hs / p.tau_syn_in);
    d.decay_ex = std::exp(-h / p.tau_syn_ex);
    d.decay_in = std::exp(-h / p.tau_syn_in);
    d.decay_w = std::exp(-h / p.tau_w);
    return d;
  }

  template <typename Filler>
  static void init(const params& p, const derived&, Filler& fill) {
    fill.real(V, p.V_init, "V_init");
    fill.real(V_th, p.V_th, "V_th");
    fill.real(V_reset, p.V_reset, "V_reset");
    fill.real(I_e, p.I_e, "I_e");
    fill.real(a, p.a, "a");
    fill.real(b, p.b, "b");
    fill.real(w, p.w_init, "w_init");
    fill.real(g_ex, p.g_ex_init, "g_ex_init");
    fill.real(g_in, p.g_in_init, "g_in_init");
    fill.require_non_negative(g_ex, "g_ex_init");
    fill.require_non_negative(g_in, "g_in_init");
    const auto& vth = fill.column(V_th);
    const auto& vr = fill.column(V_reset);
    auto fail = [&](std::size_t i, const std::string& what) {
      throw InvalidParameter("population '" + fill.population() + "': parameter " + what +
                             " (neuron " + std::to_string(i) + ")");
    };
    for (std::size_t i = 0; i < vth.size(); ++i) {
      if (!(vr[i] < p.V_peak)) fail(i, "'V_reset' must be below 'V_peak'");
      if (p.Delta_T > 0.0) {
        if (!(vth[i] <= p.V_peak)) fail(i, "'V_th' must not exceed 'V_peak'");
        if (!((p.V_peak - vth[i]) / p.Delta_T <= kMaxExpArgument)) {
          fail(i, "'V_peak' must be within 663 Delta_T of 'V_th' (exp() would overflow)");
        }
      } else if (!(vr[i] < vth[i])) {
        fail(i, "'V_reset' must be below 'V_th' when Delta_T = 0");
      }
    }
  }

  // ---------------------------------------------------------------------------------
  // The integrator. Everything below is per neuron and usable in device code.

  /// Constants of neuron i during one step.
  struct Neuron {
    double v_th, a, I;
    double u_peak;  // exp(-(V_peak - V_th)/Delta_T), or 0 when Delta_T = 0
  };
  /// Conductances at the start, middle and end of a segment of the step.
  struct Conductances {
    double ex0, ex_mid, ex1, in0, in_mid, in1;
  };
  /// Derivatives of (x, w), x = V (mV/ms) or u (1/ms).
  struct Rate {
    double x, w;
  };

  /// The current into the membrane without the exponential term (pA).
  SPIKEQ_HD static double linear_current(const derived& d, const Neuron& n, double v, double w_,
                                         double ge, double gi) {
    return -d.g_L * (v - d.E_L) - ge * (v - d.E_ex) - gi * (v - d.E_in) - w_ + n.I;
  }

  /// (dV/dt, dw/dt) with V bounded by V_peak, as in NEST.
  SPIKEQ_HD static Rate rate_v(const derived& d, const Neuron& n, double v, double w_,
                               double ge, double gi) {
    const double vc = v < d.V_peak ? v : d.V_peak;
    const double spike = d.g_L * d.Delta_T * math::exp((vc - n.v_th) * d.inv_DT);
    return {(linear_current(d, n, vc, w_, ge, gi) + spike) * d.inv_C,
            (n.a * (vc - d.E_L) - w_) * d.inv_tau_w};
  }

  /// (du/dt, dw/dt) for u = exp(-(V - V_th)/Delta_T), with u bounded below by u_peak:
  /// du/dt = -(g_L + u I_lin(V) / Delta_T) / C.
  SPIKEQ_HD static Rate rate_u(const derived& d, const Neuron& n, double u, double w_,
                               double ge, double gi) {
    const double uc = u > n.u_peak ? u : n.u_peak;
    const double v = n.v_th - d.Delta_T * math::log(uc);
    return {-(d.g_L + uc * linear_current(d, n, v, w_, ge, gi) * d.inv_DT) * d.inv_C,
            (n.a * (v - d.E_L) - w_) * d.inv_tau_w};
  }

  template <bool U>
  SPIKEQ_HD static Rate rate(const derived& d, const Neuron& n, double x, double w_, double ge,
                             double gi) {
    if constexpr (U) {
      return rate_u(d, n, x, w_, ge, gi);
    } else {
      return rate_v(d, n, x, w_, ge, gi);
    }
  }

  /// One RK4 step of length len from (x, w_); the conductances at the stage times are g.
  template <bool U>
  SPIKEQ_HD static void rk4(const derived& d, const Neuron& n, const Conductances& g,
                            double len, double& x, double& w_) {
    const Rate k1 = rate<U>(d, n, x, w_, g.ex0, g.in0);
    const Rate k2 = rate<U>(d, n, x + 0.5 * len * k1.x, w_ + 0.5 * len * k1.w, g.ex_mid, g.in_mid);
    const Rate k3 = rate<U>(d, n, x + 0.5 * len * k2.x, w_ + 0.5 * len * k2.w, g.ex_mid, g.in_mid);
    const Rate k4 = rate<U>(d, n, x + len * k3.x, w_ + len * k3.w, g.ex1, g.in1);
    x += len / 6.0 * (k1.x + 2.0 * k2.x + 2.0 * k3.x + k4.x);
    w_ += len / 6.0 * (k1.w + 2.0 * k2.w + 2.0 * k3.w + k4.w);
  }

  /// Time from u0 down to u_peak and the change of w meanwhile:
  ///   T = int_{u_peak}^{u0} du / |du/dt|,  dw = int dw/dt du / |du/dt|,
  /// by 4-point Gauss-Legendre quadrature, with w and the segment's mean conductances
  /// held. In u the run-up is smooth, so four points give T to well below a microsecond.
  /// Returns false if du/dt is not negative on the way (then the caller keeps its step).
  SPIKEQ_HD static bool time_to_peak(const derived& d, const Neuron& n, const Conductances& g,
                                     double u0, double w0, double& t, double& dw) {
    constexpr double x1 = 0.33998104358485626, x2 = 0.86113631159405258;
    constexpr double w1 = 0.65214515486254614, w2 = 0.34785484513745386;
    const double ge = (g.ex0 + 4.0 * g.ex_mid + g.ex1) / 6.0;
    const double gi = (g.in0 + 4.0 * g.in_mid + g.in1) / 6.0;
    const double half = 0.5 * (u0 - n.u_peak);
    const double mid = n.u_peak + half;
    const double xs[4] = {-x2, -x1, x1, x2};
    const double ws[4] = {w2, w1, w1, w2};
    bool ok = true;
    t = 0.0;
    dw = 0.0;
    for (int k = 0; k < 4; ++k) {
      const Rate r = rate_u(d, n, mid + half * xs[k], w0, ge, gi);
      ok = ok && r.x < 0.0;
      const double dt_du = -half * ws[k] / r.x;
      t += dt_du;
      dw += dt_du * r.w;
    }
    return ok && t == t && dw == dw;  // also rejects NaN
  }

  /// Advances (v, w_) by up to len. Returns the time of a spike inside the segment (the
  /// state is then the one at that time, before the reset), or a negative number if none.
  SPIKEQ_HD static double segment(const derived& d, const Neuron& n, const Conductances& g,
                                  double len, double& v, double& w_) {
    double w1 = w_;
    double u0;
    bool crossed;
    if (d.Delta_T > 0.0 && v >= n.v_th) {
      u0 = math::exp(-(v - n.v_th) * d.inv_DT);
      double u1 = u0;
      rk4<true>(d, n, g, len, u1, w1);
      crossed = !(u1 > n.u_peak);
      if (!crossed) {
        v = n.v_th - d.Delta_T * math::log(u1);
        w_ = w1;
        return -1.0;
      }
    } else {
      double v1 = v;
      rk4<false>(d, n, g, len, v1, w1);
      const double v_spike = d.Delta_T > 0.0 ? d.V_peak : n.v_th;
      crossed = !(v1 < v_spike);
      if (!crossed) {
        v = v1;
        w_ = w1;
        return -1.0;
      }
      if (!(d.Delta_T > 0.0)) {
        // LIF limit: V is smooth through V_th; the crossing is the root of the cubic
        // Hermite interpolant of V over the segment (4 Newton steps from the chord).
        const Rate f0 = rate_v(d, n, v, w_, g.ex0, g.in0);
        const Rate f1 = rate_v(d, n, v1, w1, g.ex1, g.in1);
        double s = (n.v_th - v) / (v1 - v);
        s = s > 0.0 ? (s < 1.0 ? s : 1.0) : 0.0;
        for (int it = 0; it < 4; ++it) {
          const double s2 = s * s, s3 = s2 * s;
          const double h =
              (2 * s3 - 3 * s2 + 1) * v + (s3 - 2 * s2 + s) * len * f0.x +
              (-2 * s3 + 3 * s2) * v1 + (s3 - s2) * len * f1.x - n.v_th;
          const double dh = (6 * s2 - 6 * s) * v + (3 * s2 - 4 * s + 1) * len * f0.x +
                            (-6 * s2 + 6 * s) * v1 + (3 * s2 - 2 * s) * len * f1.x;
          const double next = dh > 0.0 ? s - h / dh : s;
          s = next > 0.0 ? (next < 1.0 ? next : 1.0) : 0.0;
        }
        s = v >= n.v_th ? 0.0 : s;
        const double s2 = s * s, s3 = s2 * s;
        w_ = (2 * s3 - 3 * s2 + 1) * w_ + (s3 - 2 * s2 + s) * len * f0.w +
             (-2 * s3 + 3 * s2) * w1 + (s3 - s2) * len * f1.w;
        v = n.v_th;
        return s * len;
      }
      u0 = math::exp(-(v - n.v_th) * d.inv_DT);
    }
    double t = len, dw = w1 - w_;
    double tq, dwq;
    if (time_to_peak(d, n, g, u0, w_, tq, dwq)) {
      t = tq < len ? (tq > 0.0 ? tq : 0.0) : len;
      dw = dwq;
    }
    w_ += dw;
    v = d.V_peak;
    return t;
  }

  /// The conductances over the segment [t0, t0 + len] of a substep that starts with ge, gi.
  SPIKEQ_HD static Conductances conductances_at(const derived& d, double ge, double gi,
                                                double t0, double len) {
    const double ex0 = ge * math::exp(-t0 / d.tau_ex);
    const double in0 = gi * math::exp(-t0 / d.tau_in);
    const double hx = math::exp(-0.5 * len / d.tau_ex);
    const double hi = math::exp(-0.5 * len / d.tau_in);
    return {ex0, ex0 * hx, ex0 * hx * hx, in0, in0 * hi, in0 * hi * hi};
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double v = s.real[V][i];
    double ww = s.real[w][i];
    const double ge = s.real[g_ex][i];
    const double gi = s.real[g_in][i];
    std::int32_t r = s.ints[refractory][i];
    const double v_reset = s.real[V_reset][i];
    const double aa = s.real[a][i];
    bool fired = false;
    if (r > 0) {
      // Clamped for the whole step: w relaxes exactly towards a (V_reset - E_L).
      const double w_inf = aa * (v_reset - d.E_L);
      ww = w_inf + (ww - w_inf) * d.decay_w;
      r -= 1;
    } else {
      const double v_th = s.real[V_th][i];
      const Neuron n{v_th, aa, s.real[I_e][i] + i_ext,
                     d.Delta_T > 0.0 ? math::exp(-(d.V_peak - v_th) * d.inv_DT) : 0.0};
      const double jump = s.real[b][i];
      double gek = ge;  // conductances at the start of substep k
      double gik = gi;
      // A spike with t_ref > 0 sets r, which ends the loop: the rest of the step is refractory.
      for (std::int32_t k = 0; k < d.n_sub && r == 0; ++k) {
        Conductances g{gek, gek * d.sub_half_ex, gek * d.sub_ex,
                       gik, gik * d.sub_half_in, gik * d.sub_in};
        double left = d.hs;
        // A reset inside the substep continues from the reset state; the bound only
        // guards against a run-away loop (each pass needs V to climb from V_reset again).
        for (int pass = 0; pass < 4; ++pass) {
          const double t = segment(d, n, g, left, v, ww);
          if (t < 0.0) break;
          fired = true;
          v = v_reset;
          ww += jump;
          left -= t;
          if (d.ref_steps > 0) {
            // Refractory for the rest of this step (NEST), then ref_steps whole steps.
            const double rest = left + static_cast<double>(d.n_sub - 1 - k) * d.hs;
            const double w_inf = aa * (v_reset - d.E_L);
            ww = w_inf + (ww - w_inf) * math::exp(-rest * d.inv_tau_w);
            r = d.ref_steps;
            break;
          }
          if (!(left > 0.0)) break;
          g = conductances_at(d, gek, gik, d.hs - left, left);
        }
        gek *= d.sub_ex;
        gik *= d.sub_in;
      }
    }
    s.real[V][i] = v;
    s.real[w][i] = ww;
    s.real[g_ex][i] = d.decay_ex * ge + in[0];
    s.real[g_in][i] = d.decay_in * gi + in[1];
    s.ints[refractory][i] = r;
    return fired;
  }

  SPIKEQ_HD static double read(const derived&, const view& s, int var, std::uint32_t i) {
    return s.real[var][i];
  }
};

}  // namespace spikeq::neurons
