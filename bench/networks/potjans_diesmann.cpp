// Potjans & Diesmann (2014) cortical microcircuit as models/potjans_diesmann_microcircuit.yaml
// (parameters of NEST's microcircuit example). In-degrees follow NEST's fixed-total-number
// formula, round(log(1 - p) / log(1 - 1 / (N_pre N_post)) / N_post); names match the YAML
// model so both draw the same random numbers.
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_potjans_diesmann(double scale) {
  using namespace spikeq;
  constexpr std::array<const char*, 8> names{"L23E", "L23I", "L4E", "L4I",
                                             "L5E",  "L5I",  "L6E", "L6I"};
  constexpr std::array<double, 8> full{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
  constexpr std::array<double, 8> k_ext{1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
  // Connection probability from source (column) to target (row).
  constexpr double p[8][8] = {
      {0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0., 0.0076, 0.},
      {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0., 0.0042, 0.},
      {0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.},
      {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0., 0.1057, 0.},
      {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.},
      {0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.},
      {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
      {0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443}};
  const double w = 87.81;  // pA: a 0.15 mV PSP
  const double g = -4.0;
  const double bg_rate = 8.0;  // Hz
  constexpr double inf = std::numeric_limits<double>::infinity();

  neurons::lif_psc_exp::params neuron;
  neuron.E_L = -65.0;
  neuron.V_th = -50.0;
  neuron.V_reset = -65.0;
  neuron.C_m = 250.0;
  neuron.tau_m = 10.0;
  neuron.tau_syn_ex = 0.5;
  neuron.tau_syn_in = 0.5;
  neuron.t_ref = 2.0;
  neuron.V_init = Normal{-58.0, 10.0};

  BenchNetwork b{"PotjansDiesmann", Network(0.1), {}, {}};
  std::array<double, 8> n{};
  for (int k = 0; k < 8; ++k) {
    n[k] = std::round(scale * full[k]);
    b.populations.push_back(
        b.network.add_population(names[k], static_cast<std::uint32_t>(n[k]), neuron));
  }
  for (int t = 0; t < 8; ++t) {
    for (int s = 0; s < 8; ++s) {
      if (p[t][s] == 0.0) continue;
      const double k =
          std::round(std::log(1 - p[t][s]) / std::log(1 - 1 / (n[s] * n[t])) / n[t]);
      SynapseSpec syn;
      const bool excitatory = s % 2 == 0;
      if (excitatory) {
        const double mean = (s == 2 && t == 0) ? 2 * w : w;  // L4E -> L2/3E doubled
        syn.weight = Normal{mean, 0.1 * mean, 0.0, inf};
        syn.delay = Normal{1.5, 0.75, 0.1, 10.0};
        syn.receptor = "ex";
      } else {
        syn.weight = Normal{g * w, -0.1 * g * w, -inf, 0.0};
        syn.delay = Normal{0.75, 0.375, 0.1, 10.0};
        syn.receptor = "in";
      }
      b.projections.push_back(b.network.connect(
          b.populations[s], b.populations[t],
          connect::FixedIndegree{static_cast<std::uint64_t>(k)}, syn));
    }
  }
  for (int k = 0; k < 8; ++k) {
    b.network.add_input(b.populations[k],
                        PoissonInput{.rate = k_ext[k] * bg_rate, .weight = w, .receptor = "ex"},
                        std::string("background_") + names[k]);
  }
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
