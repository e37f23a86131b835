#pragma once
// The weight panels below the rates: per recorded projection one row with a histogram of
// the weights at the first and last snapshot (left) and the weights over time (right).
#include "canvas.hpp"
#include "figure_parts.hpp"
#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

/// Height of one row of weight panels: options.weight_row_height, or by default 0.42 of
/// the raster figure's height (336 pixels for 800), at least 120.
[[nodiscard]] int weight_row_height(const PlotOptions& options);

/// Draws one row per entry of input.weights, the first starting at y = `top`; `height` is
/// the raster figure's height (the sizes of text and lines follow width and height, as in
/// the raster figure), `columns` where its panels lie.
void draw_weight_rows(const RasterPlotInput& input, Canvas& canvas, int width, int height,
                      double top, int row_height, const PanelColumns& columns);

}  // namespace spikeq::io::plot
