#include "weight_panels.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "ticks.hpp"

namespace spikeq::io::plot {
namespace {

constexpr Color kFirst = kPalette[0];  // the first snapshot's histogram
constexpr Color kLast = kPalette[1];   // the last snapshot's
constexpr Color kBand = kPalette[0];   // 10 % to 90 % of the weights over time
constexpr double kHistogramOpacity = 0.3;
constexpr double kBandOpacity = 0.25;
constexpr double kMaxBins = 40;

/// "30", "0.25", "1200": seconds from milliseconds, at most six significant digits.
std::string seconds(double ms) {
  char buf[32];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, ms / 1000.0, std::chars_format::general, 6);
  return ec == std::errc{} ? std::string(buf, end) : "?";
}

std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
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

/// Both snapshots binned alike, as percentages of the synapses with a finite weight.
struct Histogram {
  double lo = 0.0, step = 1.0;  ///< the first bin's left edge, the bin width
  std::size_t bins = 0;
  std::vector<double> first, last;  ///< per bin; `last` empty with a single snapshot
};

Histogram make_histogram(const WeightPlotInput& w, int target_bins) {
  Histogram h;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  widen(lo, hi, w.first);
  widen(lo, hi, w.last);
  if (lo > hi) return h;  // nothing to count
  ensure_span(lo, hi);
  h.step = nice_tick_step(hi - lo, target_bins);
  h.lo = std::floor(lo / h.step) * h.step;
  h.bins = static_cast<std::size_t>(std::max(1.0, std::ceil((hi - h.lo) / h.step - 1e-9)));
  const auto count = [&](const std::vector<float>& values) {
    std::vector<double> percent(h.bins, 0.0);
    std::size_t finite = 0;
    for (const float v : values) {
      if (!std::isfinite(v)) continue;
      ++finite;
      // The last bin holds its right edge, where weights clipped at a maximum pile up.
      const double b = std::floor((v - h.lo) / h.step);
      percent[static_cast<std::size_t>(std::clamp(b, 0.0, static_cast<double>(h.bins - 1)))] += 1;
    }
    for (double& p : percent) p = finite > 0 ? 100.0 * p / static_cast<double>(finite) : 0.0;
    return percent;
  };
  h.first = count(w.first);
  if (w.snapshots > 1) h.last = count(w.last);
  return h;
}

class WeightRow {
 public:
  WeightRow(const WeightPlotInput& w, Canvas& canvas, const Style& s, int width, double top,
            double height, const PanelColumns& columns, std::string note)
      : w_(w),
        canvas_(canvas),
        s_(s),
        width_(width),
        top_(top),
        height_(height),
        columns_(columns),
        note_(std::move(note)) {}

  void draw() {
    plan();
    draw_histogram();
    draw_curves();
    draw_frame(hist_);
    draw_frame(time_);
    const std::string weight = w_.units.empty() ? "weight" : "weight (" + w_.units + ")";
    draw_x_axis(hist_, hist_x_, weight);
    draw_x_axis(time_, time_x_, "time (s)");
    draw_y_axis(canvas_, s_, hist_, hist_y_, columns_.y_label_x, {"% of synapses", "%"});
    draw_y_axis(canvas_, s_, time_, time_y_, time_label_x_,
                {weight, w_.units.empty() ? std::string_view("w") : std::string_view(w_.units)});
    draw_heading();
    draw_histogram_legend();
    draw_curve_legend();
  }

 private:
  [[nodiscard]] static double x_of(const Rect& panel, const Axis& axis, double v) {
    return panel.left + (v - axis.lo) / (axis.hi - axis.lo) * panel.width();
  }
  [[nodiscard]] bool has_curves() const { return !w_.times_ms.empty() && w_.synapses > 0; }
  [[nodiscard]] bool mean_drawn() const { return w_.traces.size() != 1; }

  void plan() {
    place_rows();
    // The bins follow the nominal panel width, so that the PNG and the SVG agree.
    hist_data_ = make_histogram(
        w_, static_cast<int>(std::clamp(0.35 * width_ / (8.0 * s_.f), 5.0, kMaxBins)));
    make_y_axes();
    place_columns();
    make_x_axes();
  }

