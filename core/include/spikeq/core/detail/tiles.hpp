#pragma once
// The fixed partition of a population into neuron tiles. Tiles are the unit of parallel
// work (one owner updates a tile's neurons and writes its ring columns) and of synapse
// storage (a projection keeps one CSR per target tile). The partition depends on the
// population size alone, never on the thread count, so every thread count runs the
// same per-tile work.
#include <algorithm>
#include <cstdint>

namespace spikeq::detail {

struct Tiling {
  std::uint32_t size = 0;   // neurons in the population
  std::uint32_t tile = 1;   // neurons per tile (the last tile may be shorter)
  std::uint32_t count = 0;  // tiles

  [[nodiscard]] std::uint32_t begin(std::uint32_t t) const { return t * tile; }
  [[nodiscard]] std::uint32_t end(std::uint32_t t) const { return std::min(size, (t + 1) * tile); }
  [[nodiscard]] std::uint32_t tile_of(std::uint32_t i) const { return i / tile; }
};

/// Most neurons in one tile: a target's offset in its tile is stored in 16 bits.
inline constexpr std::uint32_t kMaxTileNeurons = 65536;
/// Tiles per population for sizes up to 16 x kMaxTileNeurons: enough to balance load
/// over a handful of threads, few enough that per-tile row pointers stay small.
inline constexpr std::uint32_t kTargetTiles = 16;
/// Fewest neurons worth a tile of their own.
inline constexpr std::uint32_t kMinTileNeurons = 256;

constexpr Tiling tiling_of(std::uint32_t n) {
  if (n == 0) return Tiling{0, 1, 0};
  const std::uint64_t size = n;
  const std::uint64_t wanted =
      std::clamp<std::uint64_t>((size + kMinTileNeurons - 1) / kMinTileNeurons, 1, kTargetTiles);
  // Multiples of 8 neurons: a tile's 64-bit ring columns start on a cache line.
  const std::uint64_t tile =
      std::min<std::uint64_t>(((size + wanted - 1) / wanted + 7) / 8 * 8, kMaxTileNeurons);
  return Tiling{n, static_cast<std::uint32_t>(tile),
                static_cast<std::uint32_t>((size + tile - 1) / tile)};
}

}  // namespace spikeq::detail
