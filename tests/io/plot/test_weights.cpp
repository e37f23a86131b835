// The weight panels of the plot: snapshots summarised, read from a spike file's /weights,
// and drawn below the raster and rates in PNG and SVG.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "plot_test_support.hpp"
#include "png_test_support.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/weights.hpp"

namespace {

namespace io = spikeq::io;
using plot_test::count_of;
using plot_test::decode;
using plot_test::DecodedPng;
using plot_test::TempFile;

constexpr int kRow = 336;  // the default weight row height of an 800 pixel figure

struct Projection {
  std::string name;
  std::string units;
  std::size_t synapses = 0;
  std::size_t snapshots = 0;
};

/// Synapse j of a projection weighs (j mod 11) + k / 10 at snapshot k, taken every 100 ms
/// from 100 ms on: the first snapshot spreads 0 to 10, the last is shifted by
/// (snapshots - 1) / 10.
float weight_of(std::size_t j, std::size_t k) {
  return static_cast<float>(static_cast<double>(j % 11) + static_cast<double>(k) / 10.0);
}

/// A spike file with the spikes of regular_input and the given weight recordings.
void write_spike_file(const std::string& path, const io::RasterPlotInput& spikes,
                      const std::vector<Projection>& projections) {
  std::vector<io::PopulationInfo> populations;
  for (const auto& p : spikes.populations) populations.push_back({p.name, p.size});
  io::SpikeFileWriter writer(path, io::RunMetadata{}, populations);
  for (std::size_t p = 0; p < spikes.populations.size(); ++p) {
    writer.append(p, spikes.populations[p].times_ms, spikes.populations[p].node_ids);
  }
  std::vector<io::WeightSeriesInfo> series;
  for (const Projection& q : projections) {
    io::WeightSeriesInfo info{q.name, q.units, {}, {}, {}};
    for (std::size_t j = 0; j < q.synapses; ++j) {
      info.source_ids.push_back(static_cast<std::uint32_t>(j % 40));
      info.target_ids.push_back(static_cast<std::uint32_t>((j * 7 + 3) % 40));
      info.delays.push_back(1.0);
    }
    series.push_back(std::move(info));
  }
  io::WeightFileWriter weights(path, series);
  for (std::size_t s = 0; s < projections.size(); ++s) {
    for (std::size_t k = 0; k < projections[s].snapshots; ++k) {
      const double t = 100.0 * static_cast<double>(k + 1);
      std::vector<float> row(projections[s].synapses);
      for (std::size_t j = 0; j < row.size(); ++j) row[j] = weight_of(j, k);
      weights.append(s, &t, row.data(), 1);
    }
  }
  weights.close();
  writer.flush(spikes.t_stop_ms);
  writer.close();
}

io::RasterPlotInput spikes() { return plot_test::regular_input(40, 10, 5.0, 1000.0); }

/// The spikes plus the weights of a file written with `projections`.
io::RasterPlotInput with_weights(const std::vector<Projection>& projections,
                                 std::size_t max_projections = 3) {
  const TempFile file("weights.h5");
  io::RasterPlotInput input = spikes();
  write_spike_file(file.str(), input, projections);
  io::add_weights_from_file(input, file.str(), max_projections);
  return input;
}

std::string plot(const io::RasterPlotInput& input, const std::string& name,
                 const io::PlotOptions& options = {}) {
  const TempFile file(name);
  io::write_raster_plot(input, file.str(), options);
  return plot_test::read_file(file.str());
}

/// Pixels of rows [y0, y1) whose red exceeds their blue by more than 30 (`redder`), or the
/// other way round: the orange and the blue of the palette, also when translucent.
std::size_t tinted(const DecodedPng& png, std::uint32_t y0, std::uint32_t y1, bool redder) {
  std::size_t n = 0;
  for (std::uint32_t y = y0; y < y1 && y < png.height; ++y) {
    for (std::uint32_t x = 0; x < png.width; ++x) {
      const unsigned char* p = &png.scanlines[y * (1 + 3 * png.width) + 1 + 3 * x];
      n += redder ? p[0] > p[2] + 30 : p[2] > p[0] + 30;
    }
  }
  return n;
}

std::vector<float> snapshot_of(std::size_t synapses, std::size_t k) {
  std::vector<float> w(synapses);
  for (std::size_t j = 0; j < synapses; ++j) w[j] = weight_of(j, k);
  return w;
}

}  // namespace

