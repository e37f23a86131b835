#pragma once
// Leaky integrate-and-fire neuron with exponential postsynaptic currents, integrated
// exactly (Rotter & Diesmann 1999); the behaviour of NEST's iaf_psc_exp.
//   C dV/dt = -C (V - E_L)/tau_m + I_ex + I_in + I_e + I_ext,  dI_x/dt = -I_x/tau_syn_x.
// Per step (NEST's order): V advances with the propagators unless refractory (then it
// stays clamped at V_reset and the counter runs down), the currents decay, the weights
// arriving this step are added to the currents (so they act on V from the next step),
// then V >= V_th emits a spike, resets V and starts t_ref (rounded to whole steps).
// Input arriving during refractoriness still charges the currents.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "spikeq/core/values.hpp"
#include "spikeq/neurons/lif_common.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/propagators.hpp"

namespace spikeq::neurons {

struct lif_psc_exp {
  static constexpr std::string_view name = "lif_psc_exp";

  struct params {
    double E_L = -70.0;        // mV
    double C_m = 250.0;        // pF
    double tau_m = 10.0;       // ms
    double t_ref = 2.0;        // ms
    double tau_syn_ex = 2.0;   // ms
    double tau_syn_in = 2.0;   // ms
    Value V_th = -55.0;        // mV
    Value V_reset = -70.0;     // mV
    Value I_e = 0.0;           // pA
    Value V_init = -70.0;      // mV
  };

  struct derived {
    double E_L;
    double P22, P20;           // membrane decay, constant-current response
    double P11ex, P11in;       // current decays
    double P21ex, P21in;       // current -> voltage
    std::int32_t ref_steps;
  };

  enum Real { V, I_ex, I_in, V_th, V_reset, I_e, n_real_ };  // voltages relative to E_L
  enum Int { refractory, n_int_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, n_real> real_names{"V", "I_ex", "I_in",
                                                                   "V_th", "V_reset", "I_e"};
  static constexpr std::array<ReceptorInfo, 2> receptors{
      ReceptorInfo{"ex", ReceptorKind::current_exp, "pA"},
      ReceptorInfo{"in", ReceptorKind::current_exp, "pA"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"V", "mV"}, {"I_ex", "pA"}, {"I_in", "pA"},
      {"V_th", "mV"}, {"V_reset", "mV"}, {"I_e", "pA"}};
  static constexpr bool vectorize = true;
  using view = Columns<n_real, n_int>;
  static constexpr auto parameters =
      join(join(lif::membrane_parameters<params>(),
                lif::synapse_parameters<params>("decay time of the synaptic current")),
           lif::per_neuron_parameters<params>());

  static derived derive(const params& p, double h, const std::string& pop) {
    check_parameters(parameters, p, pop);
    namespace pr = propagators;
    derived d{};
    d.E_L = p.E_L;
    d.P22 = std::exp(-h / p.tau_m);
    d.P20 = pr::constant_current_to_voltage(h, p.tau_m, p.C_m);
    d.P11ex = std::exp(-h / p.tau_syn_ex);
    d.P11in = std::exp(-h / p.tau_syn_in);
    d.P21ex = pr::exp_current_to_voltage(h, p.tau_m, p.tau_syn_ex, p.C_m);
    d.P21in = pr::exp_current_to_voltage(h, p.tau_m, p.tau_syn_in, p.C_m);
    d.ref_steps = checks::refractory_steps(pop, p.t_ref, h);
    return d;
  }

  template <typename Filler>
  static void init(const params& p, const derived& d, Filler& fill) {
    lif::init_membrane<lif_psc_exp>(p, -d.E_L, fill);
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double v = s.real[V][i];
    double iex = s.real[I_ex][i];
    double iin = s.real[I_in][i];
    std::int32_t r = s.ints[refractory][i];
    const double v_free =
        d.P22 * v + d.P21ex * iex + d.P21in * iin + d.P20 * (s.real[I_e][i] + i_ext);
    lif::refractory_clamp(v, v_free, r);
    s.real[I_ex][i] = d.P11ex * iex + in[0];
    s.real[I_in][i] = d.P11in * iin + in[1];
    return lif::threshold_reset<lif_psc_exp>(s, i, v, r, d.ref_steps);
  }

  SPIKEQ_HD static double read(const derived& d, const view& s, int var, std::uint32_t i) {
    return lif::read_relative<lif_psc_exp>(d.E_L, s, var, i);
  }
};

}  // namespace spikeq::neurons
