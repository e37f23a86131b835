// The state-report rows of the plot: reports summarised (traces, mean and quantiles, the
// min/max envelope of long reports), found beside a spike file, and drawn below the
// rates in PNG and SVG.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "plot_test_support.hpp"
#include "png_test_support.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/sonata.hpp"

namespace {

namespace io = spikeq::io;
namespace fs = std::filesystem;
using plot_test::count_of;
using plot_test::decode;
using plot_test::DecodedPng;

constexpr int kReportRow = 280;  // the default report row height of an 800 pixel figure
constexpr int kWeightRow = 336;  // the default weight row height

/// A fresh folder in the temporary directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("spikeq_test_plot_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

/// Neuron j (of `neurons`) at sample k: a slow ramp per neuron, -70 + j + k / samples.
double value_of(std::size_t j, std::size_t k, std::size_t samples) {
  return -70.0 + static_cast<double>(j) + static_cast<double>(k) / static_cast<double>(samples);
}

/// A report in memory: `neurons` neurons (ids 0, 3, 6, ...) sampled `samples` times every
/// `step` ms from `step` on.
io::ReportFile report(const std::string& population, const std::string& variable,
                      std::size_t neurons, std::size_t samples, double step = 1.0) {
  io::ReportFile r;
  r.population = population;
  r.variable = variable;
  r.units = "mV";
  for (std::size_t j = 0; j < neurons; ++j) r.node_ids.push_back(3 * j);
  r.start = step;
  r.step = step;
  r.stop = step * static_cast<double>(samples + 1);
  for (std::size_t k = 0; k < samples; ++k) {
    for (std::size_t j = 0; j < neurons; ++j) r.data.push_back(value_of(j, k, samples));
  }
  return r;
}

/// Writes `r` as a SONATA report file.
void write_report(const std::string& path, const io::ReportFile& r,
                  const io::RunMetadata& meta = {}) {
  io::ReportFileWriter writer(path, meta, r.population, r.variable, r.units, r.node_ids, r.start,
                              r.step);
  const std::size_t rows = r.node_ids.empty() ? 0 : r.data.size() / r.node_ids.size();
  if (rows > 0) writer.append(r.data.data(), rows);
  writer.close();
}

/// A spike file of regular_input's spikes; `model_yaml` as the run's model.
io::RasterPlotInput write_spike_file(const std::string& path, const std::string& model_yaml = "") {
  io::RasterPlotInput input = plot_test::regular_input(40, 10, 5.0, 1000.0);
  std::vector<io::PopulationInfo> populations;
  for (const auto& p : input.populations) populations.push_back({p.name, p.size});
  io::RunMetadata meta;
  meta.model_yaml = model_yaml;
  io::SpikeFileWriter writer(path, meta, populations);
  for (std::size_t p = 0; p < input.populations.size(); ++p) {
    writer.append(p, input.populations[p].times_ms, input.populations[p].node_ids);
  }
  writer.flush(input.t_stop_ms);
  writer.close();
  return input;
}

std::string plot(const io::RasterPlotInput& input, const std::string& name,
                 const io::PlotOptions& options = {}) {
  const plot_test::TempFile file(name);
  io::write_raster_plot(input, file.str(), options);
  return plot_test::read_file(file.str());
}

/// regular_input's spikes with the given reports, for the plot's window of 0 to 1000 ms.
io::RasterPlotInput with_reports(const std::vector<io::ReportFile>& reports) {
  io::RasterPlotInput input = plot_test::regular_input(40, 10, 5.0, 1000.0);
  for (const auto& r : reports) {
    input.reports.push_back(io::summarize_report(r, input.t_start_ms, input.t_stop_ms));
  }
  return input;
}

}  // namespace

TEST_CASE("a report of a few neurons keeps each neuron's values in the time window") {
  const io::ReportFile r = report("exc", "V_m", 3, 100);  // samples at 1 .. 100 ms
  const io::ReportPlotInput one = io::summarize_report(r, 10.0, 20.0);
  CHECK(one.population == "exc");
  CHECK(one.variable == "V_m");
  CHECK(one.units == "mV");
  CHECK(one.neurons == 3);
  CHECK(one.samples == 11);  // 10 to 20 ms, both ends included
  CHECK(one.step_ms == 1.0);
  CHECK_FALSE(one.enveloped);
  REQUIRE(one.traces.size() == 3);
  CHECK(one.traces[2].node_id == 6);
  REQUIRE(one.traces[2].times_ms.size() == 11);
  CHECK(one.traces[2].times_ms.front() == 10.0);
  CHECK(one.traces[2].times_ms.back() == 20.0);
  CHECK(one.traces[2].values.front() == value_of(2, 9, 100));
  CHECK(one.traces[2].values.back() == value_of(2, 19, 100));
  CHECK(one.mean.empty());
  CHECK(one.q10.empty());

  const io::ReportPlotInput outside = io::summarize_report(r, 200.0, 300.0);
  CHECK(outside.samples == 0);
  REQUIRE(outside.traces.size() == 3);
  CHECK(outside.traces[0].values.empty());
}

