#pragma once
// What the figure shows, worked out from the spikes before anything is drawn: the time
// range, the stacking of populations, which neurons are drawn, and the binned rates.
#include <cstdint>
#include <string>
#include <vector>

#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

struct PopulationView {
  const RasterPlotInput::Population* source = nullptr;
  std::uint64_t size = 0;       ///< at least the largest node id + 1
  std::uint64_t offset = 0;     ///< the stacked row of its neuron 0
  std::uint64_t stride = 1;     ///< neurons drawn: those whose id is a multiple of it
  std::uint64_t spikes = 0;     ///< within the time range
  std::vector<double> rate_hz;  ///< per bin
};

struct PlotData {
  double t_start = 0.0, t_stop = 1.0;  ///< ms; the x range
  double bin_ms = 1.0;
  std::size_t bins = 1;
  std::vector<PopulationView> populations;
  std::uint64_t total_neurons = 0;
  std::vector<double> total_rate_hz;  ///< all populations together
  std::uint64_t spikes = 0;           ///< within the time range
  std::uint64_t spike_stride = 1;     ///< of the drawn neurons' spikes, 1 in this many
  std::string thinning_note;          ///< e.g. "showing 1 in 4 neurons"; empty if all
  std::string short_thinning_note;    ///< the same, in fewer words, for narrow figures

  [[nodiscard]] bool in_range(double t) const { return t >= t_start && t <= t_stop; }
  /// Start and width of bin k: the last one may be cut short by t_stop.
  [[nodiscard]] double bin_start(std::size_t k) const { return t_start + k * bin_ms; }
  [[nodiscard]] double bin_width(std::size_t k) const;
};

/// Throws spikeq::InvalidParameter if a population's times and node ids differ in length.
[[nodiscard]] PlotData prepare_plot(const RasterPlotInput& input, const PlotOptions& options,
                                    std::uint64_t max_dots);

}  // namespace spikeq::io::plot
