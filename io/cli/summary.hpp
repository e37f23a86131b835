#pragma once
// The end-of-run summary, printed for people and written as JSON for scripts.
#include <optional>
#include <string>
#include <vector>

#include "spikeq/core/simulation.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::cli {

struct RunSummary {
  std::string model;
  std::uint64_t seed = 0;
  std::string backend;
  int threads = 1;
  double dt_ms = 0, duration_ms = 0, simulated_ms = 0;
  std::uint64_t neurons = 0, synapses = 0;
  double build_s = 0, simulate_s = 0;
  std::uint64_t peak_rss_bytes = 0;
  MemoryReport memory;
  struct Population {
    std::string name;
    std::uint64_t size = 0, spikes = 0;
    double rate_hz = 0;
  };
  std::vector<Population> populations;
  std::vector<std::string> files;
  bool interrupted = false;
  /// A continual-learning run's accuracy matrix, ACC and BWT (JSON key "continual").
  std::optional<io::ContinualResult> continual;
};

RunSummary summarise(const std::string& model_file, const Simulation& sim, double duration_ms,
                     double build_s, double simulate_s);
void print_summary(const RunSummary& s);
/// Writes the summary as JSON (keys in docs/user-guide.md); throws io::FileError.
void write_json(const RunSummary& s, const std::string& path);
/// --stats: writes the summary to `path` unless it is empty; false (after reporting the
/// error) when the file cannot be written.
bool write_stats(const RunSummary& s, const std::string& path);
/// Peak resident memory of this process so far.
std::uint64_t peak_rss_bytes();

}  // namespace spikeq::cli
