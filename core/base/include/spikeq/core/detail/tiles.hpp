#pragma once
// The fixed partition of a population into neuron tiles. Tiles are the unit of parallel
// work (one owner updates a tile's neurons and writes its ring columns) and of synapse
// storage (a projection keeps one CSR per target tile). The partition depends on the
// population size alone, never on the thread count, so every thread count runs the
// same per-tile work.
#include <algorithm>
#include <cstdint>

#include "spikeq/core/config.hpp"

namespace spikeq::detail {

struct Tiling {
  std::uint32_t size = 0;   // neurons in the population
  std::uint32_t tile = 1;   // neurons per tile (the last tile may be shorter)
  std::uint32_t count = 0;  // tiles

  // Host and device code (a device kernel gets its tiles by value).
  [[nodiscard]] SPIKEQ_HD std::uint32_t begin(std::uint32_t t) const { return t * tile; }
  [[nodiscard]] SPIKEQ_HD std::uint32_t end(std::uint32_t t) const {
    const std::uint32_t e = (t + 1) * tile;
    return e < size ? e : size;
  }
  [[nodiscard]] SPIKEQ_HD std::uint32_t tile_of(std::uint32_t i) const { return i / tile; }
};

/// Most neurons in one tile: a target's offset in its tile is stored in 16 bits.
inline constexpr std::uint32_t kMaxTileNeurons = 65536;
/// Tiles per population for sizes up to 16 x kMaxTileNeurons: enough to balance load
/// over a handful of threads, few enough that per-tile row pointers stay small.
inline constexpr std::uint32_t kTargetTiles = 16;
/// Fewest neurons worth a tile of their own: each tile costs a few nanoseconds per step
/// and per spike that reaches it.
inline constexpr std::uint32_t kMinTileNeurons = 512;
/// Ring bytes a tile should not exceed: its owner writes them at random while it
/// delivers, so they should stay in a core's L2 cache. Long delays make rings deep
/// (one slot per step of the longest delay), and then tiles narrower...
inline constexpr std::uint64_t kTileRingBytes = 1024 * 1024;
/// ... but never more tiles than this, which bounds the per-tile row offsets.
inline constexpr std::uint32_t kMaxTiles = 64;

/// The tiles of a population of n neurons whose rings take `ring_bytes_per_neuron`
/// (receptors x slots x 8 B; 0 if unknown).
constexpr Tiling tiling_of(std::uint32_t n, std::uint64_t ring_bytes_per_neuron = 0) {
  if (n == 0) return Tiling{0, 1, 0};
  const std::uint64_t size = n;
  // Multiples of 8 neurons: a tile's 64-bit ring columns start on a cache line.
  auto round8 = [](std::uint64_t x) { return (x + 7) / 8 * 8; };
  const std::uint64_t wanted =
      std::clamp<std::uint64_t>((size + kMinTileNeurons - 1) / kMinTileNeurons, 1, kTargetTiles);
  std::uint64_t tile = round8((size + wanted - 1) / wanted);
  if (ring_bytes_per_neuron > 0) {
    const std::uint64_t fits = std::max<std::uint64_t>(64, kTileRingBytes / ring_bytes_per_neuron / 8 * 8);
    tile = std::max(std::min(tile, fits), round8((size + kMaxTiles - 1) / kMaxTiles));
  }
  tile = std::min<std::uint64_t>(tile, kMaxTileNeurons);
  return Tiling{n, static_cast<std::uint32_t>(tile),
                static_cast<std::uint32_t>((size + tile - 1) / tile)};
}

}  // namespace spikeq::detail
