// CUBA, Brette et al. (2007) benchmark 2, as ../shared/peers/brian2/cuba.py.
//
// Brian writes  dv/dt = (ge + gi - (v - El)) / taum  with ge, gi in mV. spikeq's
// lif_psc_exp is  C dV/dt = -C (V - E_L)/tau_m + I,  so I = ge C / tau_m: the same
// dynamics for any C once each weight in mV becomes w C / tau_m in pA.
#include "ei_topology.hpp"
#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_cuba(std::uint32_t n) {
  using namespace spikeq;
  constexpr double tau_m = 20.0;  // ms
  constexpr double C_m = 250.0;   // pF; any value gives the same dynamics
  constexpr double w_exc_mV = 60 * 0.27 / 10;   // 1.62 mV, the peer's expression
  constexpr double w_inh_mV = -20 * 4.5 / 10;   // -9 mV
  constexpr double to_pA = C_m / tau_m;

  neurons::lif_psc_exp::params p;
  p.E_L = -49.0;
  p.C_m = C_m;
  p.tau_m = tau_m;
  p.t_ref = 5.0;
  p.tau_syn_ex = 5.0;
  p.tau_syn_in = 10.0;
  p.V_th = -50.0;
  p.V_reset = -60.0;
  p.I_e = 0.0;
  p.V_init = Uniform{-60.0, -50.0};  // V ~ U(V_reset, V_th); currents start at 0

  BenchNetwork b{"CUBA", Network(0.1), {}, {}};
  const EiSizes s = ei_sizes(n);
  const PopulationId exc = b.network.add_population("exc", s.exc, p);
  const PopulationId inh = b.network.add_population("inh", s.inh, p);
  b.populations = {exc, inh};
  connect_ei(b, exc, inh, n, {.weight = w_exc_mV * to_pA, .delay = 0.1, .receptor = "ex"},
             {.weight = w_inh_mV * to_pA, .delay = 0.1, .receptor = "in"});
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
