#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plot_test_support.hpp"
#include "png_test_support.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"

namespace {

using plot_test::decode;
using plot_test::DecodedPng;
using plot_test::non_white_fraction;
using plot_test::TempFile;

}  // namespace

TEST_CASE("a PNG raster plot is a valid PNG of the requested size") {
  const TempFile file("valid.png");
  spikeq::io::PlotOptions options;
  options.width = 900;
  options.height = 600;
  spikeq::io::write_raster_plot(plot_test::regular_input(40, 10, 2.0, 200.0), file.str(), options);
  const DecodedPng png = decode(plot_test::read_file(file.str()));
  CHECK(png.width == 900);
  CHECK(png.height == 600);
  // White background in the corners, dense spikes in the middle of the raster panel.
  CHECK(png.white(1, 1));
  CHECK(png.white(png.width - 2, png.height - 2));
  CHECK(non_white_fraction(png, 0.3, 0.7, 0.25, 0.45) > 0.3);
}

TEST_CASE("spikes are drawn in the population colours") {
  const TempFile file("colours.png");
  spikeq::io::write_raster_plot(plot_test::regular_input(40, 10, 2.0, 200.0), file.str());
  const DecodedPng png = decode(plot_test::read_file(file.str()));
  std::size_t blue = 0, orange = 0;  // the first two colours of the palette
  for (std::uint32_t y = 0; y < png.height; ++y) {
    for (std::uint32_t x = 0; x < png.width; ++x) {
      const unsigned char* p = &png.scanlines[y * (1 + 3 * png.width) + 1 + 3 * x];
      blue += p[0] == 0x1f && p[1] == 0x77 && p[2] == 0xb4;
      orange += p[0] == 0xff && p[1] == 0x7f && p[2] == 0x0e;
    }
  }
  CHECK(blue > 1000);
  CHECK(orange > 200);
}

TEST_CASE("a PNG raster plot without spikes still has its axes") {
  const TempFile file("empty.png");
  spikeq::io::RasterPlotInput input;
  input.title = "nothing happened";
  spikeq::io::write_raster_plot(input, file.str());
  const DecodedPng png = decode(plot_test::read_file(file.str()));
  CHECK(png.width == 1200);
  CHECK(png.height == 800);
  CHECK(png.white(png.width / 2, png.height / 4));  // inside the raster panel
  // The axes frames and labels ink a little of the image, and only a little.
  const double inked = non_white_fraction(png, 0.0, 1.0, 0.0, 1.0);
  CHECK(inked > 0.002);
  CHECK(inked < 0.05);
}

TEST_CASE("the plot format must be png or svg") {
  const spikeq::io::RasterPlotInput input;
  CHECK_THROWS_WITH_AS(spikeq::io::write_raster_plot(input, "/tmp/raster.jpg"),
                       doctest::Contains("/tmp/raster.jpg"), spikeq::io::FileError);
  CHECK_THROWS_AS(spikeq::io::write_raster_plot(input, "/tmp/raster"), spikeq::io::FileError);
  CHECK_THROWS_AS(spikeq::io::write_raster_plot(input, "/tmp/raster.png.d/plot"),
                  spikeq::io::FileError);
}

TEST_CASE("an unwritable plot path throws FileError naming it") {
  const spikeq::io::RasterPlotInput input;
  const std::string png = "/nonexistent-spikeq-dir/raster.png";
  const std::string svg = "/nonexistent-spikeq-dir/raster.svg";
  CHECK_THROWS_WITH_AS(spikeq::io::write_raster_plot(input, png), doctest::Contains(png.c_str()),
                       spikeq::io::FileError);
  CHECK_THROWS_WITH_AS(spikeq::io::write_raster_plot(input, svg), doctest::Contains(svg.c_str()),
                       spikeq::io::FileError);
}

TEST_CASE("the extension is matched without regard to case") {
  const TempFile file("upper.PNG");
  spikeq::io::write_raster_plot({}, file.str());
  CHECK(plot_test::read_file(file.str()).compare(1, 3, "PNG") == 0);
}
