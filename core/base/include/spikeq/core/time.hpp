#pragma once
// Simulated time is an integer count of steps of length dt (ms).
//
// Step u of the update loop advances the state from time u*dt to (u+1)*dt. A spike
// produced by that update is stamped at the end of the step, grid step S = u + 1,
// as in NEST. With a delay of d steps it arrives at grid step S + d: every target
// consumes it in its update u + d, and a model adds it to its state at time (S+d)*dt.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "spikeq/core/errors.hpp"

namespace spikeq {

using Step = std::int64_t;

/// Most steps a time may span (2^62).
inline constexpr double kMaxSteps = 4611686018427387904.0;

/// Converts a duration in ms to whole steps; throws if it is not a multiple of dt
/// (within a relative tolerance that absorbs decimal round-off such as 0.1 ms), or spans
/// 2^62 steps or more.
inline Step duration_to_steps(double ms, double dt, const std::string& what) {
  if (!(ms >= 0.0) || !std::isfinite(ms)) {
    throw InvalidParameter(what + " must be a finite, non-negative time in ms (got " +
                           detail::format_number(ms) + ")");
  }
  const double exact = ms / dt;
  const double rounded = std::nearbyint(exact);
  if (std::fabs(exact - rounded) > 1e-6 * std::max(1.0, rounded)) {
    throw InvalidParameter(what + " = " + detail::format_number(ms) +
                           " ms is not a multiple of the time step dt = " +
                           detail::format_number(dt) + " ms");
  }
  // Steps are counted in 64 bits, with room for sums of a start and a duration.
  if (!(rounded < kMaxSteps)) {
    throw InvalidParameter(what + " = " + detail::format_number(ms) + " ms is " +
                           detail::format_number(rounded) + " steps of " + detail::format_number(dt) +
                           " ms; at most 2^62 are counted");
  }
  return static_cast<Step>(rounded);
}

/// Rounds a time in ms to the nearest number of steps (delays, refractory periods).
inline Step round_to_steps(double ms, double dt) {
  return static_cast<Step>(std::nearbyint(ms / dt));
}

}  // namespace spikeq
