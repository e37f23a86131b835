// summarize_report, find_report_files, add_reports_from_files: state reports reduced to
// what the report rows draw.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "../yaml/recorders.hpp"
#include "quantile.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/sonata.hpp"

namespace spikeq::io {
namespace {

namespace fs = std::filesystem;

/// Bin b of `bins` over `count` samples: [first(b), first(b + 1)).
std::size_t bin_first(std::size_t b, std::size_t count, std::size_t bins) {
  return static_cast<std::size_t>(static_cast<unsigned long long>(b) * count / bins);
}

/// The samples 0 .. count - 1 a curve keeps: all of them when they are at most
/// `max_points`, else the smallest and largest finite value of each of (max_points - 2) / 2
/// bins (one sample of a bin without finite values, to break the line), in time order,
/// with the first and the last sample among them.
template <typename Value>
std::vector<std::size_t> envelope(std::size_t count, std::size_t max_points, Value value) {
  std::vector<std::size_t> out;
  if (count <= max_points) {
    out.resize(count);
    for (std::size_t k = 0; k < count; ++k) out[k] = k;
    return out;
  }
  const std::size_t bins = std::max<std::size_t>(1, (max_points - 2) / 2);
  out.reserve(2 * bins + 2);
  out.push_back(0);
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t first = bin_first(b, count, bins), end = bin_first(b + 1, count, bins);
    std::size_t lo = end, hi = end;
    for (std::size_t k = first; k < end; ++k) {
      const double v = value(k);
      if (!std::isfinite(v)) continue;
      if (lo == end || v < value(lo)) lo = k;
      if (hi == end || v > value(hi)) hi = k;
    }
    if (lo == end) {
      lo = hi = first;  // nothing finite: one NaN breaks the line
    }
    for (const std::size_t k : {std::min(lo, hi), std::max(lo, hi)}) {
      if (k != out.back()) out.push_back(k);
    }
  }
  if (out.back() != count - 1) out.push_back(count - 1);
  return out;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

/// The rows of `report` (samples of all its neurons); InvalidParameter if its data is not
/// whole rows or its step is not a positive number where it has several rows.
std::size_t report_rows(const ReportFile& report) {
  const std::string name = "report '" + report.population + "." + report.variable + "'";
  const std::size_t n = report.node_ids.size();
  if ((n == 0 && !report.data.empty()) || (n > 0 && report.data.size() % n != 0)) {
    throw InvalidParameter("report plot: " + name + " has " + std::to_string(report.data.size()) +
                           " values, not a whole number of rows of " + std::to_string(n) +
                           " neurons");
  }
  const std::size_t rows = n > 0 ? report.data.size() / n : 0;
  if (rows > 1 && !(report.step > 0.0 && std::isfinite(report.step))) {
    throw InvalidParameter("report plot: " + name + " has a sampling step of " +
                           std::to_string(report.step) + " ms; expected a positive step");
  }
  return rows;
}

/// The samples of a report within a time window: rows k0 .. k0 + count - 1.
struct SampleWindow {
  const ReportFile& report;
  std::size_t k0 = 0;
  std::size_t count = 0;

  [[nodiscard]] std::size_t neurons() const { return report.node_ids.size(); }
  /// The time of the window's sample k.
  [[nodiscard]] double time_of(std::size_t k) const {
    return report.start + static_cast<double>(k0 + k) * report.step;
  }
  /// The value of neuron j at the window's sample k.
  [[nodiscard]] double at(std::size_t k, std::size_t j) const {
    return report.data[(k0 + k) * neurons() + j];
  }
};

/// The samples of `rows` within [t_start_ms, t_stop_ms] (a little slack for rounding).
SampleWindow sample_window(const ReportFile& report, std::size_t rows, double t_start_ms,
                           double t_stop_ms) {
  SampleWindow w{report};
  if (rows == 1) {
    const bool inside = report.start >= t_start_ms && report.start <= t_stop_ms;
    w.count = inside ? 1 : 0;
  } else if (rows > 1) {
    const double first = std::ceil((t_start_ms - report.start) / report.step - 1e-9);
    const double last = std::floor((t_stop_ms - report.start) / report.step + 1e-9);
    const double lo = std::max(0.0, first);
    const double hi = std::min(static_cast<double>(rows - 1), last);
    if (hi >= lo) {
      w.k0 = static_cast<std::size_t>(lo);
      w.count = static_cast<std::size_t>(hi) - w.k0 + 1;
    }
  }
  return w;
}

/// One trace per neuron, each enveloped to at most about max_points points.
void add_traces(ReportPlotInput& out, const SampleWindow& w, std::size_t max_points) {
  for (std::size_t j = 0; j < w.neurons(); ++j) {
    ReportPlotInput::Trace trace;
    trace.node_id = w.report.node_ids[j];
    for (const std::size_t k :
         envelope(w.count, max_points, [&](std::size_t i) { return w.at(i, j); })) {
      trace.times_ms.push_back(w.time_of(k));
      trace.values.push_back(w.at(k, j));
    }
    out.traces.push_back(std::move(trace));
  }
}

/// Per sample, the mean and the 10 % and 90 % quantiles of the neurons' finite values.
struct SampleStatistics {
  std::vector<double> mean, q10, q90;
};

SampleStatistics sample_statistics(const SampleWindow& w) {
  const std::size_t n = w.neurons();
  SampleStatistics st{std::vector<double>(w.count), std::vector<double>(w.count),
                      std::vector<double>(w.count)};
  std::vector<double> finite;
  finite.reserve(n);
  for (std::size_t k = 0; k < w.count; ++k) {
    finite.clear();
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = w.at(k, j);
      if (!std::isfinite(v)) continue;
      finite.push_back(v);
      sum += v;
    }
    st.mean[k] = finite.empty() ? std::nan("") : sum / static_cast<double>(finite.size());
    st.q10[k] = plot::quantile(finite, 0.1);
    st.q90[k] = plot::quantile(finite, 0.9);
  }
  return st;
}

/// The band of an enveloped report: per bin (the mean's bins) the lowest 10 % and the
/// highest 90 % quantile, from its first to its last sample: two points per bin.
void add_band_envelope(ReportPlotInput& out, const SampleWindow& w, const SampleStatistics& st,
                       std::size_t max_points) {
  const std::size_t bins = std::max<std::size_t>(1, (max_points - 2) / 2);
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t first = bin_first(b, w.count, bins), end = bin_first(b + 1, w.count, bins);
    if (first == end) continue;
    double lo = inf, hi = -inf;
    for (std::size_t k = first; k < end; ++k) {
      if (std::isfinite(st.q10[k])) lo = std::min(lo, st.q10[k]);
      if (std::isfinite(st.q90[k])) hi = std::max(hi, st.q90[k]);
    }
    if (lo == inf || hi == -inf) lo = hi = std::nan("");
    for (const std::size_t k : {first, end - 1}) {
      out.band_times_ms.push_back(w.time_of(k));
      out.q10.push_back(lo);
      out.q90.push_back(hi);
    }
  }
}

