#include "ticks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace spikeq::io {

double nice_tick_step(double span, int max_intervals) {
  if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
  const double raw = span / std::max(1, max_intervals);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    // The tolerance keeps 1000 / 5 at 200 despite rounding in log10 and pow.
    if (m * magnitude >= raw * (1.0 - 1e-9)) return m * magnitude;
  }
  return 10.0 * magnitude;
}

std::vector<double> nice_ticks(double lo, double hi, int max_intervals) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return ticks;
  const double step = nice_tick_step(hi - lo, max_intervals);
  const double tolerance = step * 1e-9;
  // Ticks as integer multiples of the step, so that no rounding error accumulates.
  const auto first = static_cast<long long>(std::ceil((lo - tolerance) / step));
  for (long long k = first;; ++k) {
    const double v = static_cast<double>(k) * step;
    if (v > hi + tolerance) break;
    ticks.push_back(v);
  }
  return ticks;
}

namespace plot {

double nearest_nice(double v) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
  double best = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (std::abs(std::log(m * magnitude / v)) < std::abs(std::log(best / v))) {
      best = m * magnitude;
    }
  }
  return best;
}

std::string format_tick(double value, double step) {
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::abs(value) < step * 1e-6) value = 0.0;  // no "-0"
  std::array<char, 64> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                       std::chars_format::fixed, std::clamp(decimals, 0, 15));
  if (ec != std::errc{}) return "?";
  return {buf.data(), end};
}

}  // namespace plot
}  // namespace spikeq::io
