#pragma once
// Helpers for tests that drive one neuron or a handful of them.
#include <cstdint>
#include <vector>

#include "spikeq/spikeq.hpp"

namespace spikeq::test {

/// Spike stamps (grid steps) of neuron 0 of a one-neuron population of `model`, driven by
/// a constant current `current` (pA) for `steps` steps of `dt` ms.
inline std::vector<Step> spike_steps(const NeuronModel& model, double current, double dt,
                                     Step steps) {
  Network net(dt);
  auto p = net.add_population("n", 1, model);
  if (current != 0.0) net.add_input(p, CurrentInput::dc(current));
  net.record_spikes(p);
  Simulation sim(net);
  sim.run(static_cast<double>(steps) * dt);
  return sim.spikes(p).steps;
}

inline std::vector<Step> intervals(const std::vector<Step>& s) {
  std::vector<Step> isi;
  for (std::size_t k = 1; k < s.size(); ++k) isi.push_back(s[k] - s[k - 1]);
  return isi;
}

}  // namespace spikeq::test
