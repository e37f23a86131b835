// The heat map of a continual-learning result: read from the file `spikeq run` writes for
// a continual: model, drawn in PNG and SVG, and malformed files rejected.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plot_test_support.hpp"
#include "png_test_support.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/continual.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"
#include "spikeq/io/sonata.hpp"

namespace {

namespace io = spikeq::io;
using plot_test::count_of;
using plot_test::decode;
using plot_test::DecodedPng;
using plot_test::TempFile;

// Every cell differs, so every cell gets its own colour. ACC = mean of the last row =
// 76.7 %; BWT = ((60 - 90) + (75 - 85)) / 2 = -20 points.
const std::vector<std::vector<double>> kAccuracy = {
    {0.90, 0.10, 0.05}, {0.70, 0.85, 0.12}, {0.60, 0.75, 0.95}};

void write_result(const std::string& path, const std::vector<std::vector<double>>& accuracy,
                  io::TaskSchedule::Kind schedule, bool hlop, bool multitask = false) {
  io::ContinualResult result;
  result.accuracy = accuracy;
  result.acc = io::average_accuracy(accuracy);
  result.bwt = accuracy.size() > 1 ? io::backward_transfer(accuracy) : 0.0;
  io::ContinualSpec spec;
  spec.tasks.kind = schedule;
  spec.tasks.count = accuracy.front().size();
  spec.hlop = hlop;
  spec.multitask = multitask;
  io::RunMetadata meta;
  meta.seed = 1;
  meta.spikeq_version = "test";
  meta.dt = 1.0;
  io::write_continual_file(path, result, spec, "digits", meta, 1000.0);
}

using Rgb = std::array<unsigned char, 3>;

Rgb pixel(const DecodedPng& png, std::uint32_t x, std::uint32_t y) {
  const unsigned char* p = &png.scanlines[y * (1 + 3 * png.width) + 1 + 3 * x];
  return {p[0], p[1], p[2]};
}

/// Rough lightness (0 to 255), enough to order the colour map's colours.
double lightness(const Rgb& c) { return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; }
/// HSV saturation: 0 grey, 1 pure colour.
double saturation(const Rgb& c) {
  const double hi = *std::max_element(c.begin(), c.end());
  const double lo = *std::min_element(c.begin(), c.end());
  return hi > 0 ? (hi - lo) / hi : 0.0;
}

/// A colour filling a large block of the image: where its pixels lie (their median).
struct Block {
  Rgb color{};
  std::size_t pixels = 0;
  std::uint32_t x = 0, y = 0;
};

/// The non-grey colours of at least `min_pixels` pixels: the heat map's cells (text,
/// axes and background are grey or anti-aliased, the colour bar's slices thin).
std::vector<Block> colour_blocks(const DecodedPng& png, std::size_t min_pixels) {
  std::map<Rgb, std::vector<std::pair<std::uint32_t, std::uint32_t>>> where;
  for (std::uint32_t y = 0; y < png.height; ++y) {
    for (std::uint32_t x = 0; x < png.width; ++x) {
      const Rgb c = pixel(png, x, y);
      if (c[0] == c[1] && c[1] == c[2]) continue;
      where[c].emplace_back(x, y);
    }
  }
  std::vector<Block> blocks;
  for (auto& [color, points] : where) {
    if (points.size() < min_pixels) continue;
    std::vector<std::uint32_t> xs, ys;
    for (const auto& [x, y] : points) {
      xs.push_back(x);
      ys.push_back(y);
    }
    std::nth_element(xs.begin(), xs.begin() + xs.size() / 2, xs.end());
    std::nth_element(ys.begin(), ys.begin() + ys.size() / 2, ys.end());
    blocks.push_back({color, points.size(), xs[xs.size() / 2], ys[ys.size() / 2]});
  }
  return blocks;
}

/// The most common colour within `r` pixels of (x, y).
Rgb common_colour(const DecodedPng& png, std::uint32_t x, std::uint32_t y, std::uint32_t r) {
  std::map<Rgb, int> counts;
  for (std::uint32_t v = y - r; v <= y + r; ++v) {
    for (std::uint32_t u = x - r; u <= x + r; ++u) ++counts[pixel(png, u, v)];
  }
  return std::max_element(counts.begin(), counts.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
      ->first;
}

}  // namespace

TEST_CASE("a continual result is plotted as a heat map of its accuracy matrix in PNG") {
  const TempFile h5("continual_heat.h5");
  const TempFile out("continual_heat.png");
  write_result(h5.str(), kAccuracy, io::TaskSchedule::Kind::permuted, true);
  const std::optional<io::ContinualPlotInput> input = io::read_continual_plot_input(h5.str());
  REQUIRE(input.has_value());
  CHECK(input->accuracy == kAccuracy);
  io::PlotOptions options;
  options.width = 900;
  options.height = 600;
  io::write_continual_plot(*input, out.str(), options);

  const DecodedPng png = decode(plot_test::read_file(out.str()));
  CHECK(png.width == 900);
  CHECK(png.height == 600);
  CHECK(png.white(1, 1));
  CHECK(png.white(png.width - 2, png.height - 2));

  // Nine cells with distinct accuracies: nine large blocks of distinct colours, on a
  // 3 x 3 grid.
  std::vector<Block> blocks = colour_blocks(png, 2000);
  REQUIRE(blocks.size() == 9);
  std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.y < b.y; });
  for (std::size_t i = 0; i < 3; ++i) {
    std::sort(blocks.begin() + 3 * i, blocks.begin() + 3 * i + 3,
              [](const Block& a, const Block& b) { return a.x < b.x; });
  }
  const auto cell = [&](std::size_t i, std::size_t j) -> const Block& { return blocks[3 * i + j]; };
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      // Rows and columns line up.
      CHECK(std::abs(static_cast<int>(cell(i, j).y) - static_cast<int>(cell(i, 0).y)) <= 3);
      CHECK(std::abs(static_cast<int>(cell(i, j).x) - static_cast<int>(cell(0, j).x)) <= 3);
      // The cell's centre shows its colour (the value printed there is small beside it).
      CHECK(common_colour(png, cell(i, j).x, cell(i, j).y, 30) == cell(i, j).color);
    }
  }
  // Trained cells (on and below the diagonal) follow the colour map: lighter for higher
  // accuracy. Row i is "after training task i", column j "task j".
  std::vector<std::pair<double, double>> trained;  // accuracy, lightness
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      trained.emplace_back(kAccuracy[i][j], lightness(cell(i, j).color));
    }
  }
  std::sort(trained.begin(), trained.end());
  for (std::size_t k = 1; k < trained.size(); ++k) CHECK(trained[k].second > trained[k - 1].second);
  // Untrained cells (above the diagonal) are washed out: less saturated than any trained
  // cell, and lighter than the darkest although their accuracies are lower (the map alone
  // would make them darker).
  const std::array<std::pair<std::size_t, std::size_t>, 3> untrained = {{{0, 1}, {0, 2}, {1, 2}}};
  for (const auto& [i, j] : untrained) {
    CAPTURE(i);
    CAPTURE(j);
    CHECK(lightness(cell(i, j).color) > trained.front().second);
    for (std::size_t a = 0; a < 3; ++a) {
      for (std::size_t b = 0; b <= a; ++b) {
        CHECK(saturation(cell(i, j).color) < saturation(cell(a, b).color));
      }
    }
  }
}