  // Top to bottom: heading, legends, panels, tick labels, axis labels.
  void place_rows() {
    heading_baseline_ = top_ + 1.5 * s_.pad + canvas_.cap_height(s_.label_font);
    legend_baseline_ = heading_baseline_ + 0.9 * s_.pad + canvas_.cap_height(s_.tick_font);
    const double below = s_.tick_len + s_.tick_gap + canvas_.cap_height(s_.tick_font) +
                         s_.label_gap + canvas_.cap_height(s_.label_font) +
                         0.3 * s_.label_font /* descenders */ + s_.pad;
    hist_.top = time_.top = std::round(legend_baseline_ + 0.8 * s_.pad);
    hist_.bottom = time_.bottom = std::max(hist_.top + 20, std::round(top_ + height_ - below));
  }

  [[nodiscard]] int y_intervals(const Rect& panel) const {
    const double tick_cap = 0.72 * s_.tick_font;  // nominal, as in the raster figure
    return static_cast<int>(std::clamp(panel.height() / (3.5 * tick_cap), 1.0, 6.0));
  }

  void make_y_axes() {
    // Percentages from 0 to a tick just above the tallest bar.
    double peak = 0.0;
    for (const auto* bars : {&hist_data_.first, &hist_data_.last}) {
      for (const double p : *bars) peak = std::max(peak, p);
    }
    const int intervals = y_intervals(hist_);
    const double top = peak > 0.0 ? peak * 1.05 : 100.0;
    const double step = nice_tick_step(top, intervals);
    hist_y_ = make_axis(0.0, std::min(100.0, std::ceil(top / step - 1e-9) * step), intervals);

    // Weights over time: the range of everything drawn, with a margin.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    widen(lo, hi, w_.mean);
    widen(lo, hi, w_.q10);
    widen(lo, hi, w_.q90);
    for (const auto& trace : w_.traces) widen(lo, hi, trace.weights);
    ensure_span(lo, hi);
    const double margin = 0.05 * (hi - lo);
    time_y_ = make_axis(lo - margin, hi + margin, y_intervals(time_));
  }

  [[nodiscard]] double tick_label_width(const Axis& axis) const {
    double width = 0.0;
    for (const double v : axis.ticks) {
      width = std::max(width, canvas_.text_width(format_tick(v, axis.step), s_.tick_font));
    }
    return width;
  }

  // Left to right: the histogram under the raster's left edge (its y-axis label in the
  // raster's column), then the weights over time with their own y axis, up to the
  // raster's right edge.
  void place_columns() {
    const double label_room = 0.3 * s_.label_font + s_.label_gap;  // rotated label to ticks
    const double ticks_left = label_room + s_.tick_gap + s_.tick_len;
    hist_.left = std::round(
        std::max(columns_.left, columns_.y_label_x + ticks_left + tick_label_width(hist_y_)));
    const double right = std::max(hist_.left + 60, columns_.right);
    const double between =
        2 * s_.pad + canvas_.cap_height(s_.label_font) + ticks_left + tick_label_width(time_y_);
    const double inner = std::max(40.0, right - hist_.left - between);
    hist_.right = std::round(hist_.left + 0.4 * inner);
    time_label_x_ = hist_.right + 2 * s_.pad + canvas_.cap_height(s_.label_font);
    time_.left = std::round(hist_.right + between);
    time_.right = std::max(time_.left + 20, std::round(right));
  }

  [[nodiscard]] int x_intervals(const Rect& panel) const {
    const double label = 5 * 0.64 * s_.tick_font;  // five digits, nominal
    return static_cast<int>(std::clamp(panel.width() / (label + 4 * s_.pad), 1.0, 8.0));
  }

  void make_x_axes() {
    if (hist_data_.bins > 0) {
      const double span = static_cast<double>(hist_data_.bins) * hist_data_.step;
      const double margin = 0.03 * span;
      hist_x_ =
          make_axis(hist_data_.lo - margin, hist_data_.lo + span + margin, x_intervals(hist_));
    } else {
      hist_x_ = make_axis(0.0, 1.0, x_intervals(hist_));
    }
    // Simulated time from 0 (or the first snapshot, if earlier) to the last snapshot.
    double lo = 0.0, hi = 0.0;
    std::size_t finite = 0;
    for (const double t : w_.times_ms) {
      if (!std::isfinite(t)) continue;
      lo = std::min(lo, t / 1000.0);
      hi = std::max(hi, t / 1000.0);
      ++finite;
    }
    if (!(hi > lo)) {
      hi = lo + 1.0;
    } else if (finite == 1) {
      hi = lo + 1.25 * (hi - lo);  // a lone snapshot away from the frame
    }
    time_x_ = make_axis(lo, hi, x_intervals(time_));
  }