TEST_CASE("a report of many neurons is summarised by the mean and 10 % and 90 % quantiles") {
  // 11 neurons at -70 + j (+ a ramp under 1 mV): mean -65, quantiles -69 and -61.
  const io::ReportFile r = report("exc", "V_m", 11, 50);
  const io::ReportPlotInput s = io::summarize_report(r, 0.0, 1000.0);
  CHECK(s.neurons == 11);
  CHECK(s.samples == 50);
  CHECK(s.traces.empty());
  REQUIRE(s.mean.size() == 50);
  CHECK(s.mean_times_ms == s.band_times_ms);
  CHECK(s.mean_times_ms.front() == 1.0);
  CHECK(s.mean_times_ms.back() == 50.0);
  CHECK(s.mean[0] == doctest::Approx(-65.0));
  CHECK(s.q10[0] == doctest::Approx(-69.0));
  CHECK(s.q90[0] == doctest::Approx(-61.0));
  CHECK(s.q90[49] == doctest::Approx(-61.0 + 49.0 / 50.0));
}

TEST_CASE("long reports are thinned to a min/max envelope that keeps a one-sample peak") {
  constexpr std::size_t samples = 100'000;
  io::ReportFile r;
  r.population = "exc";
  r.variable = "V_m";
  r.node_ids = {7};
  r.start = 0.0;
  r.step = 0.1;
  r.data.assign(samples, -65.0);
  r.data[54'321] = 30.0;   // a spike, one sample wide
  r.data[77'777] = -90.0;  // and a dip
  for (std::size_t k = 0; k < samples; k += 1000) r.data[k] += 1e-3;  // not quite flat
  const io::ReportPlotInput s = io::summarize_report(r, 0.0, 1e6);
  CHECK(s.enveloped);
  CHECK(s.samples == samples);
  REQUIRE(s.traces.size() == 1);
  const auto& t = s.traces[0];
  CHECK(t.values.size() <= io::ReportPlotInput::kMaxPoints);
  CHECK(t.values.size() > io::ReportPlotInput::kMaxPoints / 2);
  CHECK(t.times_ms.size() == t.values.size());
  CHECK(std::is_sorted(t.times_ms.begin(), t.times_ms.end()));
  // The first and last sample, and the peak and the dip with their exact values and times.
  CHECK(t.times_ms.front() == 0.0);
  CHECK(t.values.front() == r.data.front());
  CHECK(t.times_ms.back() == doctest::Approx(0.1 * (samples - 1)));
  CHECK(t.values.back() == r.data.back());
  const auto peak = std::max_element(t.values.begin(), t.values.end());
  CHECK(*peak == 30.0);
  CHECK(t.times_ms[static_cast<std::size_t>(peak - t.values.begin())] == doctest::Approx(5432.1));
  CHECK(*std::min_element(t.values.begin(), t.values.end()) == -90.0);
  // Only values of the report: nothing averaged.
  for (const double v : t.values) {
    CHECK((v == -65.0 || v == -65.0 + 1e-3 || v == 30.0 || v == -90.0));
  }

  // A window keeps its own first and last sample; fewer points than samples keep the peak.
  const io::ReportPlotInput w = io::summarize_report(r, 5000.0, 6000.0, 100);
  REQUIRE(w.traces.size() == 1);
  CHECK(w.samples == 10'001);
  CHECK(w.traces[0].values.size() <= 100);
  CHECK(w.traces[0].times_ms.front() == doctest::Approx(5000.0));
  CHECK(w.traces[0].times_ms.back() == doctest::Approx(6000.0));
  CHECK(*std::max_element(w.traces[0].values.begin(), w.traces[0].values.end()) == 30.0);

  // With many neurons, the mean's envelope keeps the peak, the band the extremes.
  io::ReportFile many;
  many.population = "exc";
  many.variable = "V_m";
  many.step = 1.0;
  for (std::uint64_t j = 0; j < 20; ++j) many.node_ids.push_back(j);
  many.data.assign(20 * samples, -65.0);
  for (std::size_t j = 0; j < 20; ++j) many.data[54'321 * 20 + j] = 30.0;
  const io::ReportPlotInput m = io::summarize_report(many, 0.0, 1e6);
  CHECK(m.enveloped);
  CHECK(m.mean.size() <= io::ReportPlotInput::kMaxPoints);
  CHECK(m.q10.size() <= io::ReportPlotInput::kMaxPoints);
  CHECK(m.q10.size() == m.band_times_ms.size());
  CHECK(*std::max_element(m.mean.begin(), m.mean.end()) == doctest::Approx(30.0));
  CHECK(*std::max_element(m.q90.begin(), m.q90.end()) == doctest::Approx(30.0));
  CHECK(m.band_times_ms.front() == 0.0);
  CHECK(m.band_times_ms.back() == static_cast<double>(samples - 1));
}

TEST_CASE("malformed reports are refused") {
  io::ReportFile r = report("exc", "V_m", 3, 10);
  r.data.pop_back();
  CHECK_THROWS_AS((void)io::summarize_report(r, 0.0, 100.0), spikeq::InvalidParameter);
  io::ReportFile flat = report("exc", "V_m", 1, 10);
  flat.step = 0.0;
  CHECK_THROWS_WITH_AS((void)io::summarize_report(flat, 0.0, 100.0),
                       doctest::Contains("exc.V_m"), spikeq::InvalidParameter);
}

TEST_CASE("a PNG with reports adds one row per report between the rates and the weights") {
  const io::RasterPlotInput plain = with_reports({});
  const io::RasterPlotInput input =
      with_reports({report("exc", "V_m", 1, 1000), report("inh", "V_m", 20, 1000)});
  const DecodedPng png = decode(plot(input, "reports.png"));
  CHECK(png.width == 1200);
  CHECK(png.height == 800 + 2 * kReportRow);
  // Each row holds a panel: frame, curves and labels ink a fair part of it.
  for (int r = 0; r < 2; ++r) {
    const double y0 = (800.0 + r * kReportRow) / png.height;
    const double y1 = (800.0 + (r + 1) * kReportRow) / png.height;
    const double inked = plot_test::non_white_fraction(png, 0.0, 1.0, y0, y1);
    CAPTURE(r);
    CHECK(inked > 0.01);
    CHECK(inked < 0.5);
  }
  CHECK(decode(plot(plain, "plain.png")).height == 800);
  io::PlotOptions rows;
  rows.report_row_height = 250;
  CHECK(decode(plot(input, "rows.png", rows)).height == 800 + 2 * 250);
  rows.report_row_height = 20;
  CHECK_THROWS_AS(plot(input, "rows.png", rows), spikeq::InvalidParameter);

  // Weight rows go below the report rows.
  io::RasterPlotInput both = input;
  const std::vector<std::uint32_t> ids{0, 1};
  both.weights.push_back(io::summarize_weight_snapshots(
      "p", "pA", ids, ids, {100.0, 200.0}, [](std::size_t) { return std::vector<float>{1, 2}; }));
  CHECK(decode(plot(both, "both.png")).height == 800 + 2 * kReportRow + kWeightRow);
  const std::string svg = plot(both, "both.svg");
  CHECK(svg.find(">exc V_m<") < svg.find(">inh V_m<"));
  CHECK(svg.find(">inh V_m<") < svg.find(">% of synapses<"));
}

TEST_CASE("an SVG with reports has a panel per report on the raster's time axis") {
  const io::RasterPlotInput input = with_reports({report("exc", "V_m", 1, 1000),
                                                  report("inh", "V_m", 20, 1000),
                                                  report("exc", "g_ex", 3, 1000)});
  const std::string svg = plot(input, "reports.svg");
  CHECK(svg.find("height=\"" + std::to_string(800 + 3 * kReportRow) + "\"") != std::string::npos);
  CHECK(count_of(svg, ">time (ms)<") == 1 + 3);  // the raster's and one per report
  CHECK(count_of(svg, ">V_m (mV)<") == 2);       // the y-axis labels, with the unit
  CHECK(svg.find(">exc V_m<") != std::string::npos);
  CHECK(svg.find(">inh V_m<") != std::string::npos);
  CHECK(svg.find(">exc g_ex<") != std::string::npos);
  CHECK(svg.find("neuron 0, 1000 samples every 1 ms") != std::string::npos);
  CHECK(svg.find("20 neurons: mean and 10-90 % over neurons, 1000 samples every 1 ms") !=
        std::string::npos);
  // Legends: the mean and band of the 20 neurons; each of the 3 neurons by its id.
  CHECK(count_of(svg, ">mean<") == 1);
  CHECK(count_of(svg, ">10-90 %<") == 1);
  CHECK(svg.find(">neuron 0<") != std::string::npos);
  CHECK(svg.find(">neuron 3<") != std::string::npos);
  CHECK(svg.find(">neuron 6<") != std::string::npos);
  CHECK(count_of(svg, "<text") == count_of(svg, "</text>"));
  // The same time ticks as the raster's: each tick label appears once per time axis.
  CHECK(count_of(svg, ">1000<") >= 1 + 3);

  // The raster figure's own panels and rows keep their place: hidden reports give the
  // raster figure alone, byte for byte.
  io::PlotOptions hidden;
  hidden.show_reports = false;
  for (const char* name : {"hidden.png", "hidden.svg"}) {
    CAPTURE(name);
    CHECK(plot(input, name, hidden) == plot(with_reports({}), name));
  }
}

TEST_CASE("reports read from files: at most the first few, the others noted in the figure") {
  const TempDir dir("reports_read");
  std::vector<std::string> paths;
  for (int k = 0; k < 6; ++k) {
    std::string variable = "v";  // appended to, not "v" + ...: GCC 12 warns on that (-Wrestrict)
    variable += std::to_string(k);
    paths.push_back(dir.file("run.exc." + variable + ".h5"));
    write_report(paths.back(), report("exc", variable, 2, 100));
  }
  io::RasterPlotInput input = with_reports({});
  CHECK(io::add_reports_from_files(input, paths).empty());
  REQUIRE(input.reports.size() == 4);
  CHECK(input.reports_omitted == 2);
  CHECK(input.reports[0].variable == "v0");
  CHECK(input.reports[3].variable == "v3");
  CHECK(input.reports[0].units == "mV");
  CHECK(input.reports[0].samples == 100);
  const std::string svg = plot(input, "capped.svg");
  CHECK(svg.find(">showing 4 of 6 reports<") != std::string::npos);
  CHECK(count_of(svg, ">time (ms)<") == 1 + 4);
  CHECK(decode(plot(input, "capped.png")).height == 800 + 4 * kReportRow);

  // A missing file is an error naming it, unless such files are to be skipped.
  const std::string missing = dir.file("run.exc.missing.h5");
  CHECK_THROWS_WITH_AS(io::add_reports_from_files(input, {paths[0], missing}),
                       doctest::Contains(missing.c_str()), io::FileError);
  const std::vector<std::string> skipped =
      io::add_reports_from_files(input, {missing, paths[1]}, 4, true);
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].find(missing) != std::string::npos);
  REQUIRE(input.reports.size() == 1);
  CHECK(input.reports[0].variable == "v1");
}

TEST_CASE("the reports of a spike file are those of its model's state recorders") {
  const TempDir dir("reports_found");
  const std::string spikes = dir.file("run.h5");
  CHECK(io::report_file_name(spikes, "exc", "V_m") == dir.file("run.exc.V_m.h5"));
  CHECK(io::report_file_name("out/a.b.h5", "inh", "g") == "out/a.b.inh.g.h5");

  const std::string model = R"(simulation: {dt: 0.1 ms, duration: 100 ms}
populations: [{name: exc, model: lif_psc_exp, size: 4}, {name: inh, model: lif_psc_exp, size: 2}]
recorders:
  state:
    - {population: inh, variable: V, interval: 1 ms}
    - {population: exc, variable: V, interval: 1 ms}
    - {population: exc, variable: I_ex, interval: 1 ms, file: named.h5}
    - {population: exc, variable: I_in, interval: 1 ms}
)";
  write_spike_file(spikes, model);
  write_report(dir.file("run.inh.V.h5"), report("inh", "V", 2, 10));
  write_report(dir.file("run.exc.V.h5"), report("exc", "V", 4, 10));
  write_report(dir.file("named.h5"), report("exc", "I_ex", 4, 10));
  write_report(dir.file("run.stray.x.h5"), report("stray", "x", 1, 10));  // not the model's
  const io::ReportFiles listed = io::find_report_files(spikes, model);
  CHECK(listed.from_model);
  // In the model's order; the named file beside the spike file, where it was moved along.
  CHECK(listed.paths == std::vector<std::string>{dir.file("run.inh.V.h5"), dir.file("run.exc.V.h5"),
                                                 dir.file("named.h5")});
  CHECK(listed.missing == std::vector<std::string>{dir.file("run.exc.I_in.h5")});

  // A model without state recorders has no reports, whatever lies beside the file.
  const io::ReportFiles none =
      io::find_report_files(spikes, "populations: [{name: exc, model: lif_psc_exp, size: 4}]\n");
  CHECK(none.from_model);
  CHECK(none.paths.empty());

  // Without a model: every STEM.POPULATION.VARIABLE.h5 beside the file, by name.
  const io::ReportFiles named = io::find_report_files(spikes, "");
  CHECK_FALSE(named.from_model);
  CHECK(named.paths == std::vector<std::string>{dir.file("run.exc.V.h5"), dir.file("run.inh.V.h5"),
                                                dir.file("run.stray.x.h5")});
  CHECK(named.missing.empty());
}