/// The mean over the neurons (enveloped) and the band of their 10 % to 90 % quantiles.
void add_mean_and_band(ReportPlotInput& out, const SampleWindow& w, std::size_t max_points) {
  SampleStatistics st = sample_statistics(w);
  for (const std::size_t k :
       envelope(w.count, max_points, [&](std::size_t i) { return st.mean[i]; })) {
    out.mean_times_ms.push_back(w.time_of(k));
    out.mean.push_back(st.mean[k]);
  }
  if (!out.enveloped) {
    out.band_times_ms = out.mean_times_ms;
    out.q10 = std::move(st.q10);
    out.q90 = std::move(st.q90);
    return;
  }
  add_band_envelope(out, w, st, max_points);
}

}  // namespace

ReportPlotInput summarize_report(const ReportFile& report, double t_start_ms, double t_stop_ms,
                                 std::size_t max_points) {
  const std::size_t rows = report_rows(report);
  max_points = std::max<std::size_t>(4, max_points);
  const SampleWindow w = sample_window(report, rows, t_start_ms, t_stop_ms);

  ReportPlotInput out;
  out.population = report.population;
  out.variable = report.variable;
  out.units = report.units;
  out.neurons = w.neurons();
  out.step_ms = report.step;
  out.samples = w.count;
  out.enveloped = w.count > max_points;
  if (w.neurons() <= ReportPlotInput::kMaxTraces) {
    add_traces(out, w, max_points);
  } else {
    add_mean_and_band(out, w, max_points);
  }
  return out;
}

std::string report_file_name(const std::string& spike_path, const std::string& population,
                             const std::string& variable) {
  const fs::path p(spike_path);
  return (p.parent_path() / (p.stem().string() + "." + population + "." + variable + ".h5"))
      .string();
}

ReportFiles find_report_files(const std::string& spike_path, const std::string& model_yaml) {
  ReportFiles out;
  if (const auto recorders = yaml::stored_state_recorders(model_yaml)) {
    out.from_model = true;
    const fs::path folder = fs::path(spike_path).parent_path();
    for (const yaml::StoredStateRecorder& r : *recorders) {
      std::string path;
      if (r.file.empty()) {
        path = report_file_name(spike_path, r.population, r.variable);
      } else if (is_file(r.file) || fs::path(r.file).is_absolute()) {
        path = r.file;  // as the run wrote it (relative to its working directory)
      } else {
        path = (folder / r.file).string();  // moved along with the spike file
        if (!is_file(path)) path = r.file;
      }
      (is_file(path) ? out.paths : out.missing).push_back(path);
    }
    return out;
  }
  // Another simulator's file: reports named as spikeq names them.
  const fs::path spike(spike_path);
  const std::string prefix = spike.stem().string() + ".";
  const fs::path folder = spike.parent_path().empty() ? fs::path(".") : spike.parent_path();
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + 3 || !name.starts_with(prefix) || !name.ends_with(".h5")) {
      continue;
    }
    // POPULATION.VARIABLE between the prefix and ".h5", both non-empty.
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    const auto dot = middle.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == middle.size()) continue;
    if (!is_file(it->path())) continue;
    out.paths.push_back((spike.parent_path() / name).string());
  }
  std::sort(out.paths.begin(), out.paths.end());
  return out;
}

std::vector<std::string> add_reports_from_files(RasterPlotInput& input,
                                                const std::vector<std::string>& paths,
                                                std::size_t max_reports, bool skip_unreadable) {
  std::vector<std::string> skipped;
  input.reports.clear();
  std::size_t next = 0;
  for (; next < paths.size() && input.reports.size() < max_reports; ++next) {
    ReportFile report;
    try {
      report = read_report_file(paths[next]);
    } catch (const FileError& e) {
      if (!skip_unreadable) throw;
      skipped.emplace_back(e.what());
      continue;
    }
    try {
      input.reports.push_back(summarize_report(report, input.t_start_ms, input.t_stop_ms));
    } catch (const InvalidParameter& e) {
      const std::string message = "report file '" + paths[next] + "': " + e.what();
      if (!skip_unreadable) throw FileError(message);
      skipped.push_back(message);
    }
  }
  input.reports_omitted = paths.size() - next;
  return skipped;
}

}  // namespace spikeq::io