  void no_data(const Rect& panel, const char* what) {
    for (const double size : {s_.label_font, s_.small_font}) {
      if (canvas_.text_width(what, size) > panel.width() - s_.pad) continue;
      canvas_.text({(panel.left + panel.right) / 2, (panel.top + panel.bottom) / 2}, what,
                   {.size = size, .color = kMuted, .anchor = Anchor::middle});
      return;
    }
  }

  // Step outlines, filled translucently so that the two snapshots show through each other;
  // the last snapshot on top.
  void draw_histogram() {
    if (hist_data_.bins == 0) {
      no_data(hist_, w_.snapshots == 0 ? "no snapshots" : "no synapses");
      return;
    }
    const auto series = [&](const std::vector<double>& percent, Color color, double line) {
      if (percent.empty()) return;
      std::vector<Point> outline;
      const double base = y_of(hist_, hist_y_, 0.0);
      const auto x = [&](std::size_t edge) {
        return x_of(hist_, hist_x_, hist_data_.lo + static_cast<double>(edge) * hist_data_.step);
      };
      outline.push_back({x(0), base});
      for (std::size_t b = 0; b < percent.size(); ++b) {
        const double y = y_of(hist_, hist_y_, percent[b]);
        outline.push_back({x(b), y});
        outline.push_back({x(b + 1), y});
      }
      outline.push_back({x(percent.size()), base});
      canvas_.fill_polygon(outline, color, kHistogramOpacity);
      canvas_.polyline(outline, line, color);
    };
    series(hist_data_.first, kFirst, s_.rate_line * 0.75);
    series(hist_data_.last, kLast, s_.rate_line);
  }

  // Each run of finite values as a line; a lone value as a dot.
  void curve(const std::vector<double>& values, Color color, double line) {
    std::vector<Point> run;
    const auto flush = [&] {
      if (run.size() == 1) {
        canvas_.begin_dots(2 * line, color, 1.0,
                           {time_.left, time_.top, time_.width(), time_.height()});
        canvas_.add_dots(run);
        canvas_.end_dots();
      } else if (run.size() > 1) {
        canvas_.polyline(run, line, color);
      }
      run.clear();
    };
    for (std::size_t k = 0; k < values.size() && k < w_.times_ms.size(); ++k) {
      if (!std::isfinite(values[k]) || !std::isfinite(w_.times_ms[k])) {
        flush();
        continue;
      }
      run.push_back(
          {x_of(time_, time_x_, w_.times_ms[k] / 1000.0), y_of(time_, time_y_, values[k])});
    }
    flush();
  }

  // The band between the 10 % and 90 % quantiles, for each run where both are finite.
  void band() {
    const std::size_t n = std::min({w_.q10.size(), w_.q90.size(), w_.times_ms.size()});
    std::size_t k = 0;
    while (k < n) {
      const auto ok = [&](std::size_t i) {
        return std::isfinite(w_.q10[i]) && std::isfinite(w_.q90[i]) &&
               std::isfinite(w_.times_ms[i]);
      };
      if (!ok(k)) {
        ++k;
        continue;
      }
      std::size_t end = k;
      while (end < n && ok(end)) ++end;
      std::vector<Point> outline;
      for (std::size_t i = k; i < end; ++i) {
        outline.push_back(
            {x_of(time_, time_x_, w_.times_ms[i] / 1000.0), y_of(time_, time_y_, w_.q90[i])});
      }
      for (std::size_t i = end; i-- > k;) {
        outline.push_back(
            {x_of(time_, time_x_, w_.times_ms[i] / 1000.0), y_of(time_, time_y_, w_.q10[i])});
      }
      if (end - k == 1) {
        // A lone snapshot: a bar in the colour the band has over white.
        const auto tint = [](std::uint8_t c) {
          return static_cast<std::uint8_t>(std::lround(255 + (c - 255) * kBandOpacity));
        };
        canvas_.line(outline[0], outline[1], 3 * s_.rate_line,
                     {tint(kBand.r), tint(kBand.g), tint(kBand.b)});
      } else {
        canvas_.fill_polygon(outline, kBand, kBandOpacity);
      }
      k = end;
    }
  }

