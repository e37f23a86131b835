#pragma once
// The drawing surface the figure layout talks to, in pixels with y pointing down. The
// SVG and PNG back ends both implement it, so the two formats show the same figure.
#include <cstdint>
#include <span>
#include <string_view>

namespace spikeq::io::plot {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

struct Point {
  double x = 0.0, y = 0.0;
};

/// An axis-aligned box: left, top, width, height.
struct Box {
  double x = 0.0, y = 0.0, w = 0.0, h = 0.0;
};

enum class Anchor { start, middle, end };

struct TextStyle {
  double size = 14.0;  ///< em size in pixels, as CSS font-size
  Color color{};
  Anchor anchor = Anchor::start;  ///< along the reading direction
  bool bold = false;
  bool vertical = false;  ///< reads bottom to top (a y-axis label)
};

class Canvas {
 public:
  virtual ~Canvas() = default;

  virtual void fill_rect(double x, double y, double w, double h, Color c) = 0;
  /// Square caps, so that axis lines meet at the corners.
  virtual void line(Point a, Point b, double width, Color c) = 0;
  virtual void polyline(std::span<const Point> points, double width, Color c) = 0;
  /// The inside of the closed outline (even-odd rule), painted with the given opacity over
  /// what is below.
  virtual void fill_polygon(std::span<const Point> points, Color c, double opacity) = 0;
  /// The spikes of one population: equal filled circles of one colour, added in batches
  /// between begin_dots and end_dots so that millions cost no per-dot overhead. Within a
  /// layer, dots of the given opacity build up as overlapping translucent ink would, which
  /// keeps dense rasters from saturating into solid blocks. Dots are clipped to `clip`.
  virtual void begin_dots(double radius, Color c, double opacity, Box clip) = 0;
  virtual void add_dots(std::span<const Point> centres) = 0;
  virtual void end_dots() = 0;
  /// `at` lies on the baseline; for vertical text the baseline runs upward through it and
  /// the glyphs lie to its left.
  virtual void text(Point at, std::string_view s, const TextStyle& style) = 0;

  [[nodiscard]] virtual double text_width(std::string_view s, double size) const = 0;
  /// Height of capitals and digits above the baseline, for centring labels on ticks.
  [[nodiscard]] virtual double cap_height(double size) const = 0;
  /// How many dots the format holds sensibly; the layout thins the raster beyond it.
  [[nodiscard]] virtual std::uint64_t max_dots() const = 0;
};

}  // namespace spikeq::io::plot
