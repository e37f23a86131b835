#pragma once
// Synaptic input is accumulated in 64-bit fixed point (32 fractional bits).
// Integer addition is associative, so the sum a neuron receives in a step is
// bit-identical whatever the order of delivery: serial, threads or GPU.
#include <cstdint>

#include "spikeq/core/config.hpp"

namespace spikeq::detail {

using Accum = std::int64_t;

inline constexpr double kFixedScale = 0x1p32;
inline constexpr double kFixedInvScale = 0x1p-32;
/// Largest weight magnitude that converts without overflow, with headroom for sums.
inline constexpr double kMaxFixedWeight = 0x1p30;
/// Most Poisson spikes an input may expect per step (its draws are 32-bit counts).
inline constexpr double kMaxPoissonPerStep = 1e6;

/// Conversion truncates towards zero, the same on every backend.
SPIKEQ_HD inline Accum to_fixed(float w) {
  return static_cast<Accum>(static_cast<double>(w) * kFixedScale);
}

SPIKEQ_HD inline double from_fixed(Accum a) { return static_cast<double>(a) * kFixedInvScale; }

}  // namespace spikeq::detail