  void draw_curves() {
    if (!has_curves()) {
      no_data(time_, w_.snapshots == 0 ? "no snapshots" : "no synapses");
      return;
    }
    band();
    for (std::size_t j = 0; j < w_.traces.size(); ++j) {
      curve(w_.traces[j].weights, kPalette[j % kPalette.size()], s_.rate_line);
    }
    if (mean_drawn()) curve(w_.mean, kInk, s_.rate_line);
  }

  void draw_frame(const Rect& r) {
    const double l = crisp(r.left), t = crisp(r.top), rr = crisp(r.right - 1),
                 b = crisp(r.bottom - 1);
    canvas_.line({l, t}, {rr, t}, s_.line, kInk);
    canvas_.line({l, b}, {rr, b}, s_.line, kInk);
    canvas_.line({l, t}, {l, b}, s_.line, kInk);
    canvas_.line({rr, t}, {rr, b}, s_.line, kInk);
  }

  void draw_x_axis(const Rect& panel, const Axis& axis, const std::string& label) {
    const double cap = canvas_.cap_height(s_.tick_font);
    const double b = crisp(panel.bottom - 1);
    for (const double v : axis.ticks) {
      const double x = crisp(std::clamp(x_of(panel, axis, v), panel.left, panel.right - 1));
      canvas_.line({x, b}, {x, b + s_.tick_len}, s_.line, kInk);
      canvas_.text({x, panel.bottom + s_.tick_len + s_.tick_gap + cap}, format_tick(v, axis.step),
                   {.size = s_.tick_font, .color = kInk, .anchor = Anchor::middle});
    }
    const double baseline = panel.bottom + s_.tick_len + s_.tick_gap + cap + s_.label_gap +
                            canvas_.cap_height(s_.label_font);
    canvas_.text({(panel.left + panel.right) / 2, baseline},
                 truncate_to(canvas_, label, s_.label_font, panel.width()),
                 {.size = s_.label_font, .color = kInk, .anchor = Anchor::middle});
  }

  // "exc-exc  64000 synapses, 10 snapshots from 30 to 300 s", and on the first row a note
  // at the right when projections were left out.
  void draw_heading() {
    double note_width = 0.0;
    if (!note_.empty()) {
      const std::string note = truncate_to(canvas_, note_, s_.small_font, 0.4 * width_);
      note_width = canvas_.text_width(note, s_.small_font) + s_.label_gap;
      canvas_.text({time_.right, heading_baseline_}, note,
                   {.size = s_.small_font, .color = kMuted, .anchor = Anchor::end});
    }
    const double room = time_.right - hist_.left - note_width;
    const std::string name = truncate_to(
        canvas_, w_.projection.empty() ? "(unnamed)" : w_.projection, s_.label_font, 0.5 * room);
    canvas_.text({hist_.left, heading_baseline_}, name,
                 {.size = s_.label_font, .color = kInk, .bold = true});
    std::string details = plural(w_.synapses, "synapse") + ", ";
    if (w_.snapshots == 0) {
      details += "no snapshots";
    } else if (w_.snapshots == 1) {
      details += "1 snapshot at " + seconds(w_.first_time_ms) + " s";
    } else {
      details += plural(w_.snapshots, "snapshot") + " from " + seconds(w_.first_time_ms) + " to " +
                 seconds(w_.last_time_ms) + " s";
    }
    if (has_curves() && w_.times_ms.size() < w_.snapshots) {
      details += " (" + std::to_string(w_.times_ms.size()) + " drawn over time)";
    }
    // Bold runs wider than text_width's estimate of regular text in SVG viewers' fonts.
    const double name_width = 1.12 * canvas_.text_width(name, s_.label_font) + 0.8 * s_.label_gap;
    canvas_.text({hist_.left + name_width, heading_baseline_},
                 truncate_to(canvas_, details, s_.tick_font, room - name_width),
                 {.size = s_.tick_font, .color = kMuted});
  }

  struct LegendEntry {
    std::string label;
    Color color;
    enum class Kind { fill, line } kind;
    double line = 1.0;  ///< width of the outline or line
    double opacity = 1.0;
  };

