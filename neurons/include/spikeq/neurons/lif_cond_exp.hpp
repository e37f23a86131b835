#pragma once
// Leaky integrate-and-fire neuron with exponentially decaying conductances
// (NEST's iaf_cond_exp; the Vogels-Abbott / Brette et al. 2007 COBA benchmark).
//   C dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I_ext,
//   dg_x/dt = -g_x / tau_syn_x;  a weight w adds w nS to g_x.
// Integration schemes (per step of length h):
//   exponential (default): the conductances decay exactly; over the step V follows the
//     linear ODE with each conductance replaced by its exact mean over the step,
//     g_mean = g tau (1 - e^{-h/tau}) / h, solved exactly:
//     V <- V_inf + (V - V_inf) exp(-h g_tot / C), g_tot = g_L + g_ex,mean + g_in,mean,
//     V_inf = (g_L E_L + g_ex,mean E_ex + g_in,mean E_in + I) / g_tot.
//     Unconditionally stable, second order in h.
//   euler: forward Euler on V and g together, as in the published COBA benchmark.
// Order per step as in lif_psc_exp: V (clamped while refractory), g decay, arriving
// weights added to g, threshold.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "spikeq/core/math.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/lif_common.hpp"
#include "spikeq/neurons/model.hpp"

namespace spikeq::neurons {

enum class CondIntegrator { exponential, euler };

struct lif_cond_exp_params {
  using Integrator = CondIntegrator;
    double E_L = -70.0;         // mV
    double C_m = 250.0;         // pF
    double g_L = 16.6667;       // nS
    double t_ref = 2.0;         // ms
    double E_ex = 0.0;          // mV
    double E_in = -85.0;        // mV
    double tau_syn_ex = 0.2;    // ms
    double tau_syn_in = 2.0;    // ms
    Value V_th = -55.0;         // mV
    Value V_reset = -60.0;      // mV
    Value I_e = 0.0;            // pA
    Value V_init = -70.0;       // mV
    Value g_ex_init = 0.0;      // nS
    Value g_in_init = 0.0;      // nS
    Integrator integrator = Integrator::exponential;
};

struct lif_cond_exp;
struct lif_cond_exp_euler;

/// The integrator is a compile-time choice, so that each variant's neuron loop vectorises;
/// `params::integrator` selects lif_cond_exp or lif_cond_exp_euler when the network is built.
template <bool Euler>
struct lif_cond_exp_model {
  static constexpr std::string_view name = "lif_cond_exp";
  using Integrator = CondIntegrator;
  using params = lif_cond_exp_params;

  struct derived {
    double h, C_m, g_L, E_L, E_ex, E_in;
    double decay_ex, decay_in;  // per-step factor of g (exact or Euler)
    double mean_ex, mean_in;    // step mean of g relative to its start value
    std::int32_t ref_steps;
  };

  enum Real { V, g_ex, g_in, V_th, V_reset, I_e, n_real_ };
  enum Int { refractory, n_int_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, n_real> real_names{"V", "g_ex", "g_in",
                                                                   "V_th", "V_reset", "I_e"};
  static constexpr std::array<ReceptorInfo, 2> receptors{
      ReceptorInfo{"ex", ReceptorKind::conductance_exp, "nS"},
      ReceptorInfo{"in", ReceptorKind::conductance_exp, "nS"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"V", "mV"}, {"g_ex", "nS"}, {"g_in", "nS"},
      {"V_th", "mV"}, {"V_reset", "mV"}, {"I_e", "pA"}};
  static constexpr bool vectorize = true;
  using view = Columns<n_real, n_int>;
  /// The two kernels a population builds into, chosen by params::integrator.
  using kernels = ModelList<lif_cond_exp, lif_cond_exp_euler>;
  static int kernel(const params& p) { return p.integrator == Integrator::euler ? 1 : 0; }

