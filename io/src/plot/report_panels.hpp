#pragma once
// The state-report rows below the rates: per report one panel with the variable over time,
// on the raster's time axis (same range and ticks, same left and right edges).
#include "canvas.hpp"
#include "figure_parts.hpp"
#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

/// Height of one report row: options.report_row_height, or by default 0.35 of the raster
/// figure's height (280 pixels for 800), at least 120.
[[nodiscard]] int report_row_height(const PlotOptions& options);

/// The width the report rows' y tick labels need, for the raster figure to leave room for
/// them (the rows share its left edge); arguments as for draw_report_rows.
[[nodiscard]] double report_tick_label_width(const RasterPlotInput& input, Canvas& canvas,
                                             int width, int height, int row_height);

/// Draws one row per entry of input.reports, the first starting at y = `top`; `height` is
/// the raster figure's height (the sizes of text and lines follow width and height, as in
/// the raster figure), `columns` where its panels and time axis lie.
void draw_report_rows(const RasterPlotInput& input, Canvas& canvas, int width, int height,
                      double top, int row_height, const PanelColumns& columns);

}  // namespace spikeq::io::plot