  // One line of entries ending at the panel's right edge; entries that do not fit are left
  // out from the end.
  void legend(const Rect& panel, const std::vector<LegendEntry>& entries) {
    const double cap = canvas_.cap_height(s_.tick_font);
    const double swatch_fill = cap;
    const double swatch_line = 22 * s_.f;
    const auto width_of = [&](const LegendEntry& e) {
      return (e.kind == LegendEntry::Kind::fill ? swatch_fill : swatch_line) + 0.5 * s_.label_gap +
             canvas_.text_width(e.label, s_.tick_font);
    };
    const double gap = 1.5 * s_.label_gap;
    std::size_t fit = 0;
    double total = 0.0;
    for (const LegendEntry& e : entries) {
      const double w = width_of(e) + (fit > 0 ? gap : 0.0);
      if (total + w > panel.width()) break;
      total += w;
      ++fit;
    }
    double x = panel.right - total;
    const double y = legend_baseline_;
    for (std::size_t i = 0; i < fit; ++i) {
      const LegendEntry& e = entries[i];
      if (e.kind == LegendEntry::Kind::fill) {
        const Point square[] = {
            {x, y - cap}, {x + swatch_fill, y - cap}, {x + swatch_fill, y}, {x, y}};
        canvas_.fill_polygon(square, e.color, e.opacity);
        const Point outline[] = {square[0], square[1], square[2], square[3], square[0]};
        canvas_.polyline(outline, e.line, e.color);
        x += swatch_fill;
      } else {
        const double mid = crisp(y - cap / 2);
        const Point line[] = {{x, mid}, {x + swatch_line, mid}};
        canvas_.polyline(line, e.line, e.color);
        x += swatch_line;
      }
      x += 0.5 * s_.label_gap;
      canvas_.text({x, y}, e.label, {.size = s_.tick_font, .color = kInk});
      x += canvas_.text_width(e.label, s_.tick_font) + gap;
    }
  }

  void draw_histogram_legend() {
    if (hist_data_.bins == 0) return;
    std::vector<LegendEntry> entries;
    entries.push_back({"t = " + seconds(w_.first_time_ms) + " s", kFirst, LegendEntry::Kind::fill,
                       s_.rate_line * 0.75, kHistogramOpacity});
    if (!hist_data_.last.empty()) {
      entries.push_back({"t = " + seconds(w_.last_time_ms) + " s", kLast, LegendEntry::Kind::fill,
                         s_.rate_line, kHistogramOpacity});
    }
    legend(hist_, entries);
  }

  void draw_curve_legend() {
    if (!has_curves()) return;
    std::vector<LegendEntry> entries;
    for (std::size_t j = 0; j < w_.traces.size(); ++j) {
      const auto& trace = w_.traces[j];
      entries.push_back({(w_.traces.size() == 1 ? "synapse " : "") + std::to_string(trace.source) +
                             " -> " + std::to_string(trace.target),
                         kPalette[j % kPalette.size()], LegendEntry::Kind::line,
                         1.5 * s_.rate_line});
    }
    if (mean_drawn()) {
      entries.push_back({"mean", kInk, LegendEntry::Kind::line, 1.5 * s_.rate_line});
    }
    if (!w_.q10.empty()) {
      entries.push_back({"10-90 %", kBand, LegendEntry::Kind::fill, 0.0, kBandOpacity});
    }
    legend(time_, entries);
  }

  const WeightPlotInput& w_;
  Canvas& canvas_;
  const Style& s_;
  int width_;
  double top_, height_;
  PanelColumns columns_;
  std::string note_;

  Histogram hist_data_;
  Rect hist_, time_;
  Axis hist_x_, hist_y_, time_x_, time_y_;
  double heading_baseline_ = 0, legend_baseline_ = 0, time_label_x_ = 0;
};

}  // namespace

int weight_row_height(const PlotOptions& options) {
  if (options.weight_row_height > 0) return options.weight_row_height;
  // Below 120 pixels the panels would be squeezed out by their labels.
  return std::max(120, static_cast<int>(std::lround(0.42 * options.height)));
}

void draw_weight_rows(const RasterPlotInput& input, Canvas& canvas, int width, int height,
                      double top, int row_height, const PanelColumns& columns) {
  const Style s(width, height);
  for (std::size_t r = 0; r < input.weights.size(); ++r) {
    std::string note;
    if (r == 0 && input.weights_omitted > 0) {
      const std::size_t all = input.weights.size() + input.weights_omitted;
      note = "showing " + std::to_string(input.weights.size()) + " of " + std::to_string(all) +
             " recorded projections";
    }
    WeightRow(input.weights[r], canvas, s, width, top + static_cast<double>(r) * row_height,
              row_height, columns, std::move(note))
        .draw();
  }
}

}  // namespace spikeq::io::plot