  static constexpr std::array<std::string_view, 2> integrator_names{"exponential", "euler"};
  static constexpr auto parameters = join(
      join(lif::conductance_parameters<params>(), lif::per_neuron_parameters<params>()),
      std::array<Param<params>, 3>{
          per_neuron("g_ex_init", &params::g_ex_init, Dimension::conductance,
                     "initial excitatory conductance"),
          per_neuron("g_in_init", &params::g_in_init, Dimension::conductance,
                     "initial inhibitory conductance"),
          choice<&params::integrator>("integrator", integrator_names,
                                      "exponential (exact decay, mean conductances) or "
                                      "euler (the published COBA scheme)")});

  static derived derive(const params& p, double h, const std::string& pop) {
    check_parameters(parameters, p, pop);
    derived d{};
    d.h = h;
    d.C_m = p.C_m;
    d.g_L = p.g_L;
    d.E_L = p.E_L;
    d.E_ex = p.E_ex;
    d.E_in = p.E_in;
    if (p.integrator == Integrator::euler) {
      // Forward Euler is only stable while a conductance decays in one step by less than
      // its whole value.
      if (!(h < p.tau_syn_ex) || !(h < p.tau_syn_in)) {
        checks::fail(pop, "tau_syn_ex", "and tau_syn_in must exceed dt for the Euler integrator",
                     std::min(p.tau_syn_ex, p.tau_syn_in), "ms");
      }
      d.decay_ex = 1.0 - h / p.tau_syn_ex;
      d.decay_in = 1.0 - h / p.tau_syn_in;
      d.mean_ex = d.mean_in = 1.0;
    } else {
      d.decay_ex = std::exp(-h / p.tau_syn_ex);
      d.decay_in = std::exp(-h / p.tau_syn_in);
      d.mean_ex = -std::expm1(-h / p.tau_syn_ex) * p.tau_syn_ex / h;
      d.mean_in = -std::expm1(-h / p.tau_syn_in) * p.tau_syn_in / h;
    }
    d.ref_steps = checks::refractory_steps(pop, p.t_ref, h);
    return d;
  }

  template <typename Filler>
  static void init(const params& p, const derived&, Filler& fill) {
    lif::init_membrane<lif_cond_exp_model>(p, 0.0, fill);
    fill.real(g_ex, p.g_ex_init, "g_ex_init");
    fill.real(g_in, p.g_in_init, "g_in_init");
    fill.require_non_negative(g_ex, "g_ex_init");
    fill.require_non_negative(g_in, "g_in_init");
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double v = s.real[V][i];
    const double ge = s.real[g_ex][i];
    const double gi = s.real[g_in][i];
    std::int32_t r = s.ints[refractory][i];
    const double I = s.real[I_e][i] + i_ext;
    double v_free;
    if constexpr (Euler) {
      v_free = v + d.h / d.C_m *
                       (-d.g_L * (v - d.E_L) - ge * (v - d.E_ex) - gi * (v - d.E_in) + I);
    } else {
      const double gem = ge * d.mean_ex;
      const double gim = gi * d.mean_in;
      const double g_tot = d.g_L + gem + gim;
      const double v_inf = (d.g_L * d.E_L + gem * d.E_ex + gim * d.E_in + I) / g_tot;
      v_free = v_inf + (v - v_inf) * math::exp(-d.h * g_tot / d.C_m);
    }
    lif::refractory_clamp(v, v_free, r);
    s.real[g_ex][i] = d.decay_ex * ge + in[0];
    s.real[g_in][i] = d.decay_in * gi + in[1];
    return lif::threshold_reset<lif_cond_exp_model>(s, i, v, r, d.ref_steps);
  }

  SPIKEQ_HD static double read(const derived&, const view& s, int var, std::uint32_t i) {
    return s.real[var][i];
  }
};

/// Exponential integrator (the default).
struct lif_cond_exp : lif_cond_exp_model<false> {};
/// Forward Euler, as in the published COBA benchmark.
struct lif_cond_exp_euler : lif_cond_exp_model<true> {};

}  // namespace spikeq::neurons
