#pragma once
// The figure's layout: title, raster panel, rate panel, axes, ticks, labels and legend,
// drawn on any Canvas so that every format shows the same figure.
#include "canvas.hpp"
#include "figure_parts.hpp"
#include "plot_data.hpp"

namespace spikeq::io::plot {

/// Draws the raster figure in the top `height` rows of the canvas; returns where its
/// panels lie, for the panels below to line up with them. The y tick labels get at least
/// `min_tick_label_width`, so that panels below sharing the left edge fit theirs.
PanelColumns draw_figure(const RasterPlotInput& input, const PlotData& data, Canvas& canvas,
                         int width, int height, double min_tick_label_width = 0.0);

}  // namespace spikeq::io::plot
