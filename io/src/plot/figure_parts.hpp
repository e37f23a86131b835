#pragma once
// What the parts of a figure share: colours, sizes, panel boxes and axes. The raster and
// rate panels (figure.cpp) and the weight panels below them (weight_panels.cpp) use the
// same, so that the whole figure reads as one.
#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "canvas.hpp"
#include "ticks.hpp"
#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

// matplotlib's default colour cycle ("tab10"): distinct, and familiar to most readers.
inline constexpr std::array<Color, 10> kPalette = {{{0x1f, 0x77, 0xb4},
                                                    {0xff, 0x7f, 0x0e},
                                                    {0x2c, 0xa0, 0x2c},
                                                    {0xd6, 0x27, 0x28},
                                                    {0x94, 0x67, 0xbd},
                                                    {0x8c, 0x56, 0x4b},
                                                    {0xe3, 0x77, 0xc2},
                                                    {0x7f, 0x7f, 0x7f},
                                                    {0xbc, 0xbd, 0x22},
                                                    {0x17, 0xbe, 0xcf}}};
inline constexpr Color kInk{0x22, 0x22, 0x22};
inline constexpr Color kMuted{0x66, 0x66, 0x66};
inline constexpr Color kSeparator{0xa0, 0xa0, 0xa0};

// Sizes in pixels for a 1200 x 800 figure; everything scales with the figure.
struct Style {
  double f = 1.0;
  double tick_font = 14, label_font = 18, title_font = 20, small_font = 13;
  double pad = 14, tick_len = 5, tick_gap = 5, label_gap = 10, line = 1, rate_line = 2.0;

  explicit Style(int width, int height)
      : f(std::clamp(std::min(width / 1200.0, height / 800.0), 0.7, 4.0)) {
    for (double* v : {&tick_font, &label_font, &title_font, &small_font, &pad, &tick_len, &tick_gap,
                      &label_gap, &rate_line}) {
      *v *= f;
    }
    line = std::max(1.0, std::round(f));
  }
};

struct Rect {
  double left = 0, top = 0, right = 0, bottom = 0;
  [[nodiscard]] double width() const { return right - left; }
  [[nodiscard]] double height() const { return bottom - top; }
};

// A pixel centre, so that 1-pixel lines land on one row or column instead of two.
inline double crisp(double v) { return std::floor(v) + 0.5; }

inline std::string truncate_to(const Canvas& canvas, std::string s, double size, double max_width) {
  if (canvas.text_width(s, size) <= max_width) return s;
  while (!s.empty() && canvas.text_width(s + "...", size) > max_width) s.pop_back();
  return s + "...";
}

struct Axis {
  double lo = 0, hi = 1;
  std::vector<double> ticks;
  double step = 1;
};

inline Axis make_axis(double lo, double hi, int max_intervals) {
  Axis a{lo, hi, nice_ticks(lo, hi, max_intervals), nice_tick_step(hi - lo, max_intervals)};
  return a;
}

/// The y position of value v on a panel's axis.
inline double y_of(const Rect& panel, const Axis& axis, double v) {
  return panel.bottom - (v - axis.lo) / (axis.hi - axis.lo) * panel.height();
}

/// A panel's y ticks and its label, rotated along the panel at x = label_x: the first of
/// `labels` that fits (a small figure may need a shorter form). The top tick sits on the
/// frame's inner row, like the bottom one.
inline void draw_y_axis(Canvas& canvas, const Style& s, const Rect& panel, const Axis& axis,
                        double label_x, std::initializer_list<std::string_view> labels) {
  const double cap = canvas.cap_height(s.tick_font);
  for (const double v : axis.ticks) {
    const double y = crisp(std::clamp(y_of(panel, axis, v), panel.top, panel.bottom - 1));
    const double l = crisp(panel.left);
    canvas.line({l - s.tick_len, y}, {l, y}, s.line, kInk);
    canvas.text({panel.left - s.tick_len - s.tick_gap, y + cap / 2}, format_tick(v, axis.step),
                {.size = s.tick_font, .color = kInk, .anchor = Anchor::end});
  }
  for (const std::string_view label : labels) {
    if (canvas.text_width(std::string(label), s.label_font) > panel.height()) continue;
    canvas.text({label_x, (panel.top + panel.bottom) / 2}, std::string(label),
                {.size = s.label_font, .color = kInk, .anchor = Anchor::middle, .vertical = true});
    break;
  }
}

/// Where the raster and rate panels ended up, for the panels below to line up with.
struct PanelColumns {
  double left = 0, right = 0;  ///< the panels' frames
  double y_label_x = 0;        ///< baseline of the rotated y-axis labels
  Axis time;                   ///< the raster's time axis (ms), for panels that share it
};

}  // namespace spikeq::io::plot
