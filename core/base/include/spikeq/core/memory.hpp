#pragma once
// What a built simulation holds in memory, by component.
#include <cstddef>
#include <cstdint>
#include <string>

namespace spikeq {

/// "1.5 GiB" style sizes for people.
std::string format_bytes(double bytes);

struct MemoryReport {
  std::size_t synapse_bytes = 0;    ///< connectivity (targets, weights, rows, delay groups)
  std::size_t ring_bytes = 0;       ///< delay ring buffers
  std::size_t neuron_bytes = 0;     ///< neuron state and per-neuron parameters
  std::size_t recording_bytes = 0;  ///< recorded spikes and samples (grows while running)
  std::uint64_t synapses = 0;

  [[nodiscard]] std::size_t total() const {
    return synapse_bytes + ring_bytes + neuron_bytes + recording_bytes;
  }
  /// Connectivity bytes per synapse (0 without synapses).
  [[nodiscard]] double bytes_per_synapse() const {
    return synapses ? static_cast<double>(synapse_bytes) / static_cast<double>(synapses) : 0.0;
  }
  [[nodiscard]] std::string to_string() const;
};

}  // namespace spikeq
