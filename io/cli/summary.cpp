#include "summary.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <sstream>

#include "model_loading.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/pending_file.hpp"

namespace spikeq::cli {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::uint64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

RunSummary summarise(const std::string& model_file, const Simulation& sim, double duration_ms,
                     double build_s, double simulate_s) {
  RunSummary s;
  const Network& net = sim.network();
  s.model = model_file;
  s.backend = sim.backend_name();
  s.dt_ms = net.dt();
  s.duration_ms = duration_ms;
  s.simulated_ms = sim.time() - sim.start_time();
  s.synapses = sim.build_info().synapses;
  s.build_s = build_s;
  s.simulate_s = simulate_s;
  s.memory = sim.memory();
  s.peak_rss_bytes = peak_rss_bytes();
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) {
    const PopulationId id{p};
    s.neurons += net.populations()[p].size;
    s.populations.push_back({net.populations()[p].name, net.populations()[p].size,
                             sim.spike_count(id), sim.mean_rate(id)});
  }
  return s;
}

void print_summary(const RunSummary& s) {
  std::printf("%s: %llu neurons, %llu synapses, %.0f ms simulated%s (dt %g ms, seed %llu, %s)\n",
              s.model.c_str(), static_cast<unsigned long long>(s.neurons),
              static_cast<unsigned long long>(s.synapses), s.simulated_ms,
              s.interrupted ? " (interrupted)" : "", s.dt_ms,
              static_cast<unsigned long long>(s.seed), s.backend.c_str());
  std::printf("  %-16s %10s %12s %10s\n", "population", "neurons", "spikes", "rate (Hz)");
  for (const auto& p : s.populations) {
    std::printf("  %-16s %10llu %12llu %10.3f\n", p.name.c_str(),
                static_cast<unsigned long long>(p.size), static_cast<unsigned long long>(p.spikes),
                p.rate_hz);
  }
  const double rtf = s.simulate_s > 0 ? s.simulated_ms * 1e-3 / s.simulate_s : 0.0;
  std::printf("  wall time: build %.3f s, simulate %.3f s (%.2fx real time)\n", s.build_s,
              s.simulate_s, rtf);
  std::printf("  memory: peak %s; %s\n", format_bytes(static_cast<double>(s.peak_rss_bytes)).c_str(),
              s.memory.to_string().c_str());
  for (const auto& f : s.files) std::printf("  wrote %s\n", f.c_str());
}

void write_json(const RunSummary& s, const std::string& path) {
  std::ostringstream j;
  j.precision(17);
  j << "{\n  \"model\": " << json_string(s.model) << ",\n  \"seed\": " << s.seed
    << ",\n  \"backend\": " << json_string(s.backend) << ",\n  \"threads\": " << s.threads
    << ",\n  \"dt_ms\": " << s.dt_ms << ",\n  \"duration_ms\": " << s.duration_ms
    << ",\n  \"simulated_ms\": " << s.simulated_ms << ",\n  \"interrupted\": "
    << (s.interrupted ? "true" : "false") << ",\n  \"neurons\": " << s.neurons
    << ",\n  \"synapses\": " << s.synapses << ",\n  \"build_s\": " << s.build_s
    << ",\n  \"simulate_s\": " << s.simulate_s << ",\n  \"realtime_factor\": "
    << (s.simulate_s > 0 ? s.simulated_ms * 1e-3 / s.simulate_s : 0.0)
    << ",\n  \"peak_rss_bytes\": " << s.peak_rss_bytes
    << ",\n  \"memory_bytes\": " << s.memory.total()
    << ",\n  \"bytes_per_synapse\": " << s.memory.bytes_per_synapse() << ",\n  \"spikes\": {";
  for (std::size_t k = 0; k < s.populations.size(); ++k) {
    j << (k ? ", " : "") << json_string(s.populations[k].name) << ": " << s.populations[k].spikes;
  }
  j << "},\n  \"rates_hz\": {";
  for (std::size_t k = 0; k < s.populations.size(); ++k) {
    j << (k ? ", " : "") << json_string(s.populations[k].name) << ": " << s.populations[k].rate_hz;
  }
  j << "},\n  \"files\": [";
  for (std::size_t k = 0; k < s.files.size(); ++k) j << (k ? ", " : "") << json_string(s.files[k]);
  j << "]";
  if (s.continual) {
    j << ",\n  \"continual\": {\"matrix\": [";
    for (std::size_t r = 0; r < s.continual->accuracy.size(); ++r) {
      j << (r ? ", " : "") << "[";
      const auto& row = s.continual->accuracy[r];
      for (std::size_t c = 0; c < row.size(); ++c) j << (c ? ", " : "") << row[c];
      j << "]";
    }
    j << "], \"acc\": " << s.continual->acc << ", \"bwt\": " << s.continual->bwt << "}";
  }
  j << "\n}\n";
  io::write_whole_file(path, j.str(), "statistics file");
}

bool write_stats(const RunSummary& s, const std::string& path) {
  if (path.empty()) return true;
  try {
    write_json(s, path);
  } catch (const Error& e) {
    report_error(e.what());
    return false;
  }
  return true;
}

}  // namespace spikeq::cli
