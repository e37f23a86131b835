#include "panel_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ticks.hpp"

namespace spikeq::io::plot {

void ensure_span(double& lo, double& hi) {
  if (lo > hi) {
    lo = 0.0;
    hi = 1.0;
  } else if (!(hi - lo > 1e-9 * std::max(std::abs(lo), std::abs(hi)))) {
    const double half = lo != 0.0 ? 0.05 * std::abs(lo) : 0.5;
    lo -= half;
    hi += half;
  }
}

int y_intervals(const Style& s, const Rect& panel) {
  const double tick_cap = 0.72 * s.tick_font;  // nominal, as in the raster figure
  return static_cast<int>(std::clamp(panel.height() / (3.5 * tick_cap), 1.0, 6.0));
}

double tick_label_width(const Canvas& canvas, const Style& s, const Axis& axis) {
  double width = 0.0;
  for (const double v : axis.ticks) {
    width = std::max(width, canvas.text_width(format_tick(v, axis.step), s.tick_font));
  }
  return width;
}

void draw_frame(Canvas& canvas, const Style& s, const Rect& r) {
  const double l = crisp(r.left), t = crisp(r.top), rr = crisp(r.right - 1),
               b = crisp(r.bottom - 1);
  canvas.line({l, t}, {rr, t}, s.line, kInk);
  canvas.line({l, b}, {rr, b}, s.line, kInk);
  canvas.line({l, t}, {l, b}, s.line, kInk);
  canvas.line({rr, t}, {rr, b}, s.line, kInk);
}

void no_data(Canvas& canvas, const Style& s, const Rect& panel, const char* what) {
  for (const double size : {s.label_font, s.small_font}) {
    if (canvas.text_width(what, size) > panel.width() - s.pad) continue;
    canvas.text({(panel.left + panel.right) / 2, (panel.top + panel.bottom) / 2}, what,
                {.size = size, .color = kMuted, .anchor = Anchor::middle});
    return;
  }
}

void draw_x_axis(Canvas& canvas, const Style& s, const Rect& panel, const Axis& axis,
                 const std::string& label) {
  const double cap = canvas.cap_height(s.tick_font);
  const double b = crisp(panel.bottom - 1);
  for (const double v : axis.ticks) {
    const double x = crisp(std::clamp(x_of(panel, axis, v), panel.left, panel.right - 1));
    canvas.line({x, b}, {x, b + s.tick_len}, s.line, kInk);
    canvas.text({x, panel.bottom + s.tick_len + s.tick_gap + cap}, format_tick(v, axis.step),
                {.size = s.tick_font, .color = kInk, .anchor = Anchor::middle});
  }
  const double baseline =
      panel.bottom + s.tick_len + s.tick_gap + cap + s.label_gap + canvas.cap_height(s.label_font);
  canvas.text({(panel.left + panel.right) / 2, baseline},
              truncate_to(canvas, label, s.label_font, panel.width()),
              {.size = s.label_font, .color = kInk, .anchor = Anchor::middle});
}

void draw_curve(Canvas& canvas, const Rect& panel, const Axis& x_axis, const Axis& y_axis,
                const std::vector<double>& xs, const std::vector<double>& values, Color color,
                double line) {
  std::vector<Point> run;
  const auto flush = [&] {
    if (run.size() == 1) {
      canvas.begin_dots(2 * line, color, 1.0,
                        {panel.left, panel.top, panel.width(), panel.height()});
      canvas.add_dots(run);
      canvas.end_dots();
    } else if (run.size() > 1) {
      canvas.polyline(run, line, color);
    }
    run.clear();
  };
  for (std::size_t k = 0; k < values.size() && k < xs.size(); ++k) {
    if (!std::isfinite(values[k]) || !std::isfinite(xs[k])) {
      flush();
      continue;
    }
    run.push_back({x_of(panel, x_axis, xs[k]), y_of(panel, y_axis, values[k])});
  }
  flush();
}

void draw_band(Canvas& canvas, const Rect& panel, const Axis& x_axis, const Axis& y_axis,
               const std::vector<double>& xs, const std::vector<double>& lo,
               const std::vector<double>& hi, Color color, double opacity, double bar) {
  const std::size_t n = std::min({lo.size(), hi.size(), xs.size()});
  std::size_t k = 0;
  while (k < n) {
    const auto ok = [&](std::size_t i) {
      return std::isfinite(lo[i]) && std::isfinite(hi[i]) && std::isfinite(xs[i]);
    };
    if (!ok(k)) {
      ++k;
      continue;
    }
    std::size_t end = k;
    while (end < n && ok(end)) ++end;
    std::vector<Point> outline;
    for (std::size_t i = k; i < end; ++i) {
      outline.push_back({x_of(panel, x_axis, xs[i]), y_of(panel, y_axis, hi[i])});
    }
    for (std::size_t i = end; i-- > k;) {
      outline.push_back({x_of(panel, x_axis, xs[i]), y_of(panel, y_axis, lo[i])});
    }
    if (end - k == 1) {
      const auto tint = [&](std::uint8_t c) {
        return static_cast<std::uint8_t>(std::lround(255 + (c - 255) * opacity));
      };
      canvas.line(outline[0], outline[1], bar, {tint(color.r), tint(color.g), tint(color.b)});
    } else {
      canvas.fill_polygon(outline, color, opacity);
    }
    k = end;
  }
}

void draw_legend(Canvas& canvas, const Style& s, const Rect& panel, double baseline,
                 const std::vector<LegendEntry>& entries) {
  const double cap = canvas.cap_height(s.tick_font);
  const double swatch_fill = cap;
  const double swatch_line = 22 * s.f;
  const auto width_of = [&](const LegendEntry& e) {
    return (e.kind == LegendEntry::Kind::fill ? swatch_fill : swatch_line) + 0.5 * s.label_gap +
           canvas.text_width(e.label, s.tick_font);
  };
  const double gap = 1.5 * s.label_gap;
  std::size_t fit = 0;
  double total = 0.0;
  for (const LegendEntry& e : entries) {
    const double w = width_of(e) + (fit > 0 ? gap : 0.0);
    if (total + w > panel.width()) break;
    total += w;
    ++fit;
  }
  double x = panel.right - total;
  const double y = baseline;
  for (std::size_t i = 0; i < fit; ++i) {
    const LegendEntry& e = entries[i];
    if (e.kind == LegendEntry::Kind::fill) {
      const Point square[] = {
          {x, y - cap}, {x + swatch_fill, y - cap}, {x + swatch_fill, y}, {x, y}};
      canvas.fill_polygon(square, e.color, e.opacity);
      const Point outline[] = {square[0], square[1], square[2], square[3], square[0]};
      canvas.polyline(outline, e.line, e.color);
      x += swatch_fill;
    } else {
      const double mid = crisp(y - cap / 2);
      const Point line[] = {{x, mid}, {x + swatch_line, mid}};
      canvas.polyline(line, e.line, e.color);
      x += swatch_line;
    }
    x += 0.5 * s.label_gap;
    canvas.text({x, y}, e.label, {.size = s.tick_font, .color = kInk});
    x += canvas.text_width(e.label, s.tick_font) + gap;
  }
}

}  // namespace spikeq::io::plot
