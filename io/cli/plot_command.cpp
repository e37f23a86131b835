// spikeq plot: a spike file as a raster with the population rate below, a row per state
// report (up to four) below that, and the weights of up to three recorded projections
// (/weights) at the bottom; a continual-learning result (/continual) as its accuracy matrix.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.hpp"
#include "model_loading.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/sonata.hpp"

namespace spikeq::cli {
namespace {

// Each projection and report adds a row of panels; beyond a few the figure gets very tall.
constexpr std::size_t kMaxWeightProjections = 3;
constexpr std::size_t kMaxReports = 4;

void warn(const std::string& message) {
  std::fprintf(stderr, "spikeq: warning: %s\n", message.c_str());
}

/// The reports to plot: --report as given, else those belonging to the spike file.
/// Returns false (after reporting the error) when one cannot be read.
bool add_reports(const PlotArgs& args, const io::SpikeFile& f, io::RasterPlotInput& in) {
  if (!args.reports.empty()) {
    try {
      io::add_reports_from_files(in, args.reports, kMaxReports);
    } catch (const Error& e) {
      report_error(std::string(e.what()) + " (given with --report)");
      return false;
    }
    return true;
  }
  const io::ReportFiles found = io::find_report_files(args.file, f.meta.model_yaml);
  for (const std::string& path : found.missing) {
    warn("report '" + path + "' of the run's state recorders was not found; left out");
  }
  try {
    // Files found by their name alone may be something else: those are left out.
    for (const std::string& skipped :
         io::add_reports_from_files(in, found.paths, kMaxReports, !found.from_model)) {
      warn(skipped + "; left out");
    }
  } catch (const Error& e) {
    report_error(std::string(e.what()) + " (--no-reports plots without the reports)");
    return false;
  }
  return true;
}

/// A continual-learning result (/continual, no spikes): its accuracy matrix as a heat map.
/// The options of the raster do not apply; those given are reported and left unused.
void plot_continual(const PlotArgs& args, const io::ContinualPlotInput& in) {
  std::string unused;
  const auto note = [&](bool given, const char* option) {
    if (!given) return;
    if (!unused.empty()) unused += ", ";
    unused += option;
  };
  note(args.start.has_value(), "--start");
  note(args.stop.has_value(), "--stop");
  note(args.max_neurons != 0, "--max-neurons");
  note(args.bin_ms != 0.0, "--bin");
  note(!args.reports.empty(), "--report");
  if (!unused.empty()) {
    warn(unused + " ignored: '" + args.file +
         "' holds a continual-learning result, plotted as its accuracy matrix");
  }
  io::write_continual_plot(in, args.output);
}

}  // namespace

int plot_command(const PlotArgs& args) {
  try {
    if (const auto continual = io::read_continual_plot_input(args.file)) {
      plot_continual(args, *continual);
      return kOk;
    }
    const io::SpikeFile f = io::read_spike_file(args.file);
    io::RasterPlotInput in;
    double t_stop = f.t_stop;
    for (const auto& p : f.populations) {
      for (double t : p.timestamps) t_stop = std::max(t_stop, t);
    }
    in.t_start_ms = args.start.value_or(0.0);
    in.t_stop_ms = args.stop.value_or(t_stop);
    if (!(in.t_stop_ms > in.t_start_ms)) {
      report_error("plot: the time window is empty (" + std::to_string(in.t_start_ms) + " to " +
                   std::to_string(in.t_stop_ms) + " ms)");
      return kInvalid;
    }
    in.title = std::filesystem::path(args.file).filename().string();
    for (const auto& p : f.populations) {
      io::RasterPlotInput::Population q;
      q.name = p.name;
      q.size = p.size;
      for (std::size_t k = 0; k < p.timestamps.size(); ++k) {
        if (p.timestamps[k] < in.t_start_ms || p.timestamps[k] > in.t_stop_ms) continue;
        q.times_ms.push_back(p.timestamps[k]);
        q.node_ids.push_back(p.node_ids[k]);
        if (p.size == 0) q.size = std::max<std::uint64_t>(q.size, p.node_ids[k] + 1);
      }
      if (q.size == 0) q.size = 1;
      in.populations.push_back(std::move(q));
    }
    if (!args.no_reports && !add_reports(args, f, in)) return kRuntimeFailure;
    if (!args.no_weights) {
      try {
        io::add_weights_from_file(in, args.file, kMaxWeightProjections);
      } catch (const Error& e) {
        report_error(std::string(e.what()) + " (--no-weights plots the spikes alone)");
        return kRuntimeFailure;
      }
    }
    io::PlotOptions options;
    options.max_neurons_per_population = args.max_neurons;
    options.rate_bin_ms = args.bin_ms;
    options.show_weights = !args.no_weights;
    options.show_reports = !args.no_reports;
    io::write_raster_plot(in, args.output, options);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  return kOk;
}

}  // namespace spikeq::cli
