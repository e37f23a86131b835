#include "weight_panels.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "panel_parts.hpp"
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
    draw_frame(canvas_, s_, hist_);
    draw_frame(canvas_, s_, time_);
    const std::string weight = w_.units.empty() ? "weight" : "weight (" + w_.units + ")";
    draw_x_axis(canvas_, s_, hist_, hist_x_, weight);
    draw_x_axis(canvas_, s_, time_, time_x_, "time (s)");
    draw_y_axis(canvas_, s_, hist_, hist_y_, columns_.y_label_x, {"% of synapses", "%"});
    draw_y_axis(canvas_, s_, time_, time_y_, time_label_x_,
                {weight, w_.units.empty() ? std::string_view("w") : std::string_view(w_.units)});
    draw_heading();
    draw_histogram_legend();
    draw_curve_legend();
  }

 private:
  [[nodiscard]] bool has_curves() const { return !w_.times_ms.empty() && w_.synapses > 0; }
  [[nodiscard]] bool mean_drawn() const { return w_.traces.size() != 1; }

  void plan() {
    times_s_.reserve(w_.times_ms.size());
    for (const double t : w_.times_ms) times_s_.push_back(t / 1000.0);
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

  void make_y_axes() {
    // Percentages from 0 to a tick just above the tallest bar.
    double peak = 0.0;
    for (const auto* bars : {&hist_data_.first, &hist_data_.last}) {
      for (const double p : *bars) peak = std::max(peak, p);
    }
    const int intervals = y_intervals(s_, hist_);
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
    time_y_ = make_axis(lo - margin, hi + margin, y_intervals(s_, time_));
  }

  // Left to right: the histogram under the raster's left edge (its y-axis label in the
  // raster's column), then the weights over time with their own y axis, up to the
  // raster's right edge.
  void place_columns() {
    const double label_room = 0.3 * s_.label_font + s_.label_gap;  // rotated label to ticks
    const double ticks_left = label_room + s_.tick_gap + s_.tick_len;
    hist_.left = std::round(std::max(
        columns_.left, columns_.y_label_x + ticks_left + tick_label_width(canvas_, s_, hist_y_)));
    const double right = std::max(hist_.left + 60, columns_.right);
    const double between = 2 * s_.pad + canvas_.cap_height(s_.label_font) + ticks_left +
                           tick_label_width(canvas_, s_, time_y_);
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

  // Step outlines, filled translucently so that the two snapshots show through each other;
  // the last snapshot on top.
  void draw_histogram() {
    if (hist_data_.bins == 0) {
      no_data(canvas_, s_, hist_, w_.snapshots == 0 ? "no snapshots" : "no synapses");
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

  void draw_curves() {
    if (!has_curves()) {
      no_data(canvas_, s_, time_, w_.snapshots == 0 ? "no snapshots" : "no synapses");
      return;
    }
    // A lone snapshot's band is a bar.
    draw_band(canvas_, time_, time_x_, time_y_, times_s_, w_.q10, w_.q90, kBand, kBandOpacity,
              3 * s_.rate_line);
    for (std::size_t j = 0; j < w_.traces.size(); ++j) {
      draw_curve(canvas_, time_, time_x_, time_y_, times_s_, w_.traces[j].weights,
                 kPalette[j % kPalette.size()], s_.rate_line);
    }
    if (mean_drawn())
      draw_curve(canvas_, time_, time_x_, time_y_, times_s_, w_.mean, kInk, s_.rate_line);
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

  void draw_histogram_legend() {
    if (hist_data_.bins == 0) return;
    std::vector<LegendEntry> entries;
    entries.push_back({"t = " + seconds(w_.first_time_ms) + " s", kFirst, LegendEntry::Kind::fill,
                       s_.rate_line * 0.75, kHistogramOpacity});
    if (!hist_data_.last.empty()) {
      entries.push_back({"t = " + seconds(w_.last_time_ms) + " s", kLast, LegendEntry::Kind::fill,
                         s_.rate_line, kHistogramOpacity});
    }
    draw_legend(canvas_, s_, hist_, legend_baseline_, entries);
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
    draw_legend(canvas_, s_, time_, legend_baseline_, entries);
  }

  const WeightPlotInput& w_;
  Canvas& canvas_;
  const Style& s_;
  int width_;
  double top_, height_;
  PanelColumns columns_;
  std::string note_;

  std::vector<double> times_s_;  ///< of w_.times_ms, for the panel over time
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
