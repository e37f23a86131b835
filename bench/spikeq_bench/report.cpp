#include "report.hpp"

namespace spikeq_bench {

void print_report(std::FILE* out, const Measurement& m, const Options& options) {
  const auto u64 = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
  const double rate = m.neurons && m.duration_s > 0
                          ? static_cast<double>(m.spikes) / static_cast<double>(m.neurons) /
                                m.duration_s
                          : 0.0;
  const double events_per_s = m.sim_s > 0 ? static_cast<double>(m.events) / m.sim_s : 0.0;
  // Keys shared with the peers come first, in their order, so one parser reads both.
  std::fprintf(out, "network %s\n", m.network.c_str());
  std::fprintf(out, "simulator spikeq\n");
  std::fprintf(out, "target %s\n", m.backend.c_str());
  std::fprintf(out, "neurons %llu\n", u64(m.neurons));
  std::fprintf(out, "synapses %llu\n", u64(m.synapses));
  std::fprintf(out, "duration_s %.3f\n", m.duration_s);
  std::fprintf(out, "spikes %llu\n", u64(m.spikes));
  std::fprintf(out, "mean_rate_hz %.4f\n", rate);
  std::fprintf(out, "build_s %.4f\n", m.build_s);
  std::fprintf(out, "sim_s %.4f\n", m.sim_s);
  std::fprintf(out, "threads %d\n", m.threads);
  std::fprintf(out, "process_threads %llu\n", u64(m.process_threads));
  std::fprintf(out, "events %llu\n", u64(m.events));
  std::fprintf(out, "events_per_s %.4g\n", events_per_s);
  std::fprintf(out, "bytes_per_synapse %.3f\n", m.memory.bytes_per_synapse());
  std::fprintf(out, "synapse_bytes %llu\n", u64(m.memory.synapse_bytes));
  std::fprintf(out, "ring_bytes %llu\n", u64(m.memory.ring_bytes));
  std::fprintf(out, "neuron_bytes %llu\n", u64(m.memory.neuron_bytes));
  std::fprintf(out, "recording_bytes %llu\n", u64(m.memory.recording_bytes));
  std::fprintf(out, "peak_rss_bytes %llu\n", u64(m.peak_rss_bytes));
  std::fprintf(out, "seed %llu\n", u64(options.seed));
  std::fprintf(out, "spike_digest %016llx\n", u64(m.spike_digest));
  std::fflush(out);
}

}  // namespace spikeq_bench
