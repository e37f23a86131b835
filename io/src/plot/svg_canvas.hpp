#pragma once
// The SVG back end's canvas: accumulates the document as text.
#include <string>

#include "canvas.hpp"

namespace spikeq::io::plot {

class SvgCanvas final : public Canvas {
 public:
  /// Spikes beyond this many make the file unwieldy (about 40 bytes each).
  static constexpr std::uint64_t kMaxDots = 200'000;

  SvgCanvas(int width, int height, Color background);

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
  [[nodiscard]] std::uint64_t max_dots() const override { return kMaxDots; }

  /// The complete document; the canvas is finished afterwards.
  [[nodiscard]] std::string finish() &&;

 private:
  void number(double v);
  void color(Color c);
  /// "x,y x,y ..." of a points attribute.
  void point_list(std::span<const Point> points);
  /// The colour of an open fill="..." attribute, closes it, and adds fill-opacity below 1.
  void fill(Color c, double opacity);

  std::string out_;
  double dot_radius_ = 1.0;
  int clip_paths_ = 0;  ///< for unique ids
};

}  // namespace spikeq::io::plot
