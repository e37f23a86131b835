#include "measure.hpp"

#include "spike_digest.hpp"

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <string>

namespace spikeq_bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A line `Key: N` of /proc/self/status, or 0 when there is none.
std::uint64_t proc_status(const std::string& key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1));
  }
  return 0;
}

/// Peak resident set of this program. getrusage's ru_maxrss is not enough on Linux: it
/// keeps the high-water mark of the address space replaced by exec, so a child of a
/// large process (Python's subprocess) reports at least its parent's size. VmHWM
/// belongs to the current address space alone; getrusage is the fallback.
std::uint64_t peak_rss_bytes() {
  if (const std::uint64_t kb = proc_status("VmHWM")) return kb * 1024;
  rusage u{};  // no /proc
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

/// Exact event count: each recorded spike of a projection's source neuron delivers
/// that neuron's out-degree in the projection.
std::uint64_t synaptic_events(const BenchNetwork& b, const spikeq::Simulation& sim) {
  std::uint64_t events = 0;
  for (const spikeq::ProjectionId proj : b.projections) {
    const auto out_degree = sim.connectivity(proj).out_degree;
    for (const std::uint32_t id : sim.spikes(b.network.spec(proj).source).neurons) {
      events += out_degree[id];
    }
  }
  return events;
}

/// Every population's spikes, for spike_digest.
std::uint64_t digest_of(const BenchNetwork& b, const spikeq::Simulation& sim) {
  std::vector<const spikeq::SpikeRecord*> records;
  for (const spikeq::PopulationId p : b.populations) records.push_back(&sim.spikes(p));
  return spike_digest(records);
}

}  // namespace

Measurement measure(const NetworkKind& kind, const Options& options) {
  const std::uint32_t size = options.size.value_or(kind.default_size);

  const auto t_build = Clock::now();
  const BenchNetwork b = kind.make(size, options.seed);
  spikeq::Simulation sim(b.network, {.seed = options.seed,
                                     .backend = options.backend,
                                     .threads = options.threads,
                                     .oversubscribe = options.oversubscribe,
                                     .device = options.device});
  const double build_s = seconds_since(t_build);

  const auto t_run = Clock::now();
  sim.run(options.duration_ms);
  const double sim_s = seconds_since(t_run);
  // Before the event count below, whose degree tables would add to the peak.
  const std::uint64_t rss = peak_rss_bytes();
  // Worker threads stay alive after the run, so this counts the pool that ran it.
  const std::uint64_t process_threads = proc_status("Threads");

  Measurement m;
  m.network = b.name;
  m.backend = sim.backend_name();
  m.threads = sim.threads();  // resolved: the backend's default for 0
  m.process_threads = process_threads;
  for (const spikeq::PopulationId p : b.populations) {
    m.neurons += b.network.spec(p).size;
    m.spikes += sim.spike_count(p);
  }
  m.synapses = sim.build_info().synapses;
  m.duration_s = sim.time() * 1e-3;
  m.events = synaptic_events(b, sim);
  m.spike_digest = digest_of(b, sim);
  m.build_s = build_s;
  m.sim_s = sim_s;
  m.memory = sim.memory();
  m.peak_rss_bytes = rss;
  return m;
}

}  // namespace spikeq_bench
