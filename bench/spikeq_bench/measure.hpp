#pragma once
// Builds and runs one benchmark network and collects what the report prints.
#include <cstdint>
#include <string>

#include "networks.hpp"
#include "options.hpp"
#include "spikeq/spikeq.hpp"

namespace spikeq_bench {

struct Measurement {
  std::string network;
  std::string backend;
  int threads = 0;                 ///< threads the backend ran on (resolved, never 0)
  std::uint64_t process_threads = 0;  ///< OS threads of this process after the run
  std::uint64_t neurons = 0;
  std::uint64_t synapses = 0;
  double duration_s = 0;
  std::uint64_t spikes = 0;
  /// Synaptic events delivered: the out-degree of the spiking neuron, summed over spikes.
  std::uint64_t events = 0;
  std::uint64_t spike_digest = 0;  ///< FNV-1a of every spike (step, id), population by population
  double build_s = 0;  ///< network description + Simulation construction, wall
  double sim_s = 0;    ///< Simulation::run only, wall
  spikeq::MemoryReport memory;
  std::uint64_t peak_rss_bytes = 0;  ///< whole process, just after the run
};

Measurement measure(const NetworkKind& kind, const Options& options);

}  // namespace spikeq_bench