TEST_CASE("the SVG heat map prints every cell's value, and ACC and BWT in its title") {
  const TempFile h5("continual_values.h5");
  const TempFile out("continual_values.svg");
  write_result(h5.str(), kAccuracy, io::TaskSchedule::Kind::permuted, true);
  io::write_continual_plot(io::read_continual_plot_input(h5.str()).value(), out.str());
  const std::string svg = plot_test::read_file(out.str());
  REQUIRE(svg.rfind("</svg>") != std::string::npos);
  for (const char* value : {"90", "10", "5", "70", "85", "12", "60", "75", "95"}) {
    CAPTURE(value);
    CHECK(count_of(svg, std::string(">") + value + "</text>") == 1);
  }
  CHECK(count_of(svg,
                 "continual_values.h5: digits, 3 permuted tasks, HLOP - ACC 76.7 %, "
                 "BWT -20.0</text>") == 1);
  CHECK(count_of(svg, ">tested on task<") == 1);
  CHECK(count_of(svg, ">after training task<") == 1);
  // The colour bar's scale.
  CHECK(count_of(svg, ">accuracy (%)<") == 1);
  CHECK(count_of(svg, ">100<") == 1);
  CHECK(count_of(svg, ">50<") == 1);
  CHECK(count_of(svg, ">0<") == 1);
  // Trained cells in bold, the three untrained ones not.
  CHECK(count_of(svg, "font-weight=\"bold\">") == 1 + 6);  // the title and six cells
}

