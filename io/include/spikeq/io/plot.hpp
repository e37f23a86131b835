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

}  // namespace spikeq::io
