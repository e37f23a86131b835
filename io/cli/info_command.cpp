// spikeq info: what a spike file holds, per population: spikes, mean rate, ISI CV; and
// per recorded projection (/weights): the weight distribution at the first and last
// snapshot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"
#include "continual_run.hpp"
#include "model_loading.hpp"
#include "spikeq/io/isolated_read.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/weights.hpp"

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

struct WeightStats {
  double mean = 0, sd = 0, min = 0, max = 0;
  double near_max = 0, near_min = 0;  ///< fractions within 1% of (max - min) of max, min
};

WeightStats weight_stats(const std::vector<float>& w) {
  WeightStats s;
  if (w.empty()) return s;
  const auto [lo, hi] = std::minmax_element(w.begin(), w.end());
  s.min = *lo;
  s.max = *hi;
  double sum = 0;
  for (float v : w) sum += v;
  const double n = static_cast<double>(w.size());
  s.mean = sum / n;
  double ss = 0;
  for (float v : w) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / n);
  const double tolerance = 0.01 * (s.max - s.min);
  std::size_t at_max = 0, at_min = 0;
  for (float v : w) {
    if (v >= s.max - tolerance) ++at_max;
    if (v <= s.min + tolerance) ++at_min;
  }
  s.near_max = static_cast<double>(at_max) / n;
  s.near_min = static_cast<double>(at_min) / n;
  return s;
}

void print_weight_row(const char* label, double time, const WeightStats& s) {
  std::printf("    %-6s %12g %11.4g %11.4g %11.4g %11.4g %8.1f%% %8.1f%%\n", label, time, s.mean,
              s.sd, s.min, s.max, 100.0 * s.near_max, 100.0 * s.near_min);
}

/// Ten equal bins over [min, max] of the weights, with a bar of up to 40 '#'.
void print_histogram(const std::vector<float>& w, const WeightStats& s, const std::string& units) {
  if (!(s.max > s.min)) {
    std::printf("    last snapshot: every weight is %g%s\n", s.min,
                units.empty() ? "" : (" " + units).c_str());
    return;
  }
  constexpr int kBins = 10;
  std::vector<std::size_t> counts(kBins, 0);
  const double width = (s.max - s.min) / kBins;
  for (float v : w) {
    const int b = static_cast<int>((v - s.min) / width);
    counts[static_cast<std::size_t>(std::clamp(b, 0, kBins - 1))]++;
  }
  const std::size_t most = *std::max_element(counts.begin(), counts.end());
  std::printf("    histogram of the last snapshot%s:\n",
              units.empty() ? "" : (" (" + units + ")").c_str());
  for (int b = 0; b < kBins; ++b) {
    const double lo = s.min + b * width;
    const double hi = b == kBins - 1 ? s.max : s.min + (b + 1) * width;
    const auto count = counts[static_cast<std::size_t>(b)];
    const int bar = most > 0 ? static_cast<int>(std::lround(40.0 * static_cast<double>(count) /
                                                            static_cast<double>(most)))
                             : 0;
    std::printf("      [%11.4g, %11.4g%c %10zu%s%s\n", lo, hi, b == kBins - 1 ? ']' : ')', count,
                bar > 0 ? " " : "", std::string(static_cast<std::size_t>(bar), '#').c_str());
  }
}

/// The /weights section: per projection, the weights at the first and last snapshot.
void print_weights(const std::string& file, const std::vector<io::WeightSeries>& series) {
  std::printf("  weights (%zu recorded projection%s):\n", series.size(),
              series.size() == 1 ? "" : "s");
  bool tabled = false;
  for (const io::WeightSeries& s : series) {
    std::printf("  projection %s: %zu synapse%s, %zu snapshot%s", s.projection.c_str(),
                s.synapses(), s.synapses() == 1 ? "" : "s", s.snapshots(),
                s.snapshots() == 1 ? "" : "s");
    if (s.snapshots() > 0) {
      std::printf(" (%g ms to %g ms)", s.times.front(), s.times.back());
    }
    if (!s.units.empty()) std::printf(", units %s", s.units.c_str());
    std::printf("\n");
    if (s.snapshots() == 0 || s.synapses() == 0) continue;
    tabled = true;
    std::printf("    %-6s %12s %11s %11s %11s %11s %9s %9s\n", "", "time (ms)", "mean", "sd", "min",
                "max", "near max", "near min");
    const std::vector<float> first = io::read_weight_snapshot(file, s.projection, 0);
    print_weight_row("first", s.times.front(), weight_stats(first));
    const std::vector<float> last = s.snapshots() == 1
                                        ? first
                                        : io::read_weight_snapshot(file, s.projection,
                                                                   s.snapshots() - 1);
    const WeightStats last_stats = weight_stats(last);
    print_weight_row("last", s.times.back(), last_stats);
    print_histogram(last, last_stats, s.units);
  }
  if (tabled) {
    std::printf("  (near max, near min: weights within 1%% of max - min of the max, the min)\n");
  }
}

/// A continual-learning result (/continual): what ran and its accuracy matrix.
int continual_info(const std::string& file) {
  io::ContinualResult r;
  try {
    r = io::read_continual_file(file);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  const bool multitask = r.accuracy.size() == 1 && !r.accuracy.front().empty() && r.accuracy.front().size() > 1;
  const std::size_t tasks = r.accuracy.empty() ? 0 : r.accuracy.front().size();
  std::printf("%s: continual-learning result: %zu %s tasks of %s, %s\n", file.c_str(), tasks,
              r.schedule.c_str(), r.dataset.c_str(),
              multitask ? "trained together" : (r.hlop.value_or(true) ? "with HLOP" : "without HLOP"));
  print_continual(r, multitask);
  return kOk;
}

/// Everything info_command reads, without printing: done first in a child process, so
/// that a corrupt file that crashes or hangs the HDF5 library gives an error instead.
void read_all(const std::string& file) {
  if (io::has_continual_results(file)) {
    (void)io::read_continual_file(file);
    return;
  }
  (void)io::read_spike_file(file);
  (void)io::read_weight_series(file);
}

}  // namespace

int info_command(const std::string& file) {
  try {
    io::read_in_child(file, [&] { read_all(file); });
    if (io::has_continual_results(file)) return continual_info(file);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
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
  try {
    const std::vector<io::WeightSeries> series = io::read_weight_series(file);
    if (!series.empty()) print_weights(file, series);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  return kOk;
}

}  // namespace spikeq::cli
