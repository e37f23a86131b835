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

/// The distribution of a noise current's draws; both have the given mean and sd.
enum class NoiseDistribution {
  normal,   ///< mean + sd N(0, 1)
  uniform,  ///< mean + sd sqrt(12) (U - 0.5), U uniform in (0, 1): within mean +- sd sqrt(3)
};

/// Noise current: each neuron draws a current (pA) afresh in every step, by default
/// mean + sd N(0,1) (the "thalamic input" of Izhikevich 2003); with
/// NoiseDistribution::uniform, mean + sd sqrt(12) (U - 0.5), which has the same mean and
/// variance (Izhikevich 2007's 13 (U - 0.5) is mean 0, sd 13 / sqrt(12)). The draws are
/// keyed by (seed, input, neuron, step). Its effect depends on dt.
struct NoiseInput {
  double mean = 0.0;
  double sd = 0.0;
  std::vector<std::uint32_t> neurons;
  NoiseDistribution distribution = NoiseDistribution::normal;
};

using Input = std::variant<PoissonInput, CurrentInput, NoiseInput>;

}  // namespace spikeq
