#include "raster_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bitmap_font.hpp"
#include "text_mask.hpp"

namespace spikeq::io::plot {
namespace {

int floor_int(double v) { return static_cast<int>(std::floor(v)); }

struct Bounds {
  double xmin, ymin, xmax, ymax;
};

Bounds bounds(std::span<const Point> points) {
  Bounds b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
           std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (const Point& p : points) {
    b.xmin = std::min(b.xmin, p.x);
    b.xmax = std::max(b.xmax, p.x);
    b.ymin = std::min(b.ymin, p.y);
    b.ymax = std::max(b.ymax, p.y);
  }
  return b;
}

double distance_to_segment(double px, double py, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0.0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

// Coverage of a disc centred on the middle pixel of a (2 half + 1)^2 stamp, from 4x4
// samples per pixel. Dots are snapped to whole pixels: at raster densities sub-pixel
// placement is invisible, and a fixed stamp makes millions of dots cheap.
std::vector<float> disc_coverage(double radius, int half) {
  const int side = 2 * half + 1;
  std::vector<float> coverage(static_cast<std::size_t>(side) * side);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      int hits = 0;
      for (int j = 0; j < 4; ++j) {
        for (int i = 0; i < 4; ++i) {
          const double sx = x - half + (i + 0.5) / 4 - 0.5;
          const double sy = y - half + (j + 0.5) / 4 - 0.5;
          hits += sx * sx + sy * sy <= radius * radius;
        }
      }
      coverage[static_cast<std::size_t>(y) * side + x] = hits / 16.0f;
    }
  }
  coverage[static_cast<std::size_t>(half) * side + half] = 1.0f;  // never lose a dot
  return coverage;
}

}  // namespace

RasterCanvas::RasterCanvas(int width, int height, Color background)
    : image_(width, height, background) {}

void RasterCanvas::fill_rect(double x, double y, double w, double h, Color c) {
  const int x0 = std::max(0, static_cast<int>(std::lround(x)));
  const int y0 = std::max(0, static_cast<int>(std::lround(y)));
  const int x1 = std::min(image_.width(), static_cast<int>(std::lround(x + w)));
  const int y1 = std::min(image_.height(), static_cast<int>(std::lround(y + h)));
  for (int py = y0; py < y1; ++py) {
    for (int px = x0; px < x1; ++px) image_.set(px, py, c);
  }
}

void RasterCanvas::line(Point a, Point b, double width, Color c) {
  // Axis-parallel lines (frames, ticks, separators) stay crisp: fill their pixels.
  const double h = width / 2.0;
  if (a.y == b.y) {
    fill_rect(std::min(a.x, b.x) - h, a.y - h, std::abs(b.x - a.x) + width, width, c);
  } else if (a.x == b.x) {
    fill_rect(a.x - h, std::min(a.y, b.y) - h, width, std::abs(b.y - a.y) + width, c);
  } else {
    const Point both[] = {a, b};
    polyline(both, width, c);
  }
}

void RasterCanvas::polyline(std::span<const Point> points, double width, Color c) {
  if (points.empty()) return;
  // Coverage is gathered over the bounding box first, taking the maximum where segments
  // overlap, so joints are not painted twice (which would darken them).
  const double reach = width / 2.0 + 1.0;
  const auto [xmin, ymin, xmax, ymax] = bounds(points);
  const int bx0 = std::max(0, floor_int(xmin - reach));
  const int by0 = std::max(0, floor_int(ymin - reach));
  const int bx1 = std::min(image_.width(), floor_int(xmax + reach) + 1);
  const int by1 = std::min(image_.height(), floor_int(ymax + reach) + 1);
  if (bx0 >= bx1 || by0 >= by1) return;
  const int bw = bx1 - bx0;
  std::vector<float> coverage(static_cast<std::size_t>(bw) * (by1 - by0), 0.0f);

  const auto segment = [&](Point a, Point b) {
    const int x0 = std::max(bx0, floor_int(std::min(a.x, b.x) - reach));
    const int x1 = std::min(bx1, floor_int(std::max(a.x, b.x) + reach) + 1);
    const int y0 = std::max(by0, floor_int(std::min(a.y, b.y) - reach));
    const int y1 = std::min(by1, floor_int(std::max(a.y, b.y) + reach) + 1);
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        const double d = distance_to_segment(x + 0.5, y + 0.5, a, b);
        const auto cov = static_cast<float>(std::clamp(width / 2.0 + 0.5 - d, 0.0, 1.0));
        float& slot = coverage[static_cast<std::size_t>(y - by0) * bw + (x - bx0)];
        slot = std::max(slot, cov);
      }
    }
  };
  if (points.size() == 1) segment(points[0], points[0]);
  for (std::size_t i = 1; i < points.size(); ++i) segment(points[i - 1], points[i]);

  for (int y = by0; y < by1; ++y) {
    for (int x = bx0; x < bx1; ++x) {
      const float cov = coverage[static_cast<std::size_t>(y - by0) * bw + (x - bx0)];
      if (cov > 0.0f) image_.blend(x, y, c, cov);
    }
  }
}

