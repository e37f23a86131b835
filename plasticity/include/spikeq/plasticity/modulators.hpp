#pragma once
// Neuromodulators: named signals, declared once in a network and read by any number of
// plastic projections. A modulator's level is baseline + m(t): m decays with tau between
// jumps, and jumps by the amounts its sources add at step boundaries. Every source is
// known at least one slice (min_delay) ahead, so every backend sees the same levels.
#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace spikeq {

struct PopulationId;

namespace modulation {

/// A volume transmitter: each spike of the population (or of `neurons`, user ids) adds
/// `amount`, `delay` ms after it (at least the network's minimum delay; 0: exactly that).
struct FromSpikes {
  std::uint32_t population = 0;  // PopulationId::index
  std::vector<std::uint32_t> neurons;
  double amount = 1.0;
  double delay = 0.0;
};

/// Adds amounts[k] at times[k] (ms, ascending).
struct Schedule {
  std::vector<double> times;
  std::vector<double> amounts;
};

/// Izhikevich (2007): when neuron `second` fires within `window` ms after the last spike
/// of neuron `first`, `amount` is added after a latency drawn uniformly from
/// [latency_min, latency_max] ms (counter-based RNG keyed by the seed and the spike).
struct PairReward {
  std::uint32_t first_population = 0;
  std::uint32_t first = 0;   // user id
  std::uint32_t second_population = 0;
  std::uint32_t second = 0;  // user id
  double window = 20.0;
  double latency_min = 1000.0;
  double latency_max = 3000.0;
  double amount = 0.5;
};

using Source = std::variant<FromSpikes, Schedule, PairReward>;

}  // namespace modulation

struct ModulatorSpec {
  std::string name;
  double tau = std::numeric_limits<double>::infinity();  // ms; infinity: m does not decay
  double baseline = 0.0;                                 // tonic level
  double initial = 0.0;                                  // m at time 0
  std::vector<modulation::Source> sources;
};

}  // namespace spikeq
