// summarize_report, find_report_files, add_reports_from_files: state reports reduced to
// what the report rows draw.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

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

/// The state recorders (population, variable, file) of a model's YAML text; nothing if it
/// is not a model (empty, not YAML, or not a mapping).
bool model_recorders(const std::string& model_yaml,
                     std::vector<std::pair<std::string, std::string>>& names,
                     std::vector<std::string>& files) {
  if (model_yaml.empty()) return false;
  YAML::Node doc;
  try {
    doc = YAML::Load(model_yaml);
  } catch (const YAML::Exception&) {
    return false;
  }
  if (!doc.IsMap()) return false;
  try {
    const YAML::Node recorders = doc["recorders"];
    if (!recorders || !recorders.IsMap()) return true;
    const YAML::Node state = recorders["state"];
    if (!state || !state.IsSequence()) return true;
    for (const YAML::Node& item : state) {
      if (!item.IsMap() || !item["population"] || !item["variable"]) continue;
      names.emplace_back(item["population"].as<std::string>(), item["variable"].as<std::string>());
      files.push_back(item["file"] ? item["file"].as<std::string>() : std::string());
    }
  } catch (const YAML::Exception&) {
    // Not spikeq's layout: whatever was recognised before stays.
  }
  return true;
}

}  // namespace

ReportPlotInput summarize_report(const ReportFile& report, double t_start_ms, double t_stop_ms,
                                 std::size_t max_points) {
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
  max_points = std::max<std::size_t>(4, max_points);

  ReportPlotInput out;
  out.population = report.population;
  out.variable = report.variable;
  out.units = report.units;
  out.neurons = n;
  out.step_ms = report.step;

  // The samples within the window: k0 .. k0 + count - 1 (a little slack for rounding).
  std::size_t k0 = 0, count = 0;
  if (rows == 1) {
    const bool inside = report.start >= t_start_ms && report.start <= t_stop_ms;
    count = inside ? 1 : 0;
  } else if (rows > 1) {
    const double first = std::ceil((t_start_ms - report.start) / report.step - 1e-9);
    const double last = std::floor((t_stop_ms - report.start) / report.step + 1e-9);
    const double lo = std::max(0.0, first);
    const double hi = std::min(static_cast<double>(rows - 1), last);
    if (hi >= lo) {
      k0 = static_cast<std::size_t>(lo);
      count = static_cast<std::size_t>(hi) - k0 + 1;
    }
  }
  out.samples = count;
  out.enveloped = count > max_points;
  const auto time_of = [&](std::size_t k) {
    return report.start + static_cast<double>(k0 + k) * report.step;
  };
  const auto at = [&](std::size_t k, std::size_t j) { return report.data[(k0 + k) * n + j]; };

  if (n <= ReportPlotInput::kMaxTraces) {
    for (std::size_t j = 0; j < n; ++j) {
      ReportPlotInput::Trace trace;
      trace.node_id = report.node_ids[j];
      for (const std::size_t k :
           envelope(count, max_points, [&](std::size_t i) { return at(i, j); })) {
        trace.times_ms.push_back(time_of(k));
        trace.values.push_back(at(k, j));
      }
      out.traces.push_back(std::move(trace));
    }
    return out;
  }

  // Mean and quantiles over the neurons, per sample.
  std::vector<double> mean(count), q10(count), q90(count), finite;
  finite.reserve(n);
  for (std::size_t k = 0; k < count; ++k) {
    finite.clear();
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = at(k, j);
      if (!std::isfinite(v)) continue;
      finite.push_back(v);
      sum += v;
    }
    mean[k] = finite.empty() ? std::nan("") : sum / static_cast<double>(finite.size());
    q10[k] = plot::quantile(finite, 0.1);
    q90[k] = plot::quantile(finite, 0.9);
  }
  for (const std::size_t k : envelope(count, max_points, [&](std::size_t i) { return mean[i]; })) {
    out.mean_times_ms.push_back(time_of(k));
    out.mean.push_back(mean[k]);
  }
  if (!out.enveloped) {
    out.band_times_ms = out.mean_times_ms;
    out.q10 = std::move(q10);
    out.q90 = std::move(q90);
    return out;
  }
  // Per bin (the mean's bins) the lowest 10 % and the highest 90 % quantile, from its
  // first to its last sample: two points per bin.
  const std::size_t bins = std::max<std::size_t>(1, (max_points - 2) / 2);
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t first = bin_first(b, count, bins), end = bin_first(b + 1, count, bins);
    if (first == end) continue;
    double lo = inf, hi = -inf;
    for (std::size_t k = first; k < end; ++k) {
      if (std::isfinite(q10[k])) lo = std::min(lo, q10[k]);
      if (std::isfinite(q90[k])) hi = std::max(hi, q90[k]);
    }
    if (lo == inf || hi == -inf) lo = hi = std::nan("");
    for (const std::size_t k : {first, end - 1}) {
      out.band_times_ms.push_back(time_of(k));
      out.q10.push_back(lo);
      out.q90.push_back(hi);
    }
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
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<std::string> files;
  if (model_recorders(model_yaml, names, files)) {
    out.from_model = true;
    const fs::path folder = fs::path(spike_path).parent_path();
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::string path;
      if (files[k].empty()) {
        path = report_file_name(spike_path, names[k].first, names[k].second);
      } else if (is_file(files[k]) || fs::path(files[k]).is_absolute()) {
        path = files[k];  // as the run wrote it (relative to its working directory)
      } else {
        path = (folder / files[k]).string();  // moved along with the spike file
        if (!is_file(path)) path = files[k];
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
