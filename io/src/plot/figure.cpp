#include "figure.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <numbers>
#include <string>
#include <vector>

#include "figure_parts.hpp"
#include "panel_parts.hpp"
#include "ticks.hpp"

namespace spikeq::io::plot {
namespace {

// Beyond this many populations one line per population is a tangle; show the total.
constexpr std::size_t kMaxRateLines = 10;

Color population_color(std::size_t p) { return kPalette[p % kPalette.size()]; }

class FigureLayout {
 public:
  FigureLayout(const RasterPlotInput& input, const PlotData& data, Canvas& canvas, int width,
               int height, double min_tick_label_width)
      : input_(input),
        data_(data),
        canvas_(canvas),
        w_(width),
        h_(height),
        s_(width, height),
        min_tick_label_width_(min_tick_label_width) {}

  PanelColumns draw() {
    plan();
    draw_spikes();
    draw_separators();
    draw_rates();
    draw_frame(raster_);
    draw_frame(rate_);
    draw_x_axis();
    draw_y_axis(canvas_, s_, raster_, raster_y_, y_label_x_, {"neuron", "#"});
    draw_y_axis(canvas_, s_, rate_, rate_y_, y_label_x_, {"rate (Hz)", "Hz"});
    draw_population_labels();
    draw_legend();
    draw_titles();
    return {raster_.left, raster_.right, y_label_x_, time_};
  }

 private:
  [[nodiscard]] double x_of(double t) const {
    return raster_.left + (t - data_.t_start) / (data_.t_stop - data_.t_start) * raster_.width();
  }
  [[nodiscard]] bool rate_per_population() const {
    return data_.populations.size() <= kMaxRateLines && !data_.populations.empty();
  }

  void plan() {
    place_rows();
    make_y_axes();
    place_columns();
    // Tick density follows nominal font metrics rather than the back end's, so that the PNG
    // and the SVG of a figure get the same ticks.
    const double label = 5 * 0.64 * s_.tick_font;  // five digits
    const int time_intervals =
        static_cast<int>(std::clamp(raster_.width() / (label + 8 * s_.pad), 1.0, 10.0));
    time_ = make_axis(data_.t_start, data_.t_stop, time_intervals);
  }

  // Top to bottom: title, thinning note, raster, gap, rates, tick labels, axis label.
  void place_rows() {
    title_baseline_ = s_.pad + canvas_.cap_height(s_.title_font);
    double top = title_baseline_ + s_.pad;
    if (!data_.thinning_note.empty()) {
      note_baseline_ = top + canvas_.cap_height(s_.small_font);
      top = note_baseline_ + 0.6 * s_.pad;
    }
    const double below = s_.tick_len + s_.tick_gap + canvas_.cap_height(s_.tick_font) +
                         s_.label_gap + canvas_.cap_height(s_.label_font) +
                         0.3 * s_.label_font /* descenders */ + s_.pad;
    const double bottom = h_ - below;
    const double gap = 1.6 * s_.pad;
    const double panels = std::max(20.0, bottom - top - gap);
    raster_.top = std::round(top);
    raster_.bottom = std::round(top + 0.72 * panels);
    rate_.top = std::round(raster_.bottom + gap);
    rate_.bottom = std::round(bottom);
  }

  // The raster counts neurons (whole numbers only); the rate axis runs from 0 Hz to a
  // tick just above the highest rate.
  void make_y_axes() {
    const double tick_cap = 0.72 * s_.tick_font;  // nominal, as for the time axis
    const double neurons = std::max<double>(1.0, static_cast<double>(data_.total_neurons));
    const double raster_intervals = std::clamp(raster_.height() / (4.0 * tick_cap), 1.0, neurons);
    raster_y_ = make_axis(0.0, neurons, static_cast<int>(raster_intervals));

    double peak = 0.0;
    if (rate_per_population()) {
      for (const auto& view : data_.populations) {
        for (const double r : view.rate_hz) peak = std::max(peak, r);
      }
    } else {
      for (const double r : data_.total_rate_hz) peak = std::max(peak, r);
    }
    const auto rate_intervals =
        static_cast<int>(std::clamp(rate_.height() / (3.5 * tick_cap), 1.0, 6.0));
    const double rate_top = peak > 0.0 ? peak * 1.05 : 1.0;  // 0 to 1 Hz when silent
    const double step = nice_tick_step(rate_top, rate_intervals);
    rate_y_ = make_axis(0.0, std::ceil(rate_top / step - 1e-9) * step, rate_intervals);
  }

