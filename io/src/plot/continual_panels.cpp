// The heat map of a continual-learning result (continual_panels.hpp), and
// read_continual_plot_input, which reads its input and title from the result's file.
#include "continual_panels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "figure_parts.hpp"
#include "panel_parts.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::io {
namespace plot {
namespace {

// viridis (matplotlib) at 0, 1/8, ..., 1: perceptually uniform, ordered in lightness, and
// readable by colour-blind readers and in greyscale print.
constexpr std::array<Color, 9> kViridis = {{{0x44, 0x01, 0x54},
                                            {0x47, 0x2d, 0x7b},
                                            {0x3b, 0x52, 0x8b},
                                            {0x2c, 0x72, 0x8e},
                                            {0x21, 0x91, 0x8c},
                                            {0x28, 0xae, 0x80},
                                            {0x5e, 0xc9, 0x62},
                                            {0xad, 0xdc, 0x30},
                                            {0xfd, 0xe7, 0x25}}};
constexpr Color kWhite{0xff, 0xff, 0xff};
constexpr Color kMissing{0xdd, 0xdd, 0xdd};  // a cell without a finite value

/// WCAG relative luminance (0 black to 1 white).
double luminance(Color c) {
  const auto linear = [](std::uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/// Dark ink or white, whichever contrasts more with `background`.
Color ink_on(Color background) {
  const double l = luminance(background);
  const double with_ink = (l + 0.05) / (luminance(kInk) + 0.05);
  const double with_white = 1.05 / (l + 0.05);
  return with_ink >= with_white ? kInk : kWhite;
}

/// Nominal width of `chars` digits, as the layout of the raster figure estimates it, so
/// that the PNG and the SVG of a figure make the same choices.
double digits_width(std::size_t chars, double size) {
  return 0.64 * size * static_cast<double>(chars);
}

/// Labels at 1, 1 + stride, 1 + 2 stride, ...: the smallest stride of 1, 2, 5, 10, 20, ...
/// that gives each label `need` pixels on an axis of cells `pitch` apart.
std::size_t label_stride(double pitch, double need) {
  for (std::size_t base = 1;; base *= 10) {
    for (const std::size_t m : {1, 2, 5}) {
      if (static_cast<double>(base * m) * pitch >= need) return base * m;
    }
    if (base > 1'000'000) return base;
  }
}

class ContinualLayout {
 public:
  ContinualLayout(const ContinualPlotInput& input, Canvas& canvas, int width, int height)
      : in_(input), canvas_(canvas), w_(width), h_(height), s_(width, height) {
    rows_ = in_.accuracy.size();
    cols_ = rows_ > 0 ? in_.accuracy.front().size() : 0;
    for (const auto& row : in_.accuracy) {
      if (row.size() != cols_) {
        throw InvalidParameter(
            "continual plot: the rows of the accuracy matrix differ in length (" +
            std::to_string(cols_) + " and " + std::to_string(row.size()) + ")");
      }
    }
    if (cols_ == 0) rows_ = 0;
    all_together_ = rows_ == 1 && cols_ > 1;
  }

  void draw() {
    plan();
    if (rows_ == 0) {
      no_data(canvas_, s_, matrix_, "no tasks");
    } else {
      draw_cells();
      draw_x_axis();
      draw_y_axis();
      draw_colour_bar();
    }
    draw_titles();
  }

 private:
  [[nodiscard]] bool untrained(std::size_t i, std::size_t j) const {
    return !all_together_ && j > i;
  }
  [[nodiscard]] bool has_untrained() const { return !all_together_ && cols_ > 1 && rows_ > 0; }
  [[nodiscard]] std::string row_label(std::size_t i) const {
    return all_together_ ? "all" : std::to_string(i + 1);
  }

  void plan() {
    const double tick_cap = canvas_.cap_height(s_.tick_font);
    const double label_cap = canvas_.cap_height(s_.label_font);
    // Top to bottom: title, note, matrix, tick labels, axis label.
    title_baseline_ = s_.pad + canvas_.cap_height(s_.title_font);
    double top = title_baseline_ + s_.pad;
    if (has_untrained()) {
      note_baseline_ = top + canvas_.cap_height(s_.small_font);
      top = note_baseline_ + 0.8 * s_.pad;
    }
    const double below = s_.tick_len + s_.tick_gap + tick_cap + s_.label_gap + label_cap +
                         0.3 * s_.label_font /* descenders */ + s_.pad;
    const double bottom = h_ - below;

    // Left to right: rotated y label, row labels, matrix, colour bar, its ticks and label.
    double row_labels = 0.0;
    for (std::size_t i = 0; i < rows_; ++i) {
      row_labels = std::max(row_labels, canvas_.text_width(row_label(i), s_.tick_font));
    }
    y_label_x_ = s_.pad + label_cap;
    const double left =
        y_label_x_ + 0.3 * s_.label_font + s_.label_gap + row_labels + s_.tick_gap + s_.tick_len;
    bar_gap_ = 2.0 * s_.pad;
    bar_width_ = std::round(std::max(12.0, 22.0 * s_.f));
    const double bar_right_room = s_.tick_len + s_.tick_gap +
                                  canvas_.text_width("100", s_.tick_font) + s_.label_gap +
                                  label_cap + 0.3 * s_.label_font + s_.pad;
    const double room_w = w_ - left - bar_gap_ - bar_width_ - bar_right_room;
    const double room_h = bottom - top;

    if (rows_ == 0) {
      matrix_ = {std::round(left), std::round(top), std::round(left + room_w), std::round(bottom)};
      return;
    }
    // Square cells, as large as fit; the matrix centred in the room left for it.
    cell_ = std::min(room_w / static_cast<double>(cols_), room_h / static_cast<double>(rows_));
    if (!(cell_ >= 2.0)) {
      throw InvalidParameter("continual plot: " + std::to_string(rows_) + " x " +
                             std::to_string(cols_) + " tasks do not fit a " + std::to_string(w_) +
                             " x " + std::to_string(h_) + " figure");
    }
    const double shift_x = (room_w - cell_ * static_cast<double>(cols_)) / 2;
    const double shift_y = (room_h - cell_ * static_cast<double>(rows_)) / 2;
    y_label_x_ += shift_x;
    for (std::size_t j = 0; j <= cols_; ++j) {
      xs_.push_back(std::round(left + shift_x + cell_ * static_cast<double>(j)));
    }
    for (std::size_t i = 0; i <= rows_; ++i) {
      ys_.push_back(std::round(top + shift_y + cell_ * static_cast<double>(i)));
    }
    matrix_ = {xs_.front(), ys_.front(), xs_.back(), ys_.back()};
    bar_ = {matrix_.right + bar_gap_, matrix_.top, matrix_.right + bar_gap_ + bar_width_,
            matrix_.bottom};
  }

  // White lines between the cells once they are large enough to spare them.
  [[nodiscard]] double cell_gap() const {
    return cell_ >= 16.0 * s_.f ? std::max(1.0, std::round(1.5 * s_.f)) : 0.0;
  }

  // The value's font: as large as the title's, but small enough that "100" takes at most
  // 70 % of the cell's width and its digits 40 % of its height; 0 if that is too small to
  // read.
  [[nodiscard]] double value_font() const {
    const double size =
        std::min({s_.title_font, 0.7 * cell_ / digits_width(3, 1.0), 0.4 * cell_ / 0.72});
    return size >= 0.75 * s_.small_font ? size : 0.0;
  }

  void draw_cells() {
    const double gap = cell_gap();
    const double size = value_font();
    const double cap = canvas_.cap_height(size > 0 ? size : s_.tick_font);
    for (std::size_t i = 0; i < rows_; ++i) {
      for (std::size_t j = 0; j < cols_; ++j) {
        const double v = in_.accuracy[i][j];
        const bool finite = std::isfinite(v);
        Color c = finite ? accuracy_color(v) : kMissing;
        if (untrained(i, j)) c = washed_out(c, kUntrainedWash);
        const double x0 = xs_[j] + (j > 0 ? gap : 0.0), y0 = ys_[i] + (i > 0 ? gap : 0.0);
        canvas_.fill_rect(x0, y0, xs_[j + 1] - x0, ys_[i + 1] - y0, c);
        if (size <= 0) continue;
        const std::string value = finite ? std::to_string(std::lround(100.0 * v)) : "-";
        canvas_.text({(x0 + xs_[j + 1]) / 2, (y0 + ys_[i + 1]) / 2 + cap / 2}, value,
                     {.size = size,
                      .color = finite ? ink_on(c) : kMuted,
                      .anchor = Anchor::middle,
                      .bold = !untrained(i, j)});
      }
    }
  }

  // Column numbers under the matrix, on tick marks at the columns' centres.
  void draw_x_axis() {
    const double cap = canvas_.cap_height(s_.tick_font);
    const double need = digits_width(std::to_string(cols_).size(), s_.tick_font) + 1.5 * s_.pad;
    const std::size_t stride = label_stride(cell_, need);
    const double b = crisp(matrix_.bottom);
    for (std::size_t j = 0; j < cols_; j += stride) {
      const double x = crisp((xs_[j] + xs_[j + 1]) / 2);
      canvas_.line({x, b}, {x, b + s_.tick_len - 1}, s_.line, kInk);
      canvas_.text({x, matrix_.bottom + s_.tick_len + s_.tick_gap + cap}, std::to_string(j + 1),
                   {.size = s_.tick_font, .color = kInk, .anchor = Anchor::middle});
    }
    const double baseline = matrix_.bottom + s_.tick_len + s_.tick_gap + cap + s_.label_gap +
                            canvas_.cap_height(s_.label_font);
    const double centre = (matrix_.left + matrix_.right) / 2;
    // Centred under the matrix, but kept inside the figure when the matrix is narrow.
    const std::string label =
        truncate_to(canvas_, "tested on task", s_.label_font, w_ - 2 * s_.pad);
    const double half = canvas_.text_width(label, s_.label_font) / 2;
    canvas_.text({std::clamp(centre, s_.pad + half, w_ - s_.pad - half), baseline}, label,
                 {.size = s_.label_font, .color = kInk, .anchor = Anchor::middle});
  }

  // Row numbers left of the matrix, and the rotated axis label.
  void draw_y_axis() {
    const double cap = canvas_.cap_height(s_.tick_font);
    const std::size_t stride = label_stride(cell_, 2.2 * cap);
    const double l = crisp(matrix_.left - 1);
    for (std::size_t i = 0; i < rows_; i += stride) {
      const double y = crisp((ys_[i] + ys_[i + 1]) / 2);
      canvas_.line({l - s_.tick_len + 1, y}, {l, y}, s_.line, kInk);
      canvas_.text({matrix_.left - s_.tick_len - s_.tick_gap, y + cap / 2}, row_label(i),
                   {.size = s_.tick_font, .color = kInk, .anchor = Anchor::end});
    }
    const std::array<std::string_view, 2> labels = {
        all_together_ ? "after training" : "after training task", "trained"};
    for (const std::string_view label : labels) {
      if (canvas_.text_width(std::string(label), s_.label_font) > matrix_.height()) continue;
      canvas_.text(
          {y_label_x_, (matrix_.top + matrix_.bottom) / 2}, std::string(label),
          {.size = s_.label_font, .color = kInk, .anchor = Anchor::middle, .vertical = true});
      break;
    }
  }

  // The colour map from 0 % (bottom) to 100 % (top) in thin slices, framed, with ticks at
  // 0, 50 and 100 % and its label to the right.
  void draw_colour_bar() {
    const double height = bar_.height();
    const auto slices = static_cast<std::size_t>(std::clamp(std::round(height), 2.0, 256.0));
    for (std::size_t k = 0; k < slices; ++k) {
      const double lo = static_cast<double>(k) / static_cast<double>(slices);
      const double hi = static_cast<double>(k + 1) / static_cast<double>(slices);
      const double y_hi = bar_.bottom - hi * height, y_lo = bar_.bottom - lo * height;
      // Each slice reaches half a pixel into the one above, so that no seam shows where
      // a viewer anti-aliases the edges of the SVG's rectangles.
      const double overlap = k + 1 < slices ? 0.5 : 0.0;
      canvas_.fill_rect(bar_.left, y_hi - overlap, bar_.width(), y_lo - y_hi + overlap,
                        accuracy_color((lo + hi) / 2));
    }
    draw_frame(canvas_, s_, bar_);
    const double cap = canvas_.cap_height(s_.tick_font);
    const double r = crisp(bar_.right - 1);
    double labels_right = 0.0;
    for (const int percent : {0, 50, 100}) {
      const double y =
          crisp(std::clamp(bar_.bottom - percent / 100.0 * height, bar_.top, bar_.bottom - 1));
      canvas_.line({r, y}, {r + s_.tick_len, y}, s_.line, kInk);
      const std::string label = std::to_string(percent);
      canvas_.text({bar_.right + s_.tick_len + s_.tick_gap, y + cap / 2}, label,
                   {.size = s_.tick_font, .color = kInk});
      labels_right = std::max(labels_right, canvas_.text_width(label, s_.tick_font));
    }
    const double label_x = bar_.right + s_.tick_len + s_.tick_gap + labels_right + s_.label_gap +
                           canvas_.cap_height(s_.label_font);
    for (const std::string_view label : {"accuracy (%)", "%"}) {
      if (canvas_.text_width(std::string(label), s_.label_font) > height) continue;
      canvas_.text(
          {label_x, (bar_.top + bar_.bottom) / 2}, std::string(label),
          {.size = s_.label_font, .color = kInk, .anchor = Anchor::middle, .vertical = true});
      break;
    }
  }

  void draw_titles() {
    const std::string title =
        truncate_to(canvas_, in_.title.empty() ? "Accuracy by task" : in_.title, s_.title_font,
                    w_ - 2 * s_.pad);
    // Over the matrix, unless that would push the title off the figure.
    const double half = canvas_.text_width(title, s_.title_font) / 2;
    const double centre =
        std::clamp((matrix_.left + matrix_.right) / 2, s_.pad + half, w_ - s_.pad - half);
    canvas_.text({centre, title_baseline_}, title,
                 {.size = s_.title_font, .color = kInk, .anchor = Anchor::middle, .bold = true});
    if (has_untrained()) {
      const double right = std::max(matrix_.right, bar_.right);
      const std::string note =
          truncate_to(canvas_, "pale cells: tasks not yet trained", s_.small_font, right - s_.pad);
      canvas_.text({right, note_baseline_}, note,
                   {.size = s_.small_font, .color = kMuted, .anchor = Anchor::end});
    }
  }

  const ContinualPlotInput& in_;
  Canvas& canvas_;
  int w_, h_;
  Style s_;

  std::size_t rows_ = 0, cols_ = 0;
  bool all_together_ = false;    ///< one row: every task trained at once
  double cell_ = 0;              ///< side of a cell
  std::vector<double> xs_, ys_;  ///< cell edges, whole pixels: cols_ + 1 and rows_ + 1
  Rect matrix_, bar_;
  double title_baseline_ = 0, note_baseline_ = 0, y_label_x_ = 0, bar_gap_ = 0, bar_width_ = 0;
};

}  // namespace

Color accuracy_color(double fraction) {
  const double t = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  const double at = t * static_cast<double>(kViridis.size() - 1);
  const auto k = std::min(static_cast<std::size_t>(at), kViridis.size() - 2);
  const double u = at - static_cast<double>(k);
  const auto mix = [u](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + (b - a) * u));
  };
  const Color a = kViridis[k], b = kViridis[k + 1];
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

Color washed_out(Color c, double amount) {
  const auto mix = [amount](std::uint8_t v) {
    return static_cast<std::uint8_t>(std::lround(v + (255 - v) * std::clamp(amount, 0.0, 1.0)));
  };
  return {mix(c.r), mix(c.g), mix(c.b)};
}

void draw_continual_figure(const ContinualPlotInput& input, Canvas& canvas, int width, int height) {
  ContinualLayout(input, canvas, width, height).draw();
}

}  // namespace plot

namespace {

/// "76.7" (one decimal); `sign` adds "+" to positive values. -0.0 prints as 0.0.
std::string one_decimal(double v, bool sign) {
  double rounded = std::round(v * 10.0) / 10.0;
  if (rounded == 0.0) rounded = 0.0;  // no "-0.0"
  char buf[32];
  std::snprintf(buf, sizeof buf, sign && rounded != 0.0 ? "%+.1f" : "%.1f", rounded);
  return buf;
}

/// "run.h5: digits, 5 permuted tasks, HLOP - ACC 76.7 %, BWT -6.8", from what the file
/// says (ACC in %, BWT in percentage points; no BWT when all tasks trained together).
std::string continual_title(const std::string& path, const ContinualResult& r) {
  std::string details;
  const auto add = [&](const std::string& part) {
    if (part.empty()) return;
    if (!details.empty()) details += ", ";
    details += part;
  };
  add(r.dataset);
  const std::size_t rows = r.accuracy.size();
  const std::size_t tasks = rows > 0 ? r.accuracy.front().size() : 0;
  const bool together = rows == 1 && tasks > 1;
  std::string schedule = std::to_string(tasks);
  if (!r.schedule.empty()) {
    schedule += ' ';
    schedule += r.schedule;
  }
  schedule += tasks == 1 ? " task" : " tasks";
  if (together) schedule += " trained together";
  add(schedule);
  if (r.hlop) add(*r.hlop ? "HLOP" : "without HLOP");

  std::string scores;
  if (rows > 0 && std::isfinite(r.acc)) {
    scores += "ACC ";
    scores += one_decimal(100.0 * r.acc, false);
    scores += " %";
  }
  if (rows > 1 && std::isfinite(r.bwt)) {
    if (!scores.empty()) scores += ", ";
    scores += "BWT ";
    scores += one_decimal(100.0 * r.bwt, true);
  }

  std::string title = std::filesystem::path(path).filename().string();
  title += ": ";
  title += details;
  if (!scores.empty()) {
    title += " - ";
    title += scores;
  }
  return title;
}

}  // namespace

std::optional<ContinualPlotInput> read_continual_plot_input(const std::string& path) {
  if (!has_continual_results(path)) return std::nullopt;
  const ContinualResult r = read_continual_file(path);
  ContinualPlotInput input;
  input.accuracy = r.accuracy;
  input.title = continual_title(path, r);
  return input;
}

}  // namespace spikeq::io