TEST_CASE("many synapses are summarised by their mean and 10 % and 90 % quantiles") {
  // 11 synapses weighing 0 to 10, plus k at snapshot k.
  std::vector<std::uint32_t> ids(11, 0);
  const std::vector<double> times{10.0, 20.0, 30.0};
  const io::WeightPlotInput w =
      io::summarize_weight_snapshots("p", "nS", ids, ids, times, [](std::size_t k) {
        std::vector<float> v(11);
        for (std::size_t j = 0; j < 11; ++j) v[j] = static_cast<float>(j + k);
        return v;
      });
  CHECK(w.projection == "p");
  CHECK(w.units == "nS");
  CHECK(w.synapses == 11);
  CHECK(w.snapshots == 3);
  CHECK(w.first_time_ms == 10.0);
  CHECK(w.last_time_ms == 30.0);
  CHECK(w.times_ms == times);
  CHECK(w.mean == std::vector<double>{5.0, 6.0, 7.0});
  CHECK(w.q10 == std::vector<double>{1.0, 2.0, 3.0});
  CHECK(w.q90 == std::vector<double>{9.0, 10.0, 11.0});
  CHECK(w.traces.empty());
  REQUIRE(w.first.size() == 11);
  CHECK(w.first[10] == 10.0f);
  CHECK(w.last[10] == 12.0f);
}

TEST_CASE("quantiles interpolate, and weights that are not finite are left out") {
  const std::vector<std::uint32_t> ids(7, 0);
  const io::WeightPlotInput w = io::summarize_weight_snapshots(
      "p", "", ids, ids, {0.0},
      [](std::size_t) { return std::vector<float>{3, NAN, 0, 1, INFINITY, 2, 4}; });
  REQUIRE(w.mean.size() == 1);
  CHECK(w.mean[0] == doctest::Approx(2.0));
  CHECK(w.q10[0] == doctest::Approx(0.4));
  CHECK(w.q90[0] == doctest::Approx(3.6));
  CHECK(w.first.size() == 7);  // kept whole; the histogram skips what is not finite
}

TEST_CASE("a few synapses are each followed over time") {
  const std::vector<std::uint32_t> sources{1}, targets{57};
  const io::WeightPlotInput one = io::summarize_weight_snapshots(
      "rewarded", "mV", sources, targets, {1000.0, 2000.0},
      [](std::size_t k) { return std::vector<float>{k == 0 ? 0.0f : 4.0f}; });
  REQUIRE(one.traces.size() == 1);
  CHECK(one.traces[0].source == 1);
  CHECK(one.traces[0].target == 57);
  CHECK(one.traces[0].weights == std::vector<double>{0.0, 4.0});
  CHECK(one.q10.empty());
  CHECK(one.q90.empty());

  const std::vector<std::uint32_t> five{0, 1, 2, 3, 4};
  const io::WeightPlotInput few = io::summarize_weight_snapshots(
      "few", "pA", five, five, {0.0}, [](std::size_t) { return snapshot_of(5, 0); });
  CHECK(few.traces.size() == 5);
  CHECK(few.q10.empty());
  CHECK(few.mean == std::vector<double>{2.0});
}

TEST_CASE("long recordings are drawn from evenly spaced snapshots") {
  std::vector<double> times;
  for (int k = 0; k < 1001; ++k) times.push_back(k);
  const std::vector<std::uint32_t> ids(20, 0);
  std::vector<std::size_t> read;
  const io::WeightPlotInput w = io::summarize_weight_snapshots(
      "p", "pA", ids, ids, times,
      [&](std::size_t k) {
        read.push_back(k);
        return snapshot_of(20, k);
      },
      11);
  CHECK(read == std::vector<std::size_t>{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000});
  CHECK(w.times_ms.size() == 11);
  CHECK(w.times_ms.back() == 1000.0);
  CHECK(w.snapshots == 1001);
  CHECK(w.last == snapshot_of(20, 1000));
}

