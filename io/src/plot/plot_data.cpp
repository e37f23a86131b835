#include "plot_data.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "spikeq/core/errors.hpp"
#include "ticks.hpp"

namespace spikeq::io::plot {
namespace {

constexpr double kTargetBins = 200.0;
constexpr double kMaxBins = 100'000.0;

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

void choose_time_range(const RasterPlotInput& input, PlotData& data) {
  double last = -INFINITY;
  for (const auto& pop : input.populations) {
    for (const double t : pop.times_ms) {
      if (std::isfinite(t)) last = std::max(last, t);
    }
  }
  data.t_start = std::isfinite(input.t_start_ms) ? input.t_start_ms : 0.0;
  data.t_stop = input.t_stop_ms;
  // A file that does not record its end (t_stop 0) ends at its last spike, rounded up to
  // a tick so that the axis ends on a labelled value.
  if (!(data.t_stop > data.t_start) || !std::isfinite(data.t_stop)) {
    const double step = nice_tick_step(last - data.t_start, 10);
    data.t_stop = data.t_start + std::ceil((last - data.t_start) / step) * step;
  }
  if (!(data.t_stop > data.t_start)) data.t_stop = data.t_start + 1.0;
}

void choose_bins(const PlotOptions& options, PlotData& data) {
  const double span = data.t_stop - data.t_start;
  double bin = options.rate_bin_ms > 0.0 && std::isfinite(options.rate_bin_ms)
                   ? options.rate_bin_ms
                   : nearest_nice(span / kTargetBins);
  bin = std::max(bin, span / kMaxBins);  // a tiny bin width would only waste memory
  data.bin_ms = bin;
  data.bins = static_cast<std::size_t>(std::max(1.0, std::ceil(span / bin - 1e-9)));
}

void compute_rates(PlotData& data) {
  std::vector<std::uint64_t> total(data.bins, 0);
  for (PopulationView& view : data.populations) {
    std::vector<std::uint64_t> counts(data.bins, 0);
    for (const double t : view.source->times_ms) {
      if (!data.in_range(t)) continue;
      const auto k =
          std::min(data.bins - 1, static_cast<std::size_t>((t - data.t_start) / data.bin_ms));
      ++counts[k];
    }
    view.rate_hz.assign(data.bins, 0.0);
    view.spikes = 0;
    for (std::size_t k = 0; k < data.bins; ++k) {
      total[k] += counts[k];
      view.spikes += counts[k];
      if (view.size > 0) {
        view.rate_hz[k] = counts[k] / (view.size * data.bin_width(k) * 1e-3);
      }
    }
  }
  for (const PopulationView& view : data.populations) data.spikes += view.spikes;
  data.total_rate_hz.assign(data.bins, 0.0);
  if (data.total_neurons == 0) return;
  for (std::size_t k = 0; k < data.bins; ++k) {
    data.total_rate_hz[k] = total[k] / (data.total_neurons * data.bin_width(k) * 1e-3);
  }
}

// Spikes that would be drawn with every population's stride multiplied by k.
std::uint64_t drawn_spikes(const PlotData& data, const std::vector<std::uint64_t>& base,
                           std::uint64_t k) {
  std::uint64_t n = 0;
  for (std::size_t p = 0; p < data.populations.size(); ++p) {
    const PopulationView& view = data.populations[p];
    if (view.size == 0) continue;  // it has no spikes either
    const std::uint64_t stride = std::clamp<std::uint64_t>(base[p] * k, 1, view.size);
    const auto& times = view.source->times_ms;
    const auto& ids = view.source->node_ids;
    for (std::size_t i = 0; i < times.size(); ++i) {
      n += data.in_range(times[i]) && ids[i] % stride == 0;
    }
  }
  return n;
}

// Thins evenly by neurons, keeping every spike of the neurons shown, so that each drawn
// row is still a true spike train; only when single neurons exceed the budget are spikes
// dropped as well.
void thin(const PlotOptions& options, std::uint64_t max_dots, PlotData& data) {
  std::vector<std::uint64_t> base;
  for (const PopulationView& view : data.populations) {
    const std::uint64_t limit = options.max_neurons_per_population;
    base.push_back(limit > 0 && view.size > limit ? ceil_div(view.size, limit) : 1);
  }
  const bool limited = std::any_of(base.begin(), base.end(), [](auto b) { return b > 1; });
  if (!limited && data.spikes <= max_dots) return;  // the usual case: draw everything
  std::uint64_t k = 1;
  std::uint64_t count = drawn_spikes(data, base, k);
  while (count > max_dots) {
    bool thinner_possible = false;
    for (std::size_t p = 0; p < data.populations.size(); ++p) {
      thinner_possible |= base[p] * k < data.populations[p].size;
    }
    if (!thinner_possible) break;
    const double ratio = static_cast<double>(count) / static_cast<double>(max_dots);
    k = std::max(k + 1, static_cast<std::uint64_t>(std::ceil(k * ratio)));
    count = drawn_spikes(data, base, k);
  }
  if (count > max_dots) data.spike_stride = ceil_div(count, max_dots);
  for (std::size_t p = 0; p < data.populations.size(); ++p) {
    PopulationView& view = data.populations[p];
    view.stride = std::clamp<std::uint64_t>(base[p] * k, 1, std::max<std::uint64_t>(1, view.size));
  }
}

void describe_thinning(PlotData& data) {
  std::vector<const PopulationView*> thinned;
  std::size_t shown = 0;  // populations with neurons
  for (const PopulationView& view : data.populations) {
    if (view.size == 0) continue;
    ++shown;
    if (view.stride > 1) thinned.push_back(&view);
  }
  const bool uniform = thinned.size() == shown &&
                       std::all_of(thinned.begin(), thinned.end(), [&](const PopulationView* v) {
                         return v->stride == thinned.front()->stride;
                       });
  std::ostringstream note;
  if (!thinned.empty()) {
    if (uniform) {
      note << "showing 1 in " << thinned.front()->stride << " neurons";
    } else {
      note << "showing ";
      for (std::size_t i = 0; i < thinned.size(); ++i) {
        note << (i > 0 ? ", " : "") << "1 in " << thinned[i]->stride
             << (i == 0 ? " neurons of " : " of ") << thinned[i]->source->name;
      }
    }
  }
  if (data.spike_stride > 1) {
    note << (thinned.empty() ? "showing " : ", and ") << "1 in " << data.spike_stride << " spikes";
  }
  data.thinning_note = note.str();
  if (!data.thinning_note.empty()) {
    data.short_thinning_note = data.spike_stride > 1 ? "showing a subset of the spikes"
                                                     : "showing an evenly spaced subset of neurons";
  }
}

}  // namespace

double PlotData::bin_width(std::size_t k) const { return std::min(bin_ms, t_stop - bin_start(k)); }

PlotData prepare_plot(const RasterPlotInput& input, const PlotOptions& options,
                      std::uint64_t max_dots) {
  PlotData data;
  for (const auto& pop : input.populations) {
    if (pop.times_ms.size() != pop.node_ids.size()) {
      std::ostringstream msg;
      msg << "raster plot: population '" << pop.name << "' has " << pop.times_ms.size()
          << " spike times but " << pop.node_ids.size() << " node ids";
      throw InvalidParameter(msg.str());
    }
    PopulationView view;
    view.source = &pop;
    view.size = pop.size;
    for (const std::uint64_t id : pop.node_ids) view.size = std::max(view.size, id + 1);
    view.offset = data.total_neurons;
    data.total_neurons += view.size;
    data.populations.push_back(std::move(view));
  }
  choose_time_range(input, data);
  choose_bins(options, data);
  compute_rates(data);
  thin(options, std::max<std::uint64_t>(1, max_dots), data);
  describe_thinning(data);
  return data;
}

}  // namespace spikeq::io::plot
