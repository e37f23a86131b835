#pragma once
// Compact synapse storage of one projection, split by target tile: for each tile of the
// target population, rows by source neuron, each row sorted by (delay, target). A
// synapse is one 32-bit entry, its delay in steps in the high 16 bits and the target's
// offset inside its tile in the low 16 bits, plus a 32-bit weight unless the projection
// has a single weight. Splitting by target tile gives every ring column one writer
// (the tile's owner), so delivery runs in parallel without atomics; keeping the delay
// per synapse costs nothing extra and makes heterogeneous delays as compact as uniform
// ones.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spikeq/core/detail/tiles.hpp"

namespace spikeq::detail {

using DelaySteps = std::uint16_t;
/// Longest delay a synapse entry can hold, in steps.
inline constexpr std::uint32_t kMaxDelaySteps = 65535;

using SynapseEntry = std::uint32_t;
constexpr SynapseEntry pack_entry(DelaySteps delay, std::uint32_t offset) {
  return (static_cast<SynapseEntry>(delay) << 16) | offset;
}
constexpr DelaySteps entry_delay(SynapseEntry e) { return static_cast<DelaySteps>(e >> 16); }
constexpr std::uint32_t entry_offset(SynapseEntry e) { return e & 0xffffu; }

struct ProjectionCsr {
  std::uint32_t n_source = 0;
  std::uint32_t n_target = 0;
  Tiling tiles;                          // of the target population
  std::vector<std::uint64_t> tile_start; // tiles.count + 1 offsets into entries/weights
  std::vector<std::uint32_t> row_ptr;    // per tile n_source + 1 offsets, from tile_start[t]
  std::vector<SynapseEntry> entries;
  std::vector<float> weights;            // empty when homogeneous_weight
  float weight0 = 0.0f;
  bool homogeneous_weight = false;
  bool uniform_delay = true;
  DelaySteps delay0 = 1;                 // the delay when uniform_delay

  [[nodiscard]] std::uint64_t size() const { return entries.size(); }
  [[nodiscard]] float weight(std::uint64_t k) const {
    return homogeneous_weight ? weight0 : weights[k];
  }
  /// Synapses [row_begin, row_end) of source s into tile t.
  [[nodiscard]] std::uint64_t row_begin(std::uint32_t t, std::uint32_t s) const {
    return tile_start[t] + row_ptr[static_cast<std::size_t>(t) * (n_source + 1) + s];
  }
  [[nodiscard]] std::uint64_t row_end(std::uint32_t t, std::uint32_t s) const {
    return row_begin(t, s + 1);
  }
  [[nodiscard]] std::size_t bytes() const {
    return tile_start.size() * sizeof(std::uint64_t) + row_ptr.size() * sizeof(std::uint32_t) +
           entries.size() * sizeof(SynapseEntry) + weights.size() * sizeof(float);
  }
};

/// Calls f(source, target, delay, k) for every synapse (k indexes weight(k)), tile by
/// tile, then by source, then by (delay, target).
template <typename F>
void for_each_synapse(const ProjectionCsr& c, F&& f) {
  for (std::uint32_t t = 0; t < c.tiles.count; ++t) {
    const std::uint32_t base = c.tiles.begin(t);
    for (std::uint32_t s = 0; s < c.n_source; ++s) {
      for (std::uint64_t k = c.row_begin(t, s); k < c.row_end(t, s); ++k) {
        f(s, base + entry_offset(c.entries[k]), entry_delay(c.entries[k]), k);
      }
    }
  }
}

}  // namespace spikeq::detail
