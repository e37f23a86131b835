// summarize_weight_snapshots, add_weights_from_file: weight snapshots reduced to what the
// weight panels draw.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "quantile.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/weights.hpp"

namespace spikeq::io {
namespace {

/// The snapshots the curves use: all of them, or `max_points` evenly spaced ones with the
/// first and the last among them.
std::vector<std::size_t> chosen_snapshots(std::size_t snapshots, std::size_t max_points) {
  std::vector<std::size_t> out;
  if (snapshots == 0) return out;
  max_points = std::max<std::size_t>(2, max_points);
  if (snapshots <= max_points) {
    for (std::size_t k = 0; k < snapshots; ++k) out.push_back(k);
    return out;
  }
  for (std::size_t i = 0; i < max_points; ++i) {
    // Rounded to nearest, exact in integers: i (n - 1) / (m - 1).
    const std::size_t k = (2 * i * (snapshots - 1) + (max_points - 1)) / (2 * (max_points - 1));
    if (out.empty() || k != out.back()) out.push_back(k);
  }
  return out;
}

}  // namespace

WeightPlotInput summarize_weight_snapshots(
    std::string projection, std::string units, const std::vector<std::uint32_t>& source_ids,
    const std::vector<std::uint32_t>& target_ids, const std::vector<double>& times_ms,
    const std::function<std::vector<float>(std::size_t)>& snapshot, std::size_t max_points) {
  if (source_ids.size() != target_ids.size()) {
    throw InvalidParameter("weight plot: projection '" + projection + "' has " +
                           std::to_string(source_ids.size()) + " source ids but " +
                           std::to_string(target_ids.size()) + " target ids");
  }
  WeightPlotInput out;
  out.projection = std::move(projection);
  out.units = std::move(units);
  out.synapses = source_ids.size();
  out.snapshots = times_ms.size();
  if (times_ms.empty()) return out;
  out.first_time_ms = times_ms.front();
  out.last_time_ms = times_ms.back();

  const std::size_t n = source_ids.size();
  if (n == 0) return out;  // nothing to draw, and nothing to read
  const bool one_by_one = n <= WeightPlotInput::kMaxTraces;
  if (one_by_one) {
    for (std::size_t j = 0; j < n; ++j) out.traces.push_back({source_ids[j], target_ids[j], {}});
  }
  const std::vector<std::size_t> chosen = chosen_snapshots(times_ms.size(), max_points);
  std::vector<float> finite;
  for (const std::size_t k : chosen) {
    std::vector<float> w = snapshot(k);
    if (w.size() != n) {
      throw InvalidParameter("weight plot: snapshot " + std::to_string(k) + " of projection '" +
                             out.projection + "' has " + std::to_string(w.size()) +
                             " weights for " + std::to_string(n) + " synapses");
    }
    out.times_ms.push_back(times_ms[k]);
    finite.clear();
    double sum = 0.0;
    for (const float v : w) {
      if (!std::isfinite(v)) continue;
      finite.push_back(v);
      sum += v;
    }
    out.mean.push_back(finite.empty() ? std::nan("") : sum / static_cast<double>(finite.size()));
    if (one_by_one) {
      for (std::size_t j = 0; j < n; ++j) out.traces[j].weights.push_back(w[j]);
    } else {
      out.q10.push_back(plot::quantile(finite, 0.1));
      out.q90.push_back(plot::quantile(finite, 0.9));
    }
    if (k == 0) out.first = w;
    if (k + 1 == times_ms.size()) out.last = std::move(w);
  }
  return out;
}

void add_weights_from_file(RasterPlotInput& input, const std::string& path,
                           std::size_t max_projections) {
  const std::vector<WeightSeries> series = read_weight_series(path);
  const std::size_t shown = std::min(series.size(), max_projections);
  input.weights.clear();
  for (std::size_t p = 0; p < shown; ++p) {
    const WeightSeries& s = series[p];
    input.weights.push_back(summarize_weight_snapshots(
        s.projection, s.units, s.source_ids, s.target_ids, s.times,
        [&](std::size_t k) { return read_weight_snapshot(path, s.projection, k); }));
  }
  input.weights_omitted = series.size() - shown;
}

}  // namespace spikeq::io
