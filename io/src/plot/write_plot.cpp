// write_raster_plot and write_continual_plot: pick the back end from the extension, draw,
// write the file.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>

#include "continual_panels.hpp"
#include "figure.hpp"
#include "plot_data.hpp"
#include "png_encoder.hpp"
#include "raster_canvas.hpp"
#include "report_panels.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/pending_file.hpp"
#include "spikeq/io/plot.hpp"
#include "svg_canvas.hpp"
#include "weight_panels.hpp"

namespace spikeq::io {
namespace {

enum class Format { png, svg };

constexpr plot::Color kBackground{0xff, 0xff, 0xff};
// Large enough for print, small enough that a typo cannot ask for gigabytes.
constexpr int kMinSide = 200;
constexpr int kMaxSide = 16'000;

Format format_of(const std::string& path) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  std::string ext;
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  if (ext == "png") return Format::png;
  if (ext == "svg") return Format::svg;
  throw FileError("cannot write plot '" + path + "': the file name must end in .png or .svg");
}

void check_size(const char* what, long long v) {
  if (v < kMinSide || v > kMaxSide) {
    throw InvalidParameter("raster plot: " + std::string(what) + " " + std::to_string(v) +
                           " is outside " + std::to_string(kMinSide) + " to " +
                           std::to_string(kMaxSide) + " pixels");
  }
}

void write_file(const std::string& path, const std::string& bytes) {
  write_whole_file(path, bytes, "plot");
}

}  // namespace

void write_raster_plot(const RasterPlotInput& input, const std::string& path,
                       const PlotOptions& options) {
  const Format format = format_of(path);
  check_size("width", options.width);
  check_size("height", options.height);
  // Report and weight panels add rows below the raster figure, which itself stays as it
  // would be without them (but for room for the report rows' tick labels).
  const std::size_t report_rows = options.show_reports ? input.reports.size() : 0;
  const std::size_t rows = options.show_weights ? input.weights.size() : 0;
  const int report_height = report_rows > 0 ? plot::report_row_height(options) : 0;
  const int row_height = rows > 0 ? plot::weight_row_height(options) : 0;
  const auto check_row = [](const char* what, int v) {
    if (v < kMinSide / 2 || v > kMaxSide) {
      throw InvalidParameter("raster plot: " + std::string(what) + " row height " +
                             std::to_string(v) + " is outside " + std::to_string(kMinSide / 2) +
                             " to " + std::to_string(kMaxSide) + " pixels");
    }
  };
  if (report_rows > 0) check_row("report", report_height);
  if (rows > 0) check_row("weight", row_height);
  int height = options.height;
  if (report_rows > 0 || rows > 0) {
    const long long total = options.height + static_cast<long long>(report_rows) * report_height +
                            static_cast<long long>(rows) * row_height;
    check_size(rows > 0 ? "height with weight panels" : "height with report panels", total);
    height = static_cast<int>(total);
  }
  const auto draw = [&](plot::Canvas& canvas) {
    const plot::PlotData data = plot::prepare_plot(input, options, canvas.max_dots());
    const double tick_width =
        report_rows > 0 ? plot::report_tick_label_width(input, canvas, options.width,
                                                        options.height, report_height)
                        : 0.0;
    const plot::PanelColumns columns =
        plot::draw_figure(input, data, canvas, options.width, options.height, tick_width);
    if (report_rows > 0) {
      plot::draw_report_rows(input, canvas, options.width, options.height, options.height,
                             report_height, columns);
    }
    if (rows > 0) {
      plot::draw_weight_rows(input, canvas, options.width, options.height,
                             options.height + static_cast<double>(report_rows) * report_height,
                             row_height, columns);
    }
  };

  // Everything is rendered before the file is opened, so a failure leaves no stub behind.
  std::string bytes;
  if (format == Format::png) {
    plot::RasterCanvas canvas(options.width, height, kBackground);
    draw(canvas);
    bytes = plot::encode_png(canvas.image());
  } else {
    plot::SvgCanvas canvas(options.width, height, kBackground);
    draw(canvas);
    bytes = std::move(canvas).finish();
  }
  write_file(path, bytes);
}

void write_continual_plot(const ContinualPlotInput& input, const std::string& path,
                          const PlotOptions& options) {
  const Format format = format_of(path);
  check_size("width", options.width);
  check_size("height", options.height);
  // Everything is rendered before the file is opened, so a failure leaves no stub behind.
  std::string bytes;
  if (format == Format::png) {
    plot::RasterCanvas canvas(options.width, options.height, kBackground);
    plot::draw_continual_figure(input, canvas, options.width, options.height);
    bytes = plot::encode_png(canvas.image());
  } else {
    plot::SvgCanvas canvas(options.width, options.height, kBackground);
    plot::draw_continual_figure(input, canvas, options.width, options.height);
    bytes = std::move(canvas).finish();
  }
  write_file(path, bytes);
}

}  // namespace spikeq::io