  // Left to right: rotated axis label, tick labels, panels, population names and legend.
  void place_columns() {
    double tick_label_width = min_tick_label_width_;
    for (const Axis* axis : {&raster_y_, &rate_y_}) {
      for (const double v : axis->ticks) {
        tick_label_width = std::max(tick_label_width,
                                    canvas_.text_width(format_tick(v, axis->step), s_.tick_font));
      }
    }
    y_label_x_ = s_.pad + canvas_.cap_height(s_.label_font);
    const double left = y_label_x_ + 0.3 * s_.label_font + s_.label_gap + tick_label_width +
                        s_.tick_gap + s_.tick_len;

    double name_width = 0.0;
    for (const auto& view : data_.populations) {
      labels_.push_back(truncate_to(canvas_, view.source->name, s_.tick_font, 0.2 * w_));
      name_width = std::max({name_width, canvas_.text_width(labels_.back(), s_.tick_font),
                             canvas_.text_width(std::to_string(view.size), s_.small_font)});
    }
    if (!rate_per_population()) {
      name_width = std::max(name_width, canvas_.text_width("all", s_.tick_font));
    }
    legend_sample_ = 22 * s_.f;
    const double right = data_.populations.empty() ? 2 * s_.pad
                                                   : s_.label_gap + legend_sample_ +
                                                         0.5 * s_.label_gap + name_width + s_.pad;

    raster_.left = rate_.left = std::round(left);
    raster_.right = rate_.right = std::max(raster_.left + 20, std::round(w_ - right));
  }

  void draw_spikes() {
    if (data_.total_neurons == 0 || data_.spikes == 0) {
      canvas_.text({(raster_.left + raster_.right) / 2, (raster_.top + raster_.bottom) / 2},
                   "no spikes", {.size = s_.label_font, .color = kMuted, .anchor = Anchor::middle});
      return;
    }
    const double pitch = raster_.height() / static_cast<double>(data_.total_neurons);
    // Dots fill most of a neuron's row but stay visible when rows are under a pixel.
    const double radius = std::clamp(0.42 * pitch, 0.8, 3.0 * s_.f);
    const double dot_area = std::max(1.0, std::numbers::pi * radius * radius);
    std::vector<Point> batch;
    constexpr std::size_t kBatch = 8192;
    batch.reserve(kBatch);
    std::uint64_t seen = 0;  // spikes of the drawn neurons, for the spike stride
    for (std::size_t p = 0; p < data_.populations.size(); ++p) {
      const PopulationView& view = data_.populations[p];
      if (view.spikes == 0) continue;
      // How many dots pile up on a pixel of the band on average; beyond a few, dots turn
      // translucent so that the band shows density instead of a solid block.
      const double drawn =
          static_cast<double>(view.spikes) / static_cast<double>(view.stride * data_.spike_stride);
      const double band = raster_.width() * pitch * static_cast<double>(view.size);
      const double overlap = drawn * dot_area / std::max(1.0, band);
      canvas_.begin_dots(radius, population_color(p), std::clamp(1.5 / overlap, 0.02, 1.0),
                         {raster_.left, raster_.top, raster_.width(), raster_.height()});
      const auto& times = view.source->times_ms;
      const auto& ids = view.source->node_ids;
      for (std::size_t i = 0; i < times.size(); ++i) {
        if (!data_.in_range(times[i])) continue;
        if (view.stride > 1 && ids[i] % view.stride != 0) continue;
        if (data_.spike_stride > 1 && seen++ % data_.spike_stride != 0) continue;
        const double row = static_cast<double>(view.offset + ids[i]) + 0.5;
        batch.push_back({x_of(times[i]), y_of(raster_, raster_y_, row)});
        if (batch.size() == kBatch) {
          canvas_.add_dots(batch);
          batch.clear();
        }
      }
      canvas_.add_dots(batch);
      batch.clear();
      canvas_.end_dots();
    }
  }

  void draw_separators() {
    for (std::size_t p = 1; p < data_.populations.size(); ++p) {
      const double y =
          crisp(y_of(raster_, raster_y_, static_cast<double>(data_.populations[p].offset)));
      canvas_.line({raster_.left + 1, y}, {raster_.right - 1, y}, s_.line, kSeparator);
    }
  }

  void draw_rates() {
    const auto line_of = [&](const std::vector<double>& rates, Color color) {
      std::vector<Point> points;
      points.reserve(rates.size());
      for (std::size_t k = 0; k < rates.size(); ++k) {
        const double t = data_.bin_start(k) + data_.bin_width(k) / 2;
        points.push_back({x_of(t), y_of(rate_, rate_y_, rates[k])});
      }
      canvas_.polyline(points, s_.rate_line, color);
    };
    if (data_.populations.empty()) return;
    if (rate_per_population()) {
      for (std::size_t p = 0; p < data_.populations.size(); ++p) {
        if (data_.populations[p].size > 0)
          line_of(data_.populations[p].rate_hz, population_color(p));
      }
    } else {
      line_of(data_.total_rate_hz, kInk);
    }
  }

  void draw_frame(const Rect& r) { plot::draw_frame(canvas_, s_, r); }

