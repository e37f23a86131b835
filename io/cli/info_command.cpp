// spikeq info: what a spike file holds, per population: spikes, mean rate, ISI CV.
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "commands.hpp"
#include "model_loading.hpp"
#include "spikeq/io/sonata.hpp"

namespace spikeq::cli {
namespace {

/// Mean over neurons with at least 3 spikes of the coefficient of variation of their
/// inter-spike intervals (NaN if no neuron has 3 spikes).
double mean_isi_cv(const io::SpikeFile::Population& p, std::size_t& counted) {
  std::map<std::uint64_t, std::vector<double>> by_neuron;
  for (std::size_t k = 0; k < p.timestamps.size(); ++k) {
    by_neuron[p.node_ids[k]].push_back(p.timestamps[k]);
  }
  double sum = 0.0;
  counted = 0;
  for (auto& [id, t] : by_neuron) {
    if (t.size() < 3) continue;
    std::sort(t.begin(), t.end());
    double m = 0, m2 = 0;
    const double n = static_cast<double>(t.size() - 1);
    for (std::size_t k = 1; k < t.size(); ++k) m += (t[k] - t[k - 1]) / n;
    for (std::size_t k = 1; k < t.size(); ++k) m2 += (t[k] - t[k - 1] - m) * (t[k] - t[k - 1] - m) / n;
    if (m > 0) {
      sum += std::sqrt(m2) / m;
      ++counted;
    }
  }
  return counted ? sum / static_cast<double>(counted) : std::nan("");
}

}  // namespace

int info_command(const std::string& file) {
  io::SpikeFile f;
  try {
    f = io::read_spike_file(file);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  std::printf("%s: SONATA spike file", file.c_str());
  if (!f.meta.spikeq_version.empty()) {
    std::printf(" written by spikeq %s (seed %llu, dt %g ms)", f.meta.spikeq_version.c_str(),
                static_cast<unsigned long long>(f.meta.seed), f.meta.dt);
  }
  std::printf("\n");
  double t_stop = f.t_stop;
  if (t_stop <= 0) {
    for (const auto& p : f.populations) {
      for (double t : p.timestamps) t_stop = std::max(t_stop, t);
    }
  }
  std::printf("  simulated time: %g ms%s\n", t_stop, f.t_stop > 0 ? "" : " (last spike; the file does not say)");
  std::printf("  %-16s %10s %12s %10s %10s\n", "population", "neurons", "spikes", "rate (Hz)",
              "ISI CV");
  for (const auto& p : f.populations) {
    std::size_t counted = 0;
    const double cv = mean_isi_cv(p, counted);
    const double rate = p.size > 0 && t_stop > 0
                            ? static_cast<double>(p.timestamps.size()) / static_cast<double>(p.size) /
                                  (t_stop * 1e-3)
                            : std::nan("");
    std::printf("  %-16s %10llu %12zu %10.3f %10.3f\n", p.name.c_str(),
                static_cast<unsigned long long>(p.size), p.timestamps.size(), rate, cv);
  }
  std::printf("  (ISI CV: mean over neurons with 3 or more spikes)\n");
  return kOk;
}

}  // namespace spikeq::cli
