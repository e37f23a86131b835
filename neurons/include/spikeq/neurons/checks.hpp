#pragma once
// Parameter checks shared by the models' derive() functions. Each failure names the
// population and the parameter, and never clamps silently.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "spikeq/core/errors.hpp"

namespace spikeq::neurons::checks {

[[noreturn]] inline void fail(const std::string& population, std::string_view param,
                              const std::string& requirement, double got,
                              std::string_view unit) {
  throw InvalidParameter("population '" + population + "': parameter '" + std::string(param) +
                         "' " + requirement + " (got " + spikeq::detail::format_number(got) +
                         (unit.empty() ? "" : " " + std::string(unit)) + ")");
}

inline void finite(const std::string& pop, std::string_view param, double v,
                   std::string_view unit) {
  if (!std::isfinite(v)) fail(pop, param, "must be finite", v, unit);
}

inline void positive(const std::string& pop, std::string_view param, double v,
                     std::string_view unit) {
  if (!(v > 0.0) || !std::isfinite(v)) fail(pop, param, "must be > 0", v, unit);
}

inline void non_negative(const std::string& pop, std::string_view param, double v,
                         std::string_view unit) {
  if (!(v >= 0.0) || !std::isfinite(v)) fail(pop, param, "must be >= 0", v, unit);
}

/// A refractory period as a whole number of steps of h ms, which the neuron counts down
/// in 32 bits: a longer one is an error, not a counter that wraps (and fires every few ms).
inline std::int32_t refractory_steps(const std::string& pop, double t_ref, double h) {
  const double steps = std::nearbyint(t_ref / h);
  if (!(steps <= 2147483647.0)) {
    fail(pop, "t_ref", "must be at most 2147483647 time steps (" +
                           spikeq::detail::format_number(2147483647.0 * h) + " ms at dt = " +
                           spikeq::detail::format_number(h) + " ms)",
         t_ref, "ms");
  }
  return static_cast<std::int32_t>(steps);
}

}  // namespace spikeq::neurons::checks
