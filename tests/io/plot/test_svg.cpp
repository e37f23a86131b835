#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

#include "plot_test_support.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"

namespace {

using plot_test::count_of;
using plot_test::TempFile;

std::string write_svg(const spikeq::io::RasterPlotInput& input, const std::string& name,
                      const spikeq::io::PlotOptions& options = {}) {
  const TempFile file(name);
  spikeq::io::write_raster_plot(input, file.str(), options);
  return plot_test::read_file(file.str());
}

std::size_t spike_count(const spikeq::io::RasterPlotInput& input) {
  std::size_t n = 0;
  for (const auto& pop : input.populations) n += pop.times_ms.size();
  return n;
}

}  // namespace

TEST_CASE("an SVG raster plot is a complete document with title and labels") {
  const auto input = plot_test::regular_input(40, 10, 5.0, 200.0);
  const std::string svg = write_svg(input, "labels.svg");
  CHECK(svg.rfind("<svg", 0) == 0);
  const auto last = svg.find_last_not_of(" \n");
  REQUIRE(last != std::string::npos);
  CHECK(svg.substr(last + 1 - 6, 6) == "</svg>");
  CHECK(svg.find("Regular test network") != std::string::npos);
  CHECK(svg.find(">time (ms)<") != std::string::npos);
  CHECK(svg.find(">neuron<") != std::string::npos);
  CHECK(svg.find(">rate (Hz)<") != std::string::npos);
  CHECK(svg.find(">exc<") != std::string::npos);
  CHECK(svg.find(">inh<") != std::string::npos);
  // Round tick labels on the time axis.
  CHECK(svg.find(">100<") != std::string::npos);
  CHECK(count_of(svg, "<text") == count_of(svg, "</text>"));
}

TEST_CASE("an SVG raster plot has one circle per spike") {
  const auto input = plot_test::regular_input(40, 10, 5.0, 200.0);
  const std::string svg = write_svg(input, "circles.svg");
  CHECK(count_of(svg, "<circle") == spike_count(input));
  CHECK(svg.find("showing") == std::string::npos);
}

TEST_CASE("text in an SVG raster plot is escaped") {
  auto input = plot_test::regular_input(4, 4, 50.0, 100.0);
  input.title = "a < b & \"c\"";
  const std::string svg = write_svg(input, "escaped.svg");
  CHECK(svg.find("a &lt; b &amp; &quot;c&quot;") != std::string::npos);
}

TEST_CASE("max_neurons_per_population draws an evenly spaced subset") {
  const auto input = plot_test::regular_input(100, 10, 10.0, 100.0);
  spikeq::io::PlotOptions options;
  options.max_neurons_per_population = 10;
  const std::string svg = write_svg(input, "subset.svg", options);
  // exc: neurons 0, 10, ..., 90 of 100, ten spikes each; inh: all ten, ten spikes each.
  CHECK(count_of(svg, "<circle") == 10 * 10 + 10 * 10);
  CHECK(svg.find("showing 1 in 10 neurons of exc") != std::string::npos);
}

TEST_CASE("a large SVG raster is thinned by neurons and says so") {
  // 2000 neurons at about 100 Hz for 1.5 s: 300 k spikes, over the SVG cap of 200 k.
  spikeq::io::RasterPlotInput input;
  input.title = "Busy network";
  input.t_stop_ms = 1500.0;
  auto& pop = input.populations.emplace_back();
  pop.name = "all";
  pop.size = 2000;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> when(0.0, 1500.0);
  for (int i = 0; i < 300'000; ++i) {
    pop.times_ms.push_back(when(rng));
    pop.node_ids.push_back(static_cast<std::uint64_t>(i % 2000));
  }
  const std::string svg = write_svg(input, "thinned.svg");
  const std::size_t circles = count_of(svg, "<circle");
  CHECK(circles <= 200'000);
  CHECK(circles >= 100'000);
  CHECK(svg.find("showing 1 in 2 neurons") != std::string::npos);
  CHECK(svg.size() < 50'000'000);
}

TEST_CASE("an SVG raster plot without spikes still has its axes") {
  spikeq::io::RasterPlotInput input;
  input.populations.push_back({.name = "silent", .size = 100});
  input.t_stop_ms = 500.0;
  const std::string svg = write_svg(input, "empty.svg");
  CHECK(count_of(svg, "<circle") == 0);
  CHECK(svg.find(">no spikes<") != std::string::npos);
  CHECK(svg.find(">time (ms)<") != std::string::npos);
  CHECK(svg.find(">500<") != std::string::npos);
}

TEST_CASE("spike times and node ids must pair up") {
  spikeq::io::RasterPlotInput input;
  input.populations.push_back(
      {.name = "broken", .size = 2, .times_ms = {1.0, 2.0}, .node_ids = {0}});
  const TempFile file("broken.svg");
  CHECK_THROWS_WITH(spikeq::io::write_raster_plot(input, file.str()), doctest::Contains("broken"));
}

TEST_CASE("spikes outside the time range or not finite are left out") {
  spikeq::io::RasterPlotInput input;
  input.t_start_ms = 100.0;
  input.t_stop_ms = 200.0;
  // No size given: it follows from the largest node id.
  input.populations.push_back({.name = "odd",
                               .times_ms = {50.0, 100.0, 150.0, 200.0, 250.0, std::nan("")},
                               .node_ids = {0, 1, 2, 9, 4, 5}});
  const std::string svg = write_svg(input, "odd.svg");
  CHECK(count_of(svg, "<circle") == 3);
  CHECK(svg.find(">10<") != std::string::npos);  // the neuron axis ends at 10 neurons
  CHECK(svg.find(">200<") != std::string::npos);
}
