// Brunel (2000) model A as ../shared/peers/brian2/brunel2000.py and
// models/brunel2000.yaml (the paper's parameters, V_reset = 10 mV): NE excitatory and NE/4
// inhibitory LIF neurons with delta synapses, fixed in-degree C_E = NE/10 and C_I = C_E/4
// without multapses, delay 1.5 ms, Poisson drive of C_E inputs at eta times the
// threshold rate. Names match the YAML model so both draw the same random numbers.
//
// make_brunel2000_hetero is the same network with per-synapse delays uniform in
// [delay_min, delay_max] ms, as bench/peers/brunel2000_hetero.py; make_brunel2000_scaled
// keeps the paper's in-degrees (C_E = 1000) at any NE, the way GPU simulators scale it.
#include <algorithm>
#include <string>
#include <utility>

#include "networks.hpp"

namespace spikeq_bench {
namespace {

BenchNetwork brunel2000(std::string name, std::uint32_t ne, double g, double eta,
                        const spikeq::Value& delay, std::uint64_t ce) {
  using namespace spikeq;
  const std::uint32_t ni = ne / 4;
  const std::uint64_t ci = ce / 4;
  const double J = 0.1;      // mV
  const double theta = 20.0;  // mV
  const double tau = 20.0;    // ms
  const double nu_thr = 1000.0 * theta / (J * static_cast<double>(ce) * tau);  // Hz
  const double nu_ext = eta * nu_thr;

  neurons::lif_psc_delta::params p;
  p.E_L = 0.0;
  p.tau_m = tau;
  p.t_ref = 2.0;
  p.V_th = theta;
  p.V_reset = 10.0;
  p.V_init = Uniform{0.0, theta};

  BenchNetwork b{std::move(name), Network(0.1), {}, {}};
  const PopulationId exc = b.network.add_population("exc", ne, p);
  const PopulationId inh = b.network.add_population("inh", ni, p);
  b.populations = {exc, inh};
  for (const PopulationId target : {exc, inh}) {
    b.projections.push_back(b.network.connect(
        exc, target, connect::FixedIndegree{ce},
        {.weight = J, .delay = delay, .allow_multapses = false}));
  }
  for (const PopulationId target : {exc, inh}) {
    b.projections.push_back(b.network.connect(
        inh, target, connect::FixedIndegree{ci},
        {.weight = -g * J, .delay = delay, .allow_multapses = false}));
  }
  const double rate = static_cast<double>(ce) * nu_ext;
  b.network.add_input(exc, PoissonInput{.rate = rate, .weight = J}, "external_exc");
  b.network.add_input(inh, PoissonInput{.rate = rate, .weight = J}, "external_inh");
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace

BenchNetwork make_brunel2000(std::uint32_t ne, double g, double eta) {
  return brunel2000("Brunel2000A", ne, g, eta, 1.5, ne / 10);
}

BenchNetwork make_brunel2000_scaled(std::uint32_t ne) {
  return brunel2000("Brunel2000A_scaled", ne, 5.0, 2.0, 1.5, std::min<std::uint64_t>(ne, 1000));
}

BenchNetwork make_brunel2000_hetero(std::uint32_t ne, double delay_min, double delay_max,
                                    double g, double eta) {
  // The name the peer script reports, so the harness can check both ran the same model.
  return brunel2000("Brunel2000A_hetero", ne, g, eta, spikeq::Uniform{delay_min, delay_max},
                    ne / 10);
}

}  // namespace spikeq_bench
