#include "report_panels.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "panel_parts.hpp"
#include "ticks.hpp"

namespace spikeq::io::plot {
namespace {

constexpr Color kBand = kPalette[0];  // 10 % to 90 % over the neurons
constexpr double kBandOpacity = 0.25;

std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// "1", "0.1", "2.5": at most six significant digits.
std::string number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  return ec == std::errc{} ? std::string(buf, end) : "?";
}

class ReportRow {
 public:
  ReportRow(const ReportPlotInput& r, Canvas& canvas, const Style& s, double top, double height,
            std::string note)
      : r_(r), canvas_(canvas), s_(s), top_(top), height_(height), note_(std::move(note)) {
    make_legend();
    place_rows();
    make_y_axis();
  }

  [[nodiscard]] double tick_width() const { return tick_label_width(canvas_, s_, y_); }

  void draw(const PanelColumns& columns) {
    panel_.left = columns.left;
    panel_.right = columns.right;
    time_ = columns.time;
    draw_curves();
    draw_frame(canvas_, s_, panel_);
    draw_x_axis(canvas_, s_, panel_, time_, "time (ms)");
    const std::string variable = r_.variable.empty() ? "value" : r_.variable;
    if (r_.units.empty()) {
      draw_y_axis(canvas_, s_, panel_, y_, columns.y_label_x, {variable, "value"});
    } else {
      draw_y_axis(canvas_, s_, panel_, y_, columns.y_label_x,
                  {variable + " (" + r_.units + ")", r_.units});
    }
    draw_heading();
    draw_legend(canvas_, s_, panel_, legend_baseline_, legend_);
  }

 private:
  [[nodiscard]] bool has_data() const { return r_.samples > 0 && r_.neurons > 0; }
  [[nodiscard]] double trace_line() const {
    return r_.traces.size() == 1 ? s_.rate_line : 0.75 * s_.rate_line;
  }

  // Neurons one by one when there are several; else the mean and the quantile band.
  void make_legend() {
    if (!has_data()) return;
    if (r_.traces.size() > 1) {
      for (std::size_t j = 0; j < r_.traces.size(); ++j) {
        legend_.push_back({"neuron " + std::to_string(r_.traces[j].node_id),
                           kPalette[j % kPalette.size()], LegendEntry::Kind::line,
                           1.5 * trace_line()});
      }
    } else if (r_.traces.empty()) {
      legend_.push_back({"mean", kInk, LegendEntry::Kind::line, 1.5 * s_.rate_line});
      if (!r_.q10.empty()) {
        legend_.push_back({"10-90 %", kBand, LegendEntry::Kind::fill, 0.0, kBandOpacity});
      }
    }
  }

  // Top to bottom: heading, legend (if any), panel, tick labels, axis label.
  void place_rows() {
    heading_baseline_ = top_ + 1.5 * s_.pad + canvas_.cap_height(s_.label_font);
    double above = heading_baseline_;
    if (!legend_.empty()) {
      legend_baseline_ = heading_baseline_ + 0.9 * s_.pad + canvas_.cap_height(s_.tick_font);
      above = legend_baseline_;
    }
    const double below = s_.tick_len + s_.tick_gap + canvas_.cap_height(s_.tick_font) +
                         s_.label_gap + canvas_.cap_height(s_.label_font) +
                         0.3 * s_.label_font /* descenders */ + s_.pad;
    panel_.top = std::round(above + 0.8 * s_.pad);
    panel_.bottom = std::max(panel_.top + 20, std::round(top_ + height_ - below));
  }

  // The range of everything drawn, with a margin.
  void make_y_axis() {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& trace : r_.traces) widen(lo, hi, trace.values);
    widen(lo, hi, r_.mean);
    widen(lo, hi, r_.q10);
    widen(lo, hi, r_.q90);
    ensure_span(lo, hi);
    const double margin = 0.05 * (hi - lo);
    y_ = make_axis(lo - margin, hi + margin, y_intervals(s_, panel_));
  }