TEST_CASE("the title of a continual plot says what the file says") {
  const TempFile split("continual_split.h5");
  write_result(split.str(), kAccuracy, io::TaskSchedule::Kind::split, false);
  CHECK(io::read_continual_plot_input(split.str()).value().title ==
        "spikeq_test_plot_" + std::to_string(::getpid()) +
            "_continual_split.h5: digits, 3 split tasks, without HLOP - ACC 76.7 %, BWT -20.0");

  // Trained together: one row, no BWT, the row labelled "all".
  const TempFile together("continual_together.h5");
  const TempFile out("continual_together.svg");
  write_result(together.str(), {{0.8, 0.9, 0.7}}, io::TaskSchedule::Kind::permuted, true, true);
  const io::ContinualPlotInput input = io::read_continual_plot_input(together.str()).value();
  CHECK(input.title.find("3 permuted tasks trained together, HLOP - ACC 80.0 %") !=
        std::string::npos);
  CHECK(input.title.find("BWT") == std::string::npos);
  io::write_continual_plot(input, out.str());
  const std::string svg = plot_test::read_file(out.str());
  CHECK(count_of(svg, ">all</text>") == 1);
  CHECK(count_of(svg, "pale cells") == 0);  // nothing above a diagonal
  for (const char* value : {">80<", ">90<", ">70<"}) CHECK(count_of(svg, value) == 1);
}

TEST_CASE("a spike file has no continual result to plot") {
  const TempFile h5("continual_none.h5");
  {
    io::SpikeFileWriter writer(h5.str(), io::RunMetadata{}, {{"exc", 2}});
    writer.append(0, {1.0, 2.0}, {0, 1});
    writer.close();
  }
  CHECK_FALSE(io::read_continual_plot_input(h5.str()).has_value());
  CHECK_THROWS_AS((void)io::read_continual_plot_input("/nonexistent-spikeq-dir/none.h5"),
                  io::FileError);
}

TEST_CASE("a continual file whose accuracy matrix is not square is rejected naming it") {
  const TempFile h5("continual_2x3.h5");
  {
    const hid_t file = H5Fcreate(h5.str().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t group = H5Gcreate2(file, "continual", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims[2] = {2, 3};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t set =
        H5Dcreate2(group, "accuracy", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const double values[6] = {0.9, 0.1, 0.1, 0.8, 0.9, 0.1};
    REQUIRE(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Dclose(set);
    H5Sclose(space);
    H5Gclose(group);
    H5Fclose(file);
  }
  std::string message;
  try {
    (void)io::read_continual_plot_input(h5.str());
  } catch (const io::FileError& e) {
    message = e.what();
  }
  CAPTURE(message);
  CHECK(message.find(h5.str()) != std::string::npos);
  CHECK(message.find("/continual/accuracy") != std::string::npos);
}

TEST_CASE("a continual plot's rows must have one length") {
  io::ContinualPlotInput input;
  input.accuracy = {{0.5, 0.5}, {0.5}};
  CHECK_THROWS_AS(io::write_continual_plot(input, "/tmp/spikeq_unused_continual.svg"),
                  spikeq::InvalidParameter);
  // An empty result still draws its title.
  const TempFile out("continual_empty.svg");
  input.accuracy.clear();
  input.title = "nothing trained";
  io::write_continual_plot(input, out.str());
  const std::string svg = plot_test::read_file(out.str());
  CHECK(count_of(svg, ">nothing trained<") == 1);
  CHECK(count_of(svg, ">no tasks<") == 1);
}
