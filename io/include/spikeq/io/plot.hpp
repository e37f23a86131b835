#pragma once
// Raster plots: spikes of every population above, population firing rate below.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeq::io {

struct RasterPlotInput {
  struct Population {
    std::string name;
    std::uint64_t size = 0;          ///< neurons (for the rate and the y axis)
    std::vector<double> times_ms;
    std::vector<std::uint64_t> node_ids;
  };
  std::vector<Population> populations;  ///< stacked bottom to top in this order
  double t_start_ms = 0.0;
  double t_stop_ms = 0.0;
  std::string title;
};

struct PlotOptions {
  int width = 1200;           ///< pixels (PNG) or user units (SVG)
  int height = 800;
  double rate_bin_ms = 0.0;   ///< 0: chosen from the time span (about 200 bins)
  std::uint64_t max_neurons_per_population = 0;  ///< 0: all; else an evenly spaced subset
};

/// Writes the plot to `path`; the format follows the extension, .png or .svg. Throws
/// io::FileError if the file cannot be written or the extension is neither.
void write_raster_plot(const RasterPlotInput& input, const std::string& path,
                       const PlotOptions& options = {});

/// Tick spacing for an axis spanning `span` in at most `max_intervals` intervals: the
/// smallest of 1, 2 or 5 times a power of ten that is large enough (e.g. 200 for 1000 in
/// 5). Returns 1 for a span that is not positive and finite.
[[nodiscard]] double nice_tick_step(double span, int max_intervals);

/// The multiples of nice_tick_step(hi - lo, max_intervals) within [lo, hi].
[[nodiscard]] std::vector<double> nice_ticks(double lo, double hi, int max_intervals);

}  // namespace spikeq::io
