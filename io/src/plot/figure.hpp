#pragma once
// The figure's layout: title, raster panel, rate panel, axes, ticks, labels and legend,
// drawn on any Canvas so that every format shows the same figure.
#include "canvas.hpp"
#include "plot_data.hpp"

namespace spikeq::io::plot {

void draw_figure(const RasterPlotInput& input, const PlotData& data, Canvas& canvas, int width,
                 int height);

}  // namespace spikeq::io::plot
