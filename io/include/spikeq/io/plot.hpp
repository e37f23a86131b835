#pragma once
// Raster plots: spikes of every population above, population firing rate below; then, for
// state reports (SONATA reports of recorded variables), per report the variable over time
// on the raster's time axis; and, for recorded weights, per projection a histogram of the
// weights at the first and last snapshot beside the weights over time. A continual-learning
// result is drawn instead as its accuracy matrix (a heat map).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace spikeq::io {

struct ReportFile;  // spikeq/io/sonata.hpp

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

/// One state report (one variable of some neurons of a population, sampled at a fixed
/// step) within the plot's time window, as a report row draws it; summarize_report makes
/// one.
struct ReportPlotInput {
  /// Reports of at most this many neurons have each neuron drawn; larger ones their mean
  /// and 10 % to 90 % quantiles over the neurons.
  static constexpr std::size_t kMaxTraces = 5;
  /// Points per curve at most; longer reports are drawn as a min/max envelope.
  static constexpr std::size_t kMaxPoints = 2000;

  std::string population;
  std::string variable;
  std::string units;            ///< of the variable; empty if unknown or dimensionless
  std::uint64_t neurons = 0;
  std::uint64_t samples = 0;    ///< within the time window
  double step_ms = 0.0;         ///< sampling interval
  /// True when a curve holds, per bin of consecutive samples, only the bin's smallest and
  /// largest value (each at its own time): a min/max envelope that keeps narrow peaks.
  bool enveloped = false;

  struct Trace {
    std::uint64_t node_id = 0;
    std::vector<double> times_ms;  ///< of the samples drawn
    std::vector<double> values;    ///< NaN where there is none
  };
  std::vector<Trace> traces;  ///< neurons drawn one by one (at most kMaxTraces), else empty
  /// With more than kMaxTraces neurons: the mean over the neurons at mean_times_ms, and
  /// the band between the 10 % and 90 % quantiles at band_times_ms (enveloped: per bin
  /// the smallest 10 % and largest 90 % quantile, at the bin's first and last sample).
  std::vector<double> mean_times_ms, mean;
  std::vector<double> band_times_ms, q10, q90;
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
  /// One row each, below the rates and above the weight panels, on the raster's time axis.
  std::vector<ReportPlotInput> reports;
  std::size_t reports_omitted = 0;  ///< reports left out (noted in the figure)
  /// One row of weight panels each, below the rates (and reports); none: no weight rows.
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
  /// Height of each report row, 100 to 16000; 0: 0.35 of `height` (280 for 800), at
  /// least 120.
  int report_row_height = 0;
  bool show_reports = true;   ///< false: leave out input.reports
  double rate_bin_ms = 0.0;   ///< 0: chosen from the time span (about 200 bins)
  std::uint64_t max_neurons_per_population = 0;  ///< 0: all; else an evenly spaced subset
};

/// Writes the plot to `path`; the format follows the extension, .png or .svg. The image is
/// options.height tall, plus a row of options.report_row_height per input.reports entry
/// (when options.show_reports) and a row of options.weight_row_height per input.weights
/// entry (when options.show_weights). Throws io::FileError if the file cannot be written or the
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

/// Summarises a report for the plot: the samples within [t_start_ms, t_stop_ms] (sample k
/// is at report.start + k report.step). With at most ReportPlotInput::kMaxTraces neurons,
/// every neuron's values; else the mean and the 10 % and 90 % quantiles over the neurons
/// (of the finite values). A curve with more than `max_points` samples (at least 4) is
/// thinned to a min/max envelope: the samples fall into (max_points - 2) / 2 bins of
/// consecutive samples, and of each bin the smallest and the largest value are kept, at
/// their own times and with their exact values; the first and the last sample of the
/// window are always kept. Throws spikeq::InvalidParameter if the data do not fill whole
/// rows of node_ids or the step is not positive.
[[nodiscard]] ReportPlotInput summarize_report(
    const ReportFile& report, double t_start_ms, double t_stop_ms,
    std::size_t max_points = ReportPlotInput::kMaxPoints);

