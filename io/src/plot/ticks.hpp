#pragma once
// Round numbers for axes and bins; the public part is declared in spikeq/io/plot.hpp.
#include <string>

#include "spikeq/io/plot.hpp"

namespace spikeq::io::plot {

/// The 1, 2 or 5 times a power of ten nearest to `v` on a log scale (v > 0).
[[nodiscard]] double nearest_nice(double v);

/// A tick label with as many decimals as `step` needs and no more ("0", "0.5", "200").
[[nodiscard]] std::string format_tick(double value, double step);

}  // namespace spikeq::io::plot
