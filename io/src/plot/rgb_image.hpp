#pragma once
// An 8-bit RGB raster, rows top to bottom, that the PNG back end draws into.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "canvas.hpp"

namespace spikeq::io::plot {

class RgbImage {
 public:
  RgbImage(int width, int height, Color fill)
      : width_(width), height_(height), pixels_(static_cast<std::size_t>(width) * height * 3) {
    for (std::size_t i = 0; i < pixels_.size(); i += 3) {
      pixels_[i] = fill.r;
      pixels_[i + 1] = fill.g;
      pixels_[i + 2] = fill.b;
    }
  }

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] bool contains(int x, int y) const {
    return x >= 0 && y >= 0 && x < width_ && y < height_;
  }
  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return pixels_; }

  [[nodiscard]] Color get(int x, int y) const {
    const std::uint8_t* p = &pixels_[index(x, y)];
    return {p[0], p[1], p[2]};
  }
  /// Unchecked: the caller clips.
  void set(int x, int y, Color c) {
    std::uint8_t* p = &pixels_[index(x, y)];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }
  /// Paints `c` over the pixel with the given coverage (0 to 1); unchecked.
  void blend(int x, int y, Color c, float coverage) {
    std::uint8_t* p = &pixels_[index(x, y)];
    const auto mix = [coverage](std::uint8_t dst, std::uint8_t src) {
      return static_cast<std::uint8_t>(dst + (src - dst) * coverage + 0.5f);
    };
    p[0] = mix(p[0], c.r);
    p[1] = mix(p[1], c.g);
    p[2] = mix(p[2], c.b);
  }

 private:
  [[nodiscard]] std::size_t index(int x, int y) const {
    return (static_cast<std::size_t>(y) * width_ + x) * 3;
  }

  int width_, height_;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace spikeq::io::plot
