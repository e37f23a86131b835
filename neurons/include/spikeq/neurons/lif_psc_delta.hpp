#pragma once
// Leaky integrate-and-fire neuron with delta synapses: a weight w (mV) makes V jump by w
// at the arrival step; the behaviour of NEST's iaf_psc_delta (Brunel 2000 model A).
// Per step: unless refractory, V <- E_L + P33 (V - E_L) + P30 (I_e + I_ext) + jumps,
// then V >= V_th emits a spike, resets V and starts t_ref. Jumps that arrive while
// the neuron is refractory are discarded (NEST's default).
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

struct lif_psc_delta {
  static constexpr std::string_view name = "lif_psc_delta";

  struct params {
    double E_L = -70.0;     // mV
    double C_m = 250.0;     // pF
    double tau_m = 10.0;    // ms
    double t_ref = 2.0;     // ms
    Value V_th = -55.0;     // mV
    Value V_reset = -70.0;  // mV
    Value I_e = 0.0;        // pA
    Value V_init = -70.0;   // mV
  };

  struct derived {
    double E_L;
    double P33, P30;
    std::int32_t ref_steps;
  };

  enum Real { V, V_th, V_reset, I_e, n_real_ };
  enum Int { refractory, n_int_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, n_real> real_names{"V", "V_th", "V_reset",
                                                                   "I_e"};
  static constexpr std::array<ReceptorInfo, 1> receptors{
      ReceptorInfo{"delta", ReceptorKind::voltage_jump, "mV"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"V", "mV"}, {"V_th", "mV"}, {"V_reset", "mV"}, {"I_e", "pA"}};
  static constexpr bool vectorize = true;
  using view = Columns<n_real, n_int>;
  static constexpr auto parameters =
      join(lif::membrane_parameters<params>(), lif::per_neuron_parameters<params>());

  static derived derive(const params& p, double h, const std::string& pop) {
    check_parameters(parameters, p, pop);
    derived d{};
    d.E_L = p.E_L;
    d.P33 = std::exp(-h / p.tau_m);
    d.P30 = propagators::constant_current_to_voltage(h, p.tau_m, p.C_m);
    d.ref_steps = checks::refractory_steps(pop, p.t_ref, h);
    return d;
  }

  template <typename Filler>
  static void init(const params& p, const derived& d, Filler& fill) {
    lif::init_membrane<lif_psc_delta>(p, -d.E_L, fill);
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double v = s.real[V][i];
    std::int32_t r = s.ints[refractory][i];
    const double v_free = d.P33 * v + d.P30 * (s.real[I_e][i] + i_ext) + in[0];
    lif::refractory_clamp(v, v_free, r);
    return lif::threshold_reset<lif_psc_delta>(s, i, v, r, d.ref_steps);
  }

  SPIKEQ_HD static double read(const derived& d, const view& s, int var, std::uint32_t i) {
    return lif::read_relative<lif_psc_delta>(d.E_L, s, var, i);
  }
};

}  // namespace spikeq::neurons
