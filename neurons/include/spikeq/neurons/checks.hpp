#pragma once
// Parameter checks shared by the models' derive() functions. Each failure names the
// population and the parameter, and never clamps silently.
#include <cmath>
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

}  // namespace spikeq::neurons::checks
