#pragma once
// What the leaky integrate-and-fire models share: the parameter table of the membrane
// (E_L, C_m, tau_m, t_ref; V_th, V_reset, I_e, V_init per neuron) and of the synaptic
// time constants, the initial state relative to E_L, and the refractory clamp and
// threshold/reset tail of step(). The params structs still list their fields themselves,
// so that users can write designated initialisers (`lif_psc_exp::params{.tau_m = 20}`).
#include <array>
#include <cstdint>

#include "spikeq/core/config.hpp"
#include "spikeq/neurons/parameters.hpp"

namespace spikeq::neurons::lif {

/// The population-wide membrane constants (checked by derive()).
template <typename P>
constexpr std::array<Param<P>, 4> membrane_parameters() {
  return {scalar("E_L", &P::E_L, Dimension::voltage, Check::finite, "resting potential"),
          scalar("C_m", &P::C_m, Dimension::capacitance, Check::positive,
                 "membrane capacitance"),
          scalar("tau_m", &P::tau_m, Dimension::time, Check::positive,
                 "membrane time constant"),
          scalar("t_ref", &P::t_ref, Dimension::time, Check::non_negative,
                 "refractory period (rounded to whole steps)")};
}

/// Time constants of the excitatory and inhibitory synaptic currents.
template <typename P>
constexpr std::array<Param<P>, 2> synapse_parameters(std::string_view what) {
  return {scalar("tau_syn_ex", &P::tau_syn_ex, Dimension::time, Check::positive, what),
          scalar("tau_syn_in", &P::tau_syn_in, Dimension::time, Check::positive, what)};
}

/// The population-wide constants of a conductance-based membrane (lif_cond_exp,
/// aeif_cond_exp): leak, capacitance, refractoriness, reversal potentials and synaptic
/// decay times.
template <typename P>
constexpr std::array<Param<P>, 8> conductance_parameters() {
  return {scalar("E_L", &P::E_L, Dimension::voltage, Check::finite, "leak reversal potential"),
          scalar("C_m", &P::C_m, Dimension::capacitance, Check::positive,
                 "membrane capacitance"),
          scalar("g_L", &P::g_L, Dimension::conductance, Check::positive, "leak conductance"),
          scalar("t_ref", &P::t_ref, Dimension::time, Check::non_negative,
                 "refractory period (rounded to whole steps)"),
          scalar("E_ex", &P::E_ex, Dimension::voltage, Check::finite,
                 "excitatory reversal potential"),
          scalar("E_in", &P::E_in, Dimension::voltage, Check::finite,
                 "inhibitory reversal potential"),
          scalar("tau_syn_ex", &P::tau_syn_ex, Dimension::time, Check::positive,
                 "decay time of the excitatory conductance"),
          scalar("tau_syn_in", &P::tau_syn_in, Dimension::time, Check::positive,
                 "decay time of the inhibitory conductance")};
}

/// Threshold, reset, bias current and initial potential, each a per-neuron value.
template <typename P>
constexpr std::array<Param<P>, 4> per_neuron_parameters() {
  return {per_neuron("V_th", &P::V_th, Dimension::voltage, "spike threshold"),
          per_neuron("V_reset", &P::V_reset, Dimension::voltage, "reset potential"),
          per_neuron("I_e", &P::I_e, Dimension::current, "constant bias current"),
          per_neuron("V_init", &P::V_init, Dimension::voltage, "initial membrane potential")};
}

/// Fills V, V_th, V_reset (stored relative to `offset`, e.g. -E_L) and I_e, and requires
/// V_reset < V_th for every neuron.
template <typename M, typename P, typename Filler>
void init_membrane(const P& p, double offset, Filler& fill) {
  fill.real(M::V, p.V_init, "V_init", offset);
  fill.real(M::V_th, p.V_th, "V_th", offset);
  fill.real(M::V_reset, p.V_reset, "V_reset", offset);
  fill.real(M::I_e, p.I_e, "I_e");
  fill.require_less(M::V_reset, "V_reset", M::V_th, "V_th");
}

/// While refractory (r > 0) V stays clamped and the counter runs down; else V is v_free.
SPIKEQ_HD inline void refractory_clamp(double& v, double v_free, std::int32_t& r) {
  v = r > 0 ? v : v_free;
  r = r > 0 ? r - 1 : r;
}

/// V >= V_th emits a spike, resets V and starts the refractory period; stores V and the
/// counter of neuron i.
template <typename M>
SPIKEQ_HD bool threshold_reset(const typename M::view& s, std::uint32_t i, double v,
                               std::int32_t r, std::int32_t ref_steps) {
  const double v_th = s.real[M::V_th][i];
  const double v_reset = s.real[M::V_reset][i];
  const bool fired = v >= v_th;
  s.real[M::V][i] = fired ? v_reset : v;
  s.ints[M::refractory][i] = fired ? ref_steps : r;
  return fired;
}

/// Reads a variable of a model that stores potentials relative to E_L.
template <typename M>
SPIKEQ_HD double read_relative(double E_L, const typename M::view& s, int var,
                               std::uint32_t i) {
  const double x = s.real[var][i];
  return (var == M::V || var == M::V_th || var == M::V_reset) ? x + E_L : x;
}

}  // namespace spikeq::neurons::lif
