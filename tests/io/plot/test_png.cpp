#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plot_test_support.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/plot.hpp"

namespace {

using plot_test::TempFile;

std::uint32_t be32(const std::string& s, std::size_t at) {
  const auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

struct DecodedPng {
  std::uint32_t width = 0, height = 0;
  std::vector<unsigned char> scanlines;  ///< filter byte + RGB per row

  [[nodiscard]] bool white(std::uint32_t x, std::uint32_t y) const {
    const unsigned char* p = &scanlines[y * (1 + 3 * width) + 1 + 3 * x];
    return p[0] == 255 && p[1] == 255 && p[2] == 255;
  }
};

// Checks the structure of the file (signature, chunk CRCs, IHDR) and inflates the image.
DecodedPng decode(const std::string& png) {
  DecodedPng out;
  REQUIRE(png.size() > 8);
  REQUIRE(png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
  std::string idat;
  bool ended = false;
  for (std::size_t at = 8; at < png.size() && !ended;) {
    REQUIRE(at + 12 <= png.size());
    const std::uint32_t length = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    REQUIRE(at + 12 + length <= png.size());
    const auto* typed = reinterpret_cast<const Bytef*>(png.data() + at + 4);
    CHECK(crc32(crc32(0L, Z_NULL, 0), typed, length + 4) == be32(png, at + 8 + length));
    if (type == "IHDR") {
      REQUIRE(length == 13);
      out.width = be32(png, at + 8);
      out.height = be32(png, at + 12);
      CHECK(png[at + 16] == 8);  // bit depth
      CHECK(png[at + 17] == 2);  // RGB
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  CHECK(ended);
  const uLongf expected = out.height * (1 + 3 * static_cast<uLongf>(out.width));
  uLongf size = expected + 1;  // room for one byte too many, to notice it
  out.scanlines.resize(size);
  REQUIRE(uncompress(out.scanlines.data(), &size, reinterpret_cast<const Bytef*>(idat.data()),
                     static_cast<uLong>(idat.size())) == Z_OK);
  REQUIRE(size == expected);
  out.scanlines.resize(size);
  // The pixel checks below read rows directly, which holds for filter type 0 only.
  for (std::uint32_t y = 0; y < out.height; ++y)
    REQUIRE(out.scanlines[y * (1 + 3 * out.width)] == 0);
  return out;
}

double non_white_fraction(const DecodedPng& png, double x0, double x1, double y0, double y1) {
  std::size_t inked = 0, all = 0;
  for (auto y = static_cast<std::uint32_t>(y0 * png.height); y < y1 * png.height; ++y) {
    for (auto x = static_cast<std::uint32_t>(x0 * png.width); x < x1 * png.width; ++x) {
      inked += !png.white(x, y);
      ++all;
    }
  }
  return static_cast<double>(inked) / static_cast<double>(all);
}

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
