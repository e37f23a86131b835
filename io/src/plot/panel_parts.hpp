#pragma once
// Drawing helpers of the panels below the raster figure: values over time as lines and
// bands, frames, x axes and one-line legends. The weight panels (weight_panels.cpp) and
// the state-report panels (report_panels.cpp) share them, so that both read alike.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "canvas.hpp"
#include "figure_parts.hpp"

namespace spikeq::io::plot {

/// The x position of value v on a panel's axis.
inline double x_of(const Rect& panel, const Axis& axis, double v) {
  return panel.left + (v - axis.lo) / (axis.hi - axis.lo) * panel.width();
}

/// Widens [lo, hi] to take in the finite values.
template <typename Values>
void widen(double& lo, double& hi, const Values& values) {
  for (const auto v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min<double>(lo, v);
    hi = std::max<double>(hi, v);
  }
}

/// An empty range (lo > hi) becomes 0 to 1, a single value a small range around it.
void ensure_span(double& lo, double& hi);

/// How many y-axis intervals fit a panel's height (1 to 6).
[[nodiscard]] int y_intervals(const Style& s, const Rect& panel);

/// The width of the widest tick label of `axis`.
[[nodiscard]] double tick_label_width(const Canvas& canvas, const Style& s, const Axis& axis);

void draw_frame(Canvas& canvas, const Style& s, const Rect& r);

/// `what` centred in the panel, in the largest size that fits.
void no_data(Canvas& canvas, const Style& s, const Rect& panel, const char* what);

/// Ticks below the panel with their labels, and `label` centred below them.
void draw_x_axis(Canvas& canvas, const Style& s, const Rect& panel, const Axis& axis,
                 const std::string& label);

/// values[k] at xs[k] (in the units of x_axis): each run of finite points as a line, a
/// lone point as a dot.
void draw_curve(Canvas& canvas, const Rect& panel, const Axis& x_axis, const Axis& y_axis,
                const std::vector<double>& xs, const std::vector<double>& values, Color color,
                double line);

/// The band between lo[k] and hi[k] at xs[k], for each run where all three are finite,
/// filled with `opacity`; a run of one point is a bar of width `bar` in the colour the band
/// has over white.
void draw_band(Canvas& canvas, const Rect& panel, const Axis& x_axis, const Axis& y_axis,
               const std::vector<double>& xs, const std::vector<double>& lo,
               const std::vector<double>& hi, Color color, double opacity, double bar);

struct LegendEntry {
  std::string label;
  Color color;
  enum class Kind { fill, line } kind;
  double line = 1.0;  ///< width of the outline or line
  double opacity = 1.0;
};

/// One line of entries on `baseline`, ending at the panel's right edge; entries that do
/// not fit are left out from the end.
void draw_legend(Canvas& canvas, const Style& s, const Rect& panel, double baseline,
                 const std::vector<LegendEntry>& entries);

}  // namespace spikeq::io::plot