  void draw_curves() {
    if (r_.neurons == 0) {
      no_data(canvas_, s_, panel_, "no neurons");
      return;
    }
    if (r_.samples == 0) {
      no_data(canvas_, s_, panel_, "no samples in this time window");
      return;
    }
    draw_band(canvas_, panel_, time_, y_, r_.band_times_ms, r_.q10, r_.q90, kBand, kBandOpacity,
              3 * s_.rate_line);
    for (std::size_t j = 0; j < r_.traces.size(); ++j) {
      draw_curve(canvas_, panel_, time_, y_, r_.traces[j].times_ms, r_.traces[j].values,
                 kPalette[j % kPalette.size()], trace_line());
    }
    if (r_.traces.empty()) {
      draw_curve(canvas_, panel_, time_, y_, r_.mean_times_ms, r_.mean, kInk, s_.rate_line);
    }
  }

  // "exc V_m  neuron 7, 2000 samples every 1 ms", and on the first row a note at the right
  // when reports were left out.
  void draw_heading() {
    double note_width = 0.0;
    if (!note_.empty()) {
      const std::string note = truncate_to(canvas_, note_, s_.small_font, 0.4 * panel_.width());
      note_width = canvas_.text_width(note, s_.small_font) + s_.label_gap;
      canvas_.text({panel_.right, heading_baseline_}, note,
                   {.size = s_.small_font, .color = kMuted, .anchor = Anchor::end});
    }
    const double room = panel_.width() - note_width;
    std::string title = r_.population.empty() ? "(unnamed)" : r_.population;
    if (!r_.variable.empty()) title += " " + r_.variable;
    const std::string name = truncate_to(canvas_, title, s_.label_font, 0.5 * room);
    canvas_.text({panel_.left, heading_baseline_}, name,
                 {.size = s_.label_font, .color = kInk, .bold = true});
    std::string details = r_.traces.size() == 1 ? "neuron " + std::to_string(r_.traces[0].node_id)
                                                : plural(r_.neurons, "neuron");
    if (r_.traces.empty() && r_.neurons > 0) details += ": mean and 10-90 % over neurons";
    details += ", ";
    if (r_.samples == 0) {
      details += "no samples in this time window";
    } else {
      details += plural(r_.samples, "sample") + " every " + number(r_.step_ms) + " ms";
    }
    if (r_.enveloped) details += " (drawn as min/max envelope)";
    // Bold runs wider than text_width's estimate of regular text in SVG viewers' fonts.
    const double name_width = 1.12 * canvas_.text_width(name, s_.label_font) + 0.8 * s_.label_gap;
    canvas_.text({panel_.left + name_width, heading_baseline_},
                 truncate_to(canvas_, details, s_.tick_font, room - name_width),
                 {.size = s_.tick_font, .color = kMuted});
  }

  const ReportPlotInput& r_;
  Canvas& canvas_;
  const Style& s_;
  double top_, height_;
  std::string note_;

  std::vector<LegendEntry> legend_;
  Rect panel_;
  Axis y_, time_;
  double heading_baseline_ = 0, legend_baseline_ = 0;
};

std::string omitted_note(const RasterPlotInput& input) {
  if (input.reports_omitted == 0) return {};
  const std::size_t all = input.reports.size() + input.reports_omitted;
  return "showing " + std::to_string(input.reports.size()) + " of " + std::to_string(all) +
         " reports";
}

}  // namespace

int report_row_height(const PlotOptions& options) {
  if (options.report_row_height > 0) return options.report_row_height;
  // Below 120 pixels the panel would be squeezed out by its labels.
  return std::max(120, static_cast<int>(std::lround(0.35 * options.height)));
}

double report_tick_label_width(const RasterPlotInput& input, Canvas& canvas, int width, int height,
                               int row_height) {
  const Style s(width, height);
  double widest = 0.0;
  for (const ReportPlotInput& r : input.reports) {
    widest = std::max(widest, ReportRow(r, canvas, s, 0.0, row_height, {}).tick_width());
  }
  return widest;
}

void draw_report_rows(const RasterPlotInput& input, Canvas& canvas, int width, int height,
                      double top, int row_height, const PanelColumns& columns) {
  const Style s(width, height);
  for (std::size_t r = 0; r < input.reports.size(); ++r) {
    ReportRow(input.reports[r], canvas, s, top + static_cast<double>(r) * row_height, row_height,
              r == 0 ? omitted_note(input) : std::string())
        .draw(columns);
  }
}

}  // namespace spikeq::io::plot
