#pragma once
// Decoding the PNGs the plot writes, for the plot tests: only what the writer produces (8-bit
// RGB, filter type 0), with every chunk's CRC and the image size checked.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace plot_test {

inline std::uint32_t be32(const std::string& s, std::size_t at) {
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
inline DecodedPng decode(const std::string& png) {
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

inline double non_white_fraction(const DecodedPng& png, double x0, double x1, double y0,
                                 double y1) {
  std::size_t inked = 0, all = 0;
  for (auto y = static_cast<std::uint32_t>(y0 * png.height); y < y1 * png.height; ++y) {
    for (auto x = static_cast<std::uint32_t>(x0 * png.width); x < x1 * png.width; ++x) {
      inked += !png.white(x, y);
      ++all;
    }
  }
  return static_cast<double>(inked) / static_cast<double>(all);
}

}  // namespace plot_test