/// The file `spikeq run` writes a state report of spike file `spike_path` to, unless the
/// recorder names one: STEM.POPULATION.VARIABLE.h5 beside the spike file (run.h5 ->
/// run.exc.V_m.h5).
[[nodiscard]] std::string report_file_name(const std::string& spike_path,
                                           const std::string& population,
                                           const std::string& variable);

/// The state reports that belong to a spike file.
struct ReportFiles {
  std::vector<std::string> paths;    ///< found, in the model's order (or by name)
  std::vector<std::string> missing;  ///< named by the model but not found
  bool from_model = false;  ///< listed by the model the spike file stores, else by name
};

/// The reports of spike file `spike_path`, whose run stored `model_yaml` (RunMetadata):
/// the state recorders of that model (recorders.state), each at its `file` (as given,
/// else beside the spike file) or report_file_name. Without a model (another
/// simulator's file, or text that is not YAML): every file STEM.*.*.h5 beside the spike
/// file, sorted by name.
[[nodiscard]] ReportFiles find_report_files(const std::string& spike_path,
                                            const std::string& model_yaml);

/// Replaces input.reports with the first `max_reports` of `paths`, each read with
/// read_report_file and summarised by summarize_report for input's time window;
/// input.reports_omitted counts the others. Throws io::FileError naming the file when one
/// is missing or not a report; with `skip_unreadable`, such files are left out instead
/// and their errors returned.
std::vector<std::string> add_reports_from_files(RasterPlotInput& input,
                                                const std::vector<std::string>& paths,
                                                std::size_t max_reports = 4,
                                                bool skip_unreadable = false);

/// A continual-learning result (/continual of the file `spikeq run` writes for a model
/// with a continual: section, see spikeq/io/continual.hpp) as its heat map draws it:
/// rows "after training task i", columns "task j", each cell coloured by the accuracy on
/// a fixed 0 to 100 % scale with its value printed in it; cells above the diagonal
/// (tasks not yet trained) are washed out toward white. read_continual_plot_input makes
/// one.
struct ContinualPlotInput {
  /// accuracy[i][j]: fraction (0 to 1) of task j's test samples classified right after
  /// training tasks 0..i; tasks x tasks, or one row (all tasks trained together). NaN:
  /// not measured.
  std::vector<std::vector<double>> accuracy;
  std::string title;
};

/// The heat map's input from HDF5 file `path`, or nothing when the file has no
/// /continual group (a spike file). The title names the file and what it says: e.g.
/// "run.h5: digits, 5 permuted tasks, HLOP - ACC 76.7 %, BWT -6.8" (ACC in %, BWT in
/// percentage points). Throws io::FileError naming the file and dataset when /continual
/// is malformed (an accuracy matrix neither square nor one row).
[[nodiscard]] std::optional<ContinualPlotInput> read_continual_plot_input(const std::string& path);

/// Writes the heat map to `path` (.png or .svg), options.width x options.height (the
/// other options do not apply). Throws as write_raster_plot does, and
/// spikeq::InvalidParameter if the rows of input.accuracy differ in length.
void write_continual_plot(const ContinualPlotInput& input, const std::string& path,
                          const PlotOptions& options = {});

/// Tick spacing for an axis spanning `span` in at most `max_intervals` intervals: the
/// smallest of 1, 2 or 5 times a power of ten that is large enough (e.g. 200 for 1000 in
/// 5). Returns 1 for a span that is not positive and finite.
[[nodiscard]] double nice_tick_step(double span, int max_intervals);

/// The multiples of nice_tick_step(hi - lo, max_intervals) within [lo, hi].
[[nodiscard]] std::vector<double> nice_ticks(double lo, double hi, int max_intervals);

}  // namespace spikeq::io