TEST_CASE("snapshots and ids must agree in length") {
  const std::vector<std::uint32_t> two{0, 1}, three{0, 1, 2};
  const auto read = [](std::size_t) { return std::vector<float>{1.0f}; };
  CHECK_THROWS_AS((void)io::summarize_weight_snapshots("p", "", two, three, {0.0}, read),
                  spikeq::InvalidParameter);
  CHECK_THROWS_WITH_AS((void)io::summarize_weight_snapshots("p", "", two, two, {0.0}, read),
                       doctest::Contains("'p'"), spikeq::InvalidParameter);
}

TEST_CASE("the weights of a spike file are read for the plot, three projections at most") {
  const io::RasterPlotInput input = with_weights({{"exc-exc", "pA", 30, 4},
                                                  {"rewarded", "mV", 1, 3},
                                                  {"third", "nS", 6, 1},
                                                  {"fourth", "pA", 2, 2}});
  REQUIRE(input.weights.size() == 3);
  CHECK(input.weights_omitted == 1);
  CHECK(input.weights[0].projection == "exc-exc");
  CHECK(input.weights[0].units == "pA");
  CHECK(input.weights[0].synapses == 30);
  CHECK(input.weights[0].snapshots == 4);
  CHECK(input.weights[0].first_time_ms == 100.0);
  CHECK(input.weights[0].last_time_ms == 400.0);
  CHECK(input.weights[0].first == snapshot_of(30, 0));
  CHECK(input.weights[0].last == snapshot_of(30, 3));
  CHECK(input.weights[1].traces.size() == 1);
  CHECK(input.weights[2].snapshots == 1);

  const TempFile file("no_weights.h5");
  io::RasterPlotInput plain = spikes();
  write_spike_file(file.str(), plain, {});
  io::add_weights_from_file(plain, file.str());
  CHECK(plain.weights.empty());
  CHECK(plain.weights_omitted == 0);
}

TEST_CASE("a PNG with weights adds one row of panels per projection below the same raster") {
  const io::RasterPlotInput input =
      with_weights({{"exc-exc", "pA", 30, 4}, {"rewarded", "mV", 1, 3}});
  const DecodedPng with = decode(plot(input, "weights.png"));
  CHECK(with.width == 1200);
  CHECK(with.height == 800 + 2 * kRow);
  const DecodedPng without = decode(plot(spikes(), "raster.png"));
  CHECK(without.height == 800);
  // The raster figure is the same, pixel for pixel, in the top 800 rows.
  const std::size_t row_bytes = 1 + 3 * std::size_t{1200};
  CHECK(std::equal(without.scanlines.begin(), without.scanlines.end(), with.scanlines.begin()));
  CHECK(with.scanlines.size() == row_bytes * with.height);
  // Each row holds panels: frames, histogram bars and curves ink a fair part of it.
  for (int r = 0; r < 2; ++r) {
    const double y0 = (800.0 + r * kRow) / with.height;
    const double y1 = (800.0 + (r + 1) * kRow) / with.height;
    const double inked = plot_test::non_white_fraction(with, 0.0, 1.0, y0, y1);
    CAPTURE(r);
    CHECK(inked > 0.02);
    CHECK(inked < 0.5);
  }
  // The histograms of the first and last snapshot, blue and orange, and in the second row
  // (a single synapse) the synapse's weight over time, blue.
  CHECK(tinted(with, 800, 800 + kRow, false) > 1000);
  CHECK(tinted(with, 800, 800 + kRow, true) > 1000);
  CHECK(tinted(with, 800 + kRow, 800 + 2 * kRow, false) > 500);
}

