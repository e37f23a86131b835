#pragma once
// The figure of a continual-learning result: the accuracy matrix as a heat map, rows
// "after training task i" top to bottom, columns "tested on task j" left to right, every
// cell coloured by its accuracy on a fixed 0 to 100 % scale (a viridis-like sequential
// map) with the value in whole percent printed in it, in dark ink or white, whichever
// contrasts more with the cell. Cells above the diagonal (tasks not yet trained when they
// were tested) use the same map washed out toward white, with their values in regular
// rather than bold type; a note under the title says so. A colour bar with ticks at 0, 50
// and 100 % stands at the right. Title, fonts, colours and sizes are those of the raster
// figure (figure_parts.hpp).
#include "canvas.hpp"
#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

/// The heat map's colour of an accuracy fraction: 0 dark purple, 0.5 teal, 1 yellow
/// (viridis sampled at nine points and interpolated); outside [0, 1] clamped.
[[nodiscard]] Color accuracy_color(double fraction);

/// `c` washed out toward white: amount 0 leaves it, 1 gives white.
[[nodiscard]] Color washed_out(Color c, double amount);

/// How much of the way to white the cells above the diagonal are washed out.
inline constexpr double kUntrainedWash = 0.6;

/// Draws the heat map of `input` on the whole width x height canvas. Throws
/// spikeq::InvalidParameter if the rows differ in length or the cells would be under two
/// pixels.
void draw_continual_figure(const ContinualPlotInput& input, Canvas& canvas, int width, int height);

}  // namespace spikeq::io::plot