  // Shared time axis: tick marks under both panels, labels under the lower one only.
  void draw_x_axis() {
    const double cap = canvas_.cap_height(s_.tick_font);
    for (const double t : time_.ticks) {
      // The last tick sits on the frame's inner column, like the first.
      const double x = crisp(std::min(x_of(t), raster_.right - 1));
      for (const Rect* panel : {&raster_, &rate_}) {
        const double b = crisp(panel->bottom - 1);
        canvas_.line({x, b}, {x, b + s_.tick_len}, s_.line, kInk);
      }
      canvas_.text({x, rate_.bottom + s_.tick_len + s_.tick_gap + cap}, format_tick(t, time_.step),
                   {.size = s_.tick_font, .color = kInk, .anchor = Anchor::middle});
    }
    const double baseline = rate_.bottom + s_.tick_len + s_.tick_gap + cap + s_.label_gap +
                            canvas_.cap_height(s_.label_font);
    canvas_.text({(rate_.left + rate_.right) / 2, baseline}, "time (ms)",
                 {.size = s_.label_font, .color = kInk, .anchor = Anchor::middle});
  }

  // Each population's name beside its band, in its colour, with its size below where
  // the band has room; names that would collide with the one below are left out (the
  // legend still lists them).
  void draw_population_labels() {
    const double cap = canvas_.cap_height(s_.tick_font);
    const double small_cap = canvas_.cap_height(s_.small_font);
    double free_below = raster_.bottom + cap;  // lowest baseline still free
    for (std::size_t p = 0; p < data_.populations.size(); ++p) {
      const PopulationView& view = data_.populations[p];
      if (view.size == 0) continue;
      const double top = y_of(raster_, raster_y_, static_cast<double>(view.offset + view.size));
      const double bottom = y_of(raster_, raster_y_, static_cast<double>(view.offset));
      const bool with_size = bottom - top > 4.0 * cap;
      const double block = with_size ? cap + 0.8 * cap + small_cap : cap;
      double baseline = (top + bottom) / 2 - block / 2 + cap;
      baseline = std::clamp(baseline, raster_.top + cap, raster_.bottom - (block - cap));
      if (baseline + (block - cap) > free_below) continue;
      const double x = raster_.right + s_.label_gap;
      canvas_.text({x, baseline}, labels_[p],
                   {.size = s_.tick_font, .color = population_color(p), .bold = true});
      if (with_size) {
        canvas_.text({x, baseline + 0.8 * cap + small_cap}, std::to_string(view.size),
                     {.size = s_.small_font, .color = kMuted});
      }
      free_below = baseline - 1.8 * cap;
    }
  }

  void draw_legend() {
    if (data_.populations.empty()) return;
    const double cap = canvas_.cap_height(s_.tick_font);
    const double row = 2.0 * cap;
    const double x = rate_.right + s_.label_gap;
    double baseline = rate_.top + cap;
    const auto entry = [&](const std::string& name, Color color) {
      if (baseline > rate_.bottom) return;  // no room left
      const double y = crisp(baseline - cap / 2);
      const Point line[] = {{x, y}, {x + legend_sample_, y}};
      canvas_.polyline(line, s_.rate_line * 1.5, color);
      canvas_.text({x + legend_sample_ + 0.5 * s_.label_gap, baseline}, name,
                   {.size = s_.tick_font, .color = kInk});
      baseline += row;
    };
    if (rate_per_population()) {
      // Top to bottom in the raster's order (first population lowest), so both read alike.
      for (std::size_t p = data_.populations.size(); p-- > 0;) {
        if (data_.populations[p].size > 0) entry(labels_[p], population_color(p));
      }
    } else {
      entry("all", kInk);
    }
  }

  void draw_titles() {
    const std::string title = input_.title.empty() ? "Spike raster" : input_.title;
    const double centre = (raster_.left + raster_.right) / 2;
    canvas_.text({centre, title_baseline_},
                 truncate_to(canvas_, title, s_.title_font, w_ - 2 * s_.pad),
                 {.size = s_.title_font, .color = kInk, .anchor = Anchor::middle, .bold = true});
    if (!data_.thinning_note.empty()) {
      const double room = raster_.width();
      std::string note = data_.thinning_note;
      if (canvas_.text_width(note, s_.small_font) > room) {
        note = truncate_to(canvas_, data_.short_thinning_note, s_.small_font, room);
      }
      canvas_.text({raster_.right, note_baseline_}, note,
                   {.size = s_.small_font, .color = kMuted, .anchor = Anchor::end});
    }
  }

  const RasterPlotInput& input_;
  const PlotData& data_;
  Canvas& canvas_;
  int w_, h_;
  Style s_;
  double min_tick_label_width_;

  Rect raster_, rate_;
  Axis raster_y_, rate_y_, time_;
  std::vector<std::string> labels_;  ///< population names, shortened to fit
  double title_baseline_ = 0, note_baseline_ = 0, y_label_x_ = 0, legend_sample_ = 0;
};

}  // namespace

PanelColumns draw_figure(const RasterPlotInput& input, const PlotData& data, Canvas& canvas,
                         int width, int height, double min_tick_label_width) {
  return FigureLayout(input, data, canvas, width, height, min_tick_label_width).draw();
}

}  // namespace spikeq::io::plot
