#pragma once
// Raster plots: spikes of every population above, population firing rate below; and, for
// recorded weights, per projection a histogram of the weights at the first and last
// snapshot beside the weights over time.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace spikeq::io {

/// The weight snapshots of one projection (/weights/<projection> of a spike file, see
/// spikeq/io/weights.hpp) as the weight panels draw them; summarize_weight_snapshots
/// makes one.
struct WeightPlotInput {
  /// Projections with at most this many synapses have each drawn over time.
  static constexpr std::size_t kMaxTraces = 5;

  std::string projection;
  std::string units;            ///< of the weights; empty if unknown
  std::uint64_t synapses = 0;
  std::uint64_t snapshots = 0;  ///< recorded (the curves may use an evenly spaced subset)
  double first_time_ms = 0.0, last_time_ms = 0.0;  ///< of the first and last snapshot
  std::vector<float> first, last;  ///< every synapse's weight then, for the histogram

  /// The curves over time: one value per entry of times_ms, NaN where there is none.
  std::vector<double> times_ms;
  std::vector<double> mean;      ///< over the synapses; drawn unless there is one trace
  std::vector<double> q10, q90;  ///< 10 % and 90 % quantiles, drawn as a band; may be empty
  struct Trace {
    std::uint32_t source = 0, target = 0;  ///< ids in the source and target populations
    std::vector<double> weights;
  };
  std::vector<Trace> traces;  ///< synapses drawn one by one (at most kMaxTraces)
};

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
  /// One row of weight panels each, below the rates; none: the raster figure alone.
  std::vector<WeightPlotInput> weights;
  std::size_t weights_omitted = 0;  ///< recorded projections left out (noted in the figure)
};

struct PlotOptions {
  int width = 1200;           ///< pixels (PNG) or user units (SVG)
  int height = 800;           ///< of the raster and rates; weight panels add rows below
  /// Height of each row of weight panels, 100 to 16000; 0: 0.42 of `height` (336 for
  /// 800), at least 120.
  int weight_row_height = 0;
  bool show_weights = true;   ///< false: leave out input.weights
  double rate_bin_ms = 0.0;   ///< 0: chosen from the time span (about 200 bins)
  std::uint64_t max_neurons_per_population = 0;  ///< 0: all; else an evenly spaced subset
};

/// Writes the plot to `path`; the format follows the extension, .png or .svg. The image is
/// options.height tall, plus a row of options.weight_row_height per input.weights entry
/// (when options.show_weights). Throws io::FileError if the file cannot be written or the
/// extension is neither, spikeq::InvalidParameter for sizes out of range.
void write_raster_plot(const RasterPlotInput& input, const std::string& path,
                       const PlotOptions& options = {});

/// Summarises the snapshots of one projection for the plot. `snapshot(k)` returns the
/// weights of snapshot k (one per synapse, in the order of the ids); the first and the
/// last snapshot are kept whole, and the curves over time use at most `max_points`
/// evenly spaced snapshots, the first and last among them: the mean and, with more than
/// WeightPlotInput::kMaxTraces synapses, the 10 % and 90 % quantiles (of the finite
/// weights), else every synapse's weight. Throws spikeq::InvalidParameter if the id lists
/// or a snapshot differ in length.
[[nodiscard]] WeightPlotInput summarize_weight_snapshots(
    std::string projection, std::string units, const std::vector<std::uint32_t>& source_ids,
    const std::vector<std::uint32_t>& target_ids, const std::vector<double>& times_ms,
    const std::function<std::vector<float>(std::size_t)>& snapshot, std::size_t max_points = 500);

/// Replaces input.weights with the weights recorded in spike file `path` (/weights; empty
/// if it has none): the first `max_projections` projections in the file's order, each
/// summarised as by summarize_weight_snapshots; input.weights_omitted counts the others.
/// Throws io::FileError naming the file and dataset when /weights is malformed.
void add_weights_from_file(RasterPlotInput& input, const std::string& path,
                           std::size_t max_projections = 3);

/// Tick spacing for an axis spanning `span` in at most `max_intervals` intervals: the
/// smallest of 1, 2 or 5 times a power of ten that is large enough (e.g. 200 for 1000 in
/// 5). Returns 1 for a span that is not positive and finite.
[[nodiscard]] double nice_tick_step(double span, int max_intervals);

/// The multiples of nice_tick_step(hi - lo, max_intervals) within [lo, hi].
[[nodiscard]] std::vector<double> nice_ticks(double lo, double hi, int max_intervals);

}  // namespace spikeq::io
