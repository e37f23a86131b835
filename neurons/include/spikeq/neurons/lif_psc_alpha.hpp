#pragma once
// Leaky integrate-and-fire neuron with alpha-shaped postsynaptic currents, integrated
// exactly; the behaviour of NEST's iaf_psc_alpha. A weight w gives the current
// w (e/tau_syn) t e^{-t/tau_syn}: peak w pA at t = tau_syn, charge w e tau_syn.
// Each receptor keeps (dI, I); the update order is that of lif_psc_exp.
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>

#include "spikeq/core/values.hpp"
#include "spikeq/neurons/lif_common.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/propagators.hpp"

namespace spikeq::neurons {

struct lif_psc_alpha {
  static constexpr std::string_view name = "lif_psc_alpha";

  struct params {
    double E_L = -70.0;        // mV
    double C_m = 250.0;        // pF
    double tau_m = 10.0;       // ms
    double t_ref = 2.0;        // ms
    double tau_syn_ex = 2.0;   // ms, rise time of the alpha function
    double tau_syn_in = 2.0;   // ms
    Value V_th = -55.0;        // mV
    Value V_reset = -70.0;     // mV
    Value I_e = 0.0;           // pA
    Value V_init = -70.0;      // mV
  };

  struct derived {
    double E_L;
    double P33, P30;             // membrane decay, constant-current response
    double P11ex, P21ex, P31ex, P32ex;  // dI decay, dI -> I, dI -> V, I -> V
    double P11in, P21in, P31in, P32in;
    double jump_ex, jump_in;     // e / tau_syn: dI per unit weight
    std::int32_t ref_steps;
  };

  enum Real { V, dI_ex, I_ex, dI_in, I_in, V_th, V_reset, I_e, n_real_ };
  enum Int { refractory, n_int_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, n_real> real_names{
      "V", "dI_ex", "I_ex", "dI_in", "I_in", "V_th", "V_reset", "I_e"};
  static constexpr std::array<ReceptorInfo, 2> receptors{
      ReceptorInfo{"ex", ReceptorKind::current_alpha, "pA"},
      ReceptorInfo{"in", ReceptorKind::current_alpha, "pA"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"V", "mV"}, {"dI_ex", "pA/ms"}, {"I_ex", "pA"}, {"dI_in", "pA/ms"},
      {"I_in", "pA"}, {"V_th", "mV"}, {"V_reset", "mV"}, {"I_e", "pA"}};
  static constexpr bool vectorize = true;
  using view = Columns<n_real, n_int>;
  static constexpr auto parameters =
      join(join(lif::membrane_parameters<params>(),
                lif::synapse_parameters<params>("rise time of the alpha-shaped current")),
           lif::per_neuron_parameters<params>());

  static derived derive(const params& p, double h, const std::string& pop) {
    check_parameters(parameters, p, pop);
    namespace pr = propagators;
    derived d{};
    d.E_L = p.E_L;
    d.P33 = std::exp(-h / p.tau_m);
    d.P30 = pr::constant_current_to_voltage(h, p.tau_m, p.C_m);
    d.P11ex = std::exp(-h / p.tau_syn_ex);
    d.P21ex = h * d.P11ex;
    d.P31ex = pr::alpha_current_to_voltage(h, p.tau_m, p.tau_syn_ex, p.C_m);
    d.P32ex = pr::exp_current_to_voltage(h, p.tau_m, p.tau_syn_ex, p.C_m);
    d.P11in = std::exp(-h / p.tau_syn_in);
    d.P21in = h * d.P11in;
    d.P31in = pr::alpha_current_to_voltage(h, p.tau_m, p.tau_syn_in, p.C_m);
    d.P32in = pr::exp_current_to_voltage(h, p.tau_m, p.tau_syn_in, p.C_m);
    d.jump_ex = std::numbers::e / p.tau_syn_ex;
    d.jump_in = std::numbers::e / p.tau_syn_in;
    d.ref_steps = checks::refractory_steps(pop, p.t_ref, h);
    return d;
  }

  template <typename Filler>
  static void init(const params& p, const derived& d, Filler& fill) {
    lif::init_membrane<lif_psc_alpha>(p, -d.E_L, fill);
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double v = s.real[V][i];
    const double dex = s.real[dI_ex][i];
    const double iex = s.real[I_ex][i];
    const double din = s.real[dI_in][i];
    const double iin = s.real[I_in][i];
    std::int32_t r = s.ints[refractory][i];
    const double v_free = d.P30 * (s.real[I_e][i] + i_ext) + d.P31ex * dex + d.P32ex * iex +
                          d.P31in * din + d.P32in * iin + d.P33 * v;
    lif::refractory_clamp(v, v_free, r);
    s.real[I_ex][i] = d.P21ex * dex + d.P11ex * iex;
    s.real[dI_ex][i] = d.P11ex * dex + d.jump_ex * in[0];
    s.real[I_in][i] = d.P21in * din + d.P11in * iin;
    s.real[dI_in][i] = d.P11in * din + d.jump_in * in[1];
    return lif::threshold_reset<lif_psc_alpha>(s, i, v, r, d.ref_steps);
  }

  SPIKEQ_HD static double read(const derived& d, const view& s, int var, std::uint32_t i) {
    return lif::read_relative<lif_psc_alpha>(d.E_L, s, var, i);
  }
};

}  // namespace spikeq::neurons
