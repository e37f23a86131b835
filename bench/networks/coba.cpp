// COBA, Brette et al. (2007) benchmark 1, as ../shared/peers/brian2/coba.py.
//
// Brian keeps conductances in units of g_L (tau_m = C / g_L = 20 ms); spikeq's
// lif_cond_exp takes nS, so g = 10 nS * Brian's value and the weights are 6 and 67 nS.
// Forward Euler on (V, g_ex, g_in) together, as Brian's method='euler'.
#include <limits>

#include "ei_topology.hpp"
#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_coba(std::uint32_t n) {
  using namespace spikeq;
  using Model = neurons::lif_cond_exp;
  constexpr double inf = std::numeric_limits<double>::infinity();

  Model::params p;
  p.C_m = 200.0;
  p.g_L = 10.0;
  p.E_L = -60.0;
  p.V_th = -50.0;
  p.V_reset = -60.0;
  p.t_ref = 5.0;
  p.E_ex = 0.0;
  p.E_in = -80.0;
  p.tau_syn_ex = 5.0;
  p.tau_syn_in = 10.0;
  p.I_e = 0.0;
  p.integrator = Model::Integrator::euler;
  // The benchmark's kick-start, no external input; Brian clips the normals at 0.
  p.V_init = Uniform{-60.0, -50.0};
  p.g_ex_init = Normal{4.0, 1.5, 0.0, inf};
  p.g_in_init = Normal{20.0, 12.0, 0.0, inf};

  BenchNetwork b{"COBA", Network(0.1), {}, {}};
  const EiSizes s = ei_sizes(n);
  const PopulationId exc = b.network.add_population("exc", s.exc, p);
  const PopulationId inh = b.network.add_population("inh", s.inh, p);
  b.populations = {exc, inh};
  connect_ei(b, exc, inh, n, {.weight = 6.0, .delay = 0.1, .receptor = "ex"},
             {.weight = 67.0, .delay = 0.1, .receptor = "in"});
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
