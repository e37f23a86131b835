#pragma once
// Recorded spikes and sampled state, read back after (or between) run calls.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "spikeq/core/time.hpp"

namespace spikeq {

/// Spikes of one population in time order, and by neuron id within a step. A spike at
/// grid step S was produced by the update from (S-1) dt to S dt; its time is S dt.
struct SpikeRecord {
  double dt = 0.0;
  std::vector<Step> steps;
  std::vector<std::uint32_t> neurons;

  [[nodiscard]] std::size_t size() const { return steps.size(); }
  [[nodiscard]] double time(std::size_t k) const { return static_cast<double>(steps[k]) * dt; }
};

/// Samples of one state variable: values[k * neurons.size() + j] is neuron neurons[j]
/// at grid step steps[k] (time steps[k] * dt, after that step's update).
struct StateTrace {
  std::string variable;
  double dt = 0.0;
  std::vector<std::uint32_t> neurons;
  std::vector<Step> steps;
  std::vector<double> values;

  [[nodiscard]] std::size_t samples() const { return steps.size(); }
  [[nodiscard]] double at(std::size_t sample, std::size_t j) const {
    return values[sample * neurons.size() + j];
  }
  /// The time series of neurons[j].
  [[nodiscard]] std::vector<double> series(std::size_t j) const {
    std::vector<double> s(steps.size());
    for (std::size_t k = 0; k < steps.size(); ++k) s[k] = at(k, j);
    return s;
  }
};

/// Snapshots of the weights of one projection: values[k * synapses + j] is synapse j
/// (sources[j] -> targets[j], delay delays[j] steps; the order of Simulation::synapses)
/// after grid step steps[k].
struct WeightTrace {
  std::string projection;
  double dt = 0.0;
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> targets;
  std::vector<std::uint32_t> delays;
  std::vector<Step> steps;
  std::vector<float> values;

  [[nodiscard]] std::size_t synapses() const { return sources.size(); }
  [[nodiscard]] std::size_t samples() const { return steps.size(); }
  [[nodiscard]] float at(std::size_t sample, std::size_t j) const {
    return values[sample * sources.size() + j];
  }
};

}  // namespace spikeq