TEST_CASE("an SVG with weights has a histogram and a panel over time per projection") {
  const io::RasterPlotInput input = with_weights({{"exc-exc", "pA", 30, 4},
                                                  {"rewarded", "mV", 1, 3},
                                                  {"third", "nS", 6, 1},
                                                  {"fourth", "pA", 2, 2}});
  const std::string svg = plot(input, "weights.svg");
  CHECK(svg.find("height=\"" + std::to_string(800 + 3 * kRow) + "\"") != std::string::npos);
  CHECK(count_of(svg, ">time (s)<") == 3);       // one panel over time per projection
  CHECK(count_of(svg, ">% of synapses<") == 3);  // one histogram per projection
  CHECK(count_of(svg, ">time (ms)<") == 1);      // the raster's axis, once
  // The weight unit labels the histogram's x axis and the other panel's y axis.
  CHECK(count_of(svg, ">weight (pA)<") == 2);
  CHECK(count_of(svg, ">weight (mV)<") == 2);
  CHECK(count_of(svg, ">weight (nS)<") == 2);
  CHECK(svg.find(">exc-exc<") != std::string::npos);
  CHECK(svg.find("30 synapses, 4 snapshots from 0.1 to 0.4 s") != std::string::npos);
  CHECK(svg.find(">showing 3 of 4 recorded projections<") != std::string::npos);
  CHECK(svg.find(">fourth<") == std::string::npos);
  // Legends: the first and last snapshot; mean and quantiles, or the single synapse.
  CHECK(svg.find(">t = 0.1 s<") != std::string::npos);
  CHECK(svg.find(">t = 0.4 s<") != std::string::npos);
  CHECK(svg.find(">t = 0.3 s<") != std::string::npos);
  CHECK(count_of(svg, ">mean<") == 2);  // exc-exc and third, not the single synapse
  CHECK(count_of(svg, ">10-90 %<") == 2);
  CHECK(svg.find(">synapse 0 -&gt; 3<") != std::string::npos);
  // Histograms and quantile bands are translucent polygons.
  CHECK(count_of(svg, "<polygon") >= 2 + 2 + 1 + 1);
  CHECK(count_of(svg, "<text") == count_of(svg, "</text>"));
}

TEST_CASE("show_weights false gives the raster figure alone, byte for byte") {
  const io::RasterPlotInput input = with_weights({{"exc-exc", "pA", 30, 4}});
  io::PlotOptions hidden;
  hidden.show_weights = false;
  for (const char* name : {"plain.png", "plain.svg"}) {
    CAPTURE(name);
    const std::string plain = plot(spikes(), name);
    CHECK(plot(input, name, hidden) == plain);
    CHECK(plot(input, name) != plain);
  }
}

TEST_CASE("the weight row height can be chosen, within limits") {
  const io::RasterPlotInput input = with_weights({{"exc-exc", "pA", 30, 4}});
  io::PlotOptions options;
  options.weight_row_height = 250;
  CHECK(decode(plot(input, "rows.png", options)).height == 800 + 250);
  options.weight_row_height = 20;
  CHECK_THROWS_AS(plot(input, "rows.png", options), spikeq::InvalidParameter);
  options.weight_row_height = 0;
  options.height = 15'900;
  CHECK_THROWS_AS(plot(input, "rows.png", options), spikeq::InvalidParameter);
}

TEST_CASE("weight panels without synapses or snapshots still have their axes") {
  const io::RasterPlotInput input =
      with_weights({{"empty", "pA", 0, 3}, {"unsampled", "nS", 12, 0}});
  const std::string svg = plot(input, "empty.svg");
  CHECK(count_of(svg, ">no synapses<") == 2);
  CHECK(count_of(svg, ">no snapshots<") == 2);
  CHECK(count_of(svg, ">time (s)<") == 2);
  const DecodedPng png = decode(plot(input, "empty.png"));
  CHECK(png.height == 800 + 2 * kRow);
}

TEST_CASE("a small figure with weights is drawn without failing") {
  const io::RasterPlotInput input =
      with_weights({{"a projection with a rather long name indeed", "pA", 30, 4}});
  io::PlotOptions options;
  options.width = 200;
  options.height = 200;
  for (const char* name : {"small.png", "small.svg"}) {
    CAPTURE(name);
    CHECK_NOTHROW(plot(input, name, options));
  }
  CHECK(decode(plot(input, "small.png", options)).height == 200 + 120);  // rows 120 at least
}
