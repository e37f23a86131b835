#pragma once
// Random connectivity in the storage layouts the bare loop times: a plain CSR (rows by
// source, each row sorted by target, a 32-bit target and a 32-bit float weight per
// synapse) and the same synapses as a target-tiled CSR of packed (delay, local target)
// entries.
#include <cstdint>
#include <vector>

namespace bare_loop {

struct SyntheticCsr {
  std::uint32_t neurons = 0;
  std::vector<std::uint64_t> row_ptr;  // neurons + 1 offsets
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;

  [[nodiscard]] std::uint64_t synapses() const { return targets.size(); }
  [[nodiscard]] std::uint64_t bytes() const {
    return row_ptr.size() * sizeof(std::uint64_t) + targets.size() * sizeof(std::uint32_t) +
           weights.size() * sizeof(float);
  }
};

/// `neurons` rows of exactly `row_length` uniformly drawn targets (Brunel's 12 500
/// neurons with 1 250 synapses per row by default), weights in [-0.5, 0.1) mV.
SyntheticCsr make_synthetic_csr(std::uint32_t neurons, std::uint32_t row_length,
                                std::uint64_t seed);

/// Targets are split in tiles of 65536 neurons so that a local index fits 16 bits.
inline constexpr std::uint32_t kTile = 1u << 16;

struct PackedCsr {
  std::uint32_t neurons = 0;
  std::uint32_t tiles = 0;
  /// Synapses of (source s, tile t) are [tile_ptr[s * tiles + t], tile_ptr[s * tiles + t + 1]).
  std::vector<std::uint64_t> tile_ptr;
  std::vector<std::uint32_t> entries;  // delay << 16 | (target - t * kTile)
  std::vector<float> weights;
  std::uint32_t max_delay = 0;  // steps

  [[nodiscard]] std::uint64_t bytes() const {
    return tile_ptr.size() * sizeof(std::uint64_t) + entries.size() * sizeof(std::uint32_t) +
           weights.size() * sizeof(float);
  }
};

/// The synapses of `c` with delays drawn uniformly in [delay_lo, delay_hi] steps, each
/// (source, tile) segment sorted by entry, i.e. by delay, then target.
PackedCsr make_packed_csr(const SyntheticCsr& c, std::uint32_t delay_lo,
                          std::uint32_t delay_hi, std::uint64_t seed);

}  // namespace bare_loop
