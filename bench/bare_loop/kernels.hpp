#pragma once
// The delivery loop with nothing around it: one spike streams its CSR row into ring-buffer
// rows. Each kernel is what an ideal engine would run per spike; the variants isolate the
// cost of the fixed-point conversion, of the weight stream and of per-synapse delays.
//
// Deliberately self-contained (no spikeq header): this is the yardstick for spikeq's own
// kernels, so it must not change when they do.
#include <cstdint>

namespace bare_loop {

/// spikeq's accumulation scheme: int64 fixed point with 32 fractional bits, w * 2^32
/// truncated towards zero (integer sums do not depend on the order of delivery).
inline std::int64_t to_fixed(float w) {
  return static_cast<std::int64_t>(static_cast<double>(w) * 0x1p32);
}

/// Fixed-point accumulation with a per-synapse float weight, every synapse of the row
/// into one ring row (a projection with one delay).
inline void deliver_fixed(std::int64_t* row, const std::uint32_t* targets, const float* weights,
                          std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) row[targets[k]] += to_fixed(weights[k]);
}

/// One weight for the whole projection (CUBA, COBA, Brunel): no weight stream.
inline void deliver_fixed_homogeneous(std::int64_t* row, const std::uint32_t* targets,
                                      std::int64_t weight, std::uint64_t begin,
                                      std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) row[targets[k]] += weight;
}

/// Plain float accumulation (what Brian2 and most simulators do, in double or float):
/// half the ring footprint, no conversion, but sums depend on delivery order.
inline void deliver_float(float* row, const std::uint32_t* targets, const float* weights,
                          std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) row[targets[k]] += weights[k];
}

/// Packed entries of a target-tiled CSR: one 32-bit word per synapse, the delay in steps
/// in the top 16 bits and the target's index within its tile of 65536 neurons in the
/// bottom 16. rows[d] is the ring row that a synapse of delay d lands in (already
/// rotated by the current slot), `tile_base` the first neuron of the tile. Per-synapse
/// delays cost no grouping of the row, only one more load per synapse (rows[] is tiny).
inline void deliver_packed(std::int64_t* const* rows, std::uint32_t tile_base,
                           const std::uint32_t* entries, const float* weights,
                           std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) {
    const std::uint32_t e = entries[k];
    rows[e >> 16][tile_base + (e & 0xffffu)] += to_fixed(weights[k]);
  }
}

}  // namespace bare_loop