void RasterCanvas::fill_polygon(std::span<const Point> points, Color c, double opacity) {
  if (points.size() < 3 || !(opacity > 0.0)) return;
  const auto [xmin, ymin, xmax, ymax] = bounds(points);
  const int bx0 = std::max(0, floor_int(xmin));
  const int by0 = std::max(0, floor_int(ymin));
  const int bx1 = std::min(image_.width(), floor_int(xmax) + 1);
  const int by1 = std::min(image_.height(), floor_int(ymax) + 1);
  if (bx0 >= bx1 || by0 >= by1) return;
  // Per pixel row, 4 scanlines; along each, the covered length of every pixel exactly.
  constexpr int kScanlines = 4;
  std::vector<float> coverage(static_cast<std::size_t>(bx1 - bx0));
  std::vector<double> crossings;
  const float alpha = static_cast<float>(std::min(opacity, 1.0));
  for (int y = by0; y < by1; ++y) {
    std::fill(coverage.begin(), coverage.end(), 0.0f);
    for (int j = 0; j < kScanlines; ++j) {
      const double sy = y + (j + 0.5) / kScanlines;
      crossings.clear();
      for (std::size_t i = 0; i < points.size(); ++i) {
        const Point a = points[i];
        const Point b = points[(i + 1) % points.size()];
        if ((a.y <= sy) != (b.y <= sy)) {
          crossings.push_back(a.x + (sy - a.y) * (b.x - a.x) / (b.y - a.y));
        }
      }
      std::sort(crossings.begin(), crossings.end());
      for (std::size_t k = 0; k + 1 < crossings.size(); k += 2) {
        const double x0 =
            std::clamp(crossings[k], static_cast<double>(bx0), static_cast<double>(bx1));
        const double x1 =
            std::clamp(crossings[k + 1], static_cast<double>(bx0), static_cast<double>(bx1));
        for (int px = floor_int(x0); px < bx1 && px < x1; ++px) {
          const double covered = std::min(x1, px + 1.0) - std::max(x0, static_cast<double>(px));
          if (covered > 0.0) {
            coverage[static_cast<std::size_t>(px - bx0)] +=
                static_cast<float>(covered / kScanlines);
          }
        }
      }
    }
    for (int x = bx0; x < bx1; ++x) {
      const float cov = std::min(1.0f, coverage[static_cast<std::size_t>(x - bx0)]);
      if (cov > 0.0f) image_.blend(x, y, c, alpha * cov);
    }
  }
}

void RasterCanvas::begin_dots(double radius, Color c, double opacity, Box clip) {
  radius = std::max(radius, 0.5);
  DotLayer layer;
  layer.x0 = std::max(0, static_cast<int>(std::lround(clip.x)));
  layer.y0 = std::max(0, static_cast<int>(std::lround(clip.y)));
  layer.x1 = std::min(image_.width(), static_cast<int>(std::lround(clip.x + clip.w)));
  layer.y1 = std::min(image_.height(), static_cast<int>(std::lround(clip.y + clip.h)));
  layer.half = static_cast<int>(std::ceil(radius - 0.5));
  layer.color = c;
  layer.stamp = disc_coverage(radius, layer.half);
  const double alpha = std::clamp(opacity, 0.0, 1.0);
  for (float& v : layer.stamp) {
    // An opaque pixel lets 1/1000 through: indistinguishable from full colour in 8 bits.
    v = static_cast<float>(-std::log(std::max(1e-3, 1.0 - alpha * v)));
  }
  layer.depth.assign(static_cast<std::size_t>(image_.width()) * image_.height(), 0.0f);
  layer_ = std::move(layer);
}

void RasterCanvas::add_dots(std::span<const Point> centres) {
  if (!layer_) return;
  DotLayer& layer = *layer_;
  const int side = 2 * layer.half + 1;
  const int w = image_.width();
  for (const Point& p : centres) {
    const int cx = floor_int(p.x), cy = floor_int(p.y);
    for (int j = 0; j < side; ++j) {
      const int y = cy - layer.half + j;
      if (y < layer.y0 || y >= layer.y1) continue;
      for (int i = 0; i < side; ++i) {
        const int x = cx - layer.half + i;
        if (x < layer.x0 || x >= layer.x1) continue;
        layer.depth[static_cast<std::size_t>(y) * w + x] +=
            layer.stamp[static_cast<std::size_t>(j) * side + i];
      }
    }
  }
}

void RasterCanvas::end_dots() {
  if (!layer_) return;
  const int w = image_.width();
  for (int y = layer_->y0; y < layer_->y1; ++y) {
    for (int x = layer_->x0; x < layer_->x1; ++x) {
      const float d = layer_->depth[static_cast<std::size_t>(y) * w + x];
      if (d > 0.0f) image_.blend(x, y, layer_->color, 1.0f - std::exp(-d));
    }
  }
  layer_.reset();
}

void RasterCanvas::text(Point at, std::string_view s, const TextStyle& style) {
  const TextMask mask = render_text(s, font_scale(style.size), style.bold);
  double offset = 0.0;  // along the reading direction
  if (style.anchor == Anchor::middle) offset = -mask.width / 2.0;
  if (style.anchor == Anchor::end) offset = -mask.width;
  const int ox = static_cast<int>(std::lround(at.x));
  const int oy = static_cast<int>(std::lround(at.y));
  const int along = static_cast<int>(std::lround(offset));
  for (int y = 0; y < mask.height; ++y) {
    for (int x = 0; x < mask.width; ++x) {
      const float cov = mask.coverage[static_cast<std::size_t>(y) * mask.width + x];
      if (cov <= 0.0f) continue;
      // Vertical text is the horizontal mask turned a quarter counter-clockwise.
      const int px = style.vertical ? ox + (y - mask.baseline) : ox + along + x;
      const int py = style.vertical ? oy - along - x - 1 : oy + (y - mask.baseline);
      if (image_.contains(px, py)) image_.blend(px, py, style.color, cov);
    }
  }
}

double RasterCanvas::text_width(std::string_view s, double size) const {
  const double scale = font_scale(size);
  return text_columns(s) * scale;
}

double RasterCanvas::cap_height(double size) const { return font::kAscent * font_scale(size); }

std::uint64_t RasterCanvas::max_dots() const { return std::numeric_limits<std::uint64_t>::max(); }

}  // namespace spikeq::io::plot
