#pragma once
// External drive attached to a population. Every input targets all neurons of the
// population, or the neuron ids listed in `neurons`.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace spikeq {

/// Independent Poisson spike trains, one per target neuron, each delivering `weight`
/// to `receptor` (empty: as for projections). The count of spikes in a step is
/// Poisson(rate dt), drawn from (seed, input, neuron, step); it acts in the step it is
/// drawn, like a projection with the minimal delay.
struct PoissonInput {
  double rate = 0.0;     // Hz
  double weight = 1.0;   // unit of the receptor
  std::string receptor;
  std::vector<std::uint32_t> neurons;
};

/// Piecewise-constant current (pA): amplitudes[k] from times[k] (ms) until the next
/// time. Before times[0] it is 0. DC is one segment from 0.
struct CurrentInput {
  std::vector<double> times;
  std::vector<double> amplitudes;
  std::vector<std::uint32_t> neurons;

  static CurrentInput dc(double amplitude, std::vector<std::uint32_t> ids = {}) {
    return CurrentInput{{0.0}, {amplitude}, std::move(ids)};
  }
  static CurrentInput steps(std::vector<double> times, std::vector<double> amplitudes,
                            std::vector<std::uint32_t> ids = {}) {
    return CurrentInput{std::move(times), std::move(amplitudes), std::move(ids)};
  }
};

/// Gaussian noise current: each neuron draws mean + sd N(0,1) (pA) afresh in every step
/// (the "thalamic input" of Izhikevich 2003). Its effect depends on dt.
struct NoiseInput {
  double mean = 0.0;
  double sd = 0.0;
  std::vector<std::uint32_t> neurons;
};

using Input = std::variant<PoissonInput, CurrentInput, NoiseInput>;

}  // namespace spikeq
