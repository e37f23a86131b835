#pragma once
// The PNG back end's canvas: draws anti-aliased into an RgbImage.
#include <optional>
#include <vector>

#include "canvas.hpp"
#include "rgb_image.hpp"

namespace spikeq::io::plot {

class RasterCanvas final : public Canvas {
 public:
  RasterCanvas(int width, int height, Color background);

  void fill_rect(double x, double y, double w, double h, Color c) override;
  void line(Point a, Point b, double width, Color c) override;
  void polyline(std::span<const Point> points, double width, Color c) override;
  void fill_polygon(std::span<const Point> points, Color c, double opacity) override;
  void begin_dots(double radius, Color c, double opacity, Box clip) override;
  void add_dots(std::span<const Point> centres) override;
  void end_dots() override;
  void text(Point at, std::string_view s, const TextStyle& style) override;

  [[nodiscard]] double text_width(std::string_view s, double size) const override;
  [[nodiscard]] double cap_height(double size) const override;
  [[nodiscard]] std::uint64_t max_dots() const override;

  [[nodiscard]] const RgbImage& image() const { return image_; }

 private:
  // Dots add optical depth (-ln of the light they let through) per pixel, so the layer
  // composites as if they had been painted one over another, in float precision: 8-bit
  // blending of faint dots would stall short of the full colour.
  struct DotLayer {
    int half = 0;              ///< the stamp reaches this many pixels from its centre
    std::vector<float> stamp;  ///< (2 half + 1)^2 depths of one dot
    Color color;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< pixels inside the clip box: [x0, x1) x [y0, y1)
    std::vector<float> depth;            ///< per image pixel
  };

  RgbImage image_;
  std::optional<DotLayer> layer_;
};

}  // namespace spikeq::io::plot
