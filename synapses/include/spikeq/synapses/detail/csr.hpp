#pragma once
// Compact synapse storage of one projection: rows by source neuron, each row cut into
// pieces by target tile (tiles.hpp), each piece sorted by (delay, target). A synapse is
// one 32-bit entry, its delay in steps in the high 16 bits and the target's offset inside
// its tile in the low 16 bits, plus a 32-bit weight unless the projection has a single
// weight. A tile's owner delivers only its pieces, so every ring column has one writer
// and delivery runs in parallel without atomics; a row's pieces stay next to each other,
// so the tiles of one spike share its cache lines. Keeping the delay in the entry costs
// nothing and makes heterogeneous delays as compact as uniform ones.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/tiles.hpp"

namespace spikeq::detail {

using DelaySteps = std::uint16_t;
/// Longest delay a synapse entry can hold, in steps.
inline constexpr std::uint32_t kMaxDelaySteps = 65535;

using SynapseEntry = std::uint32_t;
SPIKEQ_HD constexpr SynapseEntry pack_entry(DelaySteps delay, std::uint32_t offset) {
  return (static_cast<SynapseEntry>(delay) << 16) | offset;
}
SPIKEQ_HD constexpr DelaySteps entry_delay(SynapseEntry e) {
  return static_cast<DelaySteps>(e >> 16);
}
SPIKEQ_HD constexpr std::uint32_t entry_offset(SynapseEntry e) { return e & 0xffffu; }

struct ProjectionCsr {
  std::uint32_t n_source = 0;
  Tiling tiles;                          // of the target population (tiles.size neurons)
  std::vector<std::uint64_t> row_ptr;    // n_source + 1 offsets into entries/weights
  std::vector<std::uint32_t> piece_end;  // [source][tile]: end of the piece, from row start
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
  /// Synapses [piece_begin, piece_end) of source s into tile t.
  [[nodiscard]] std::uint64_t piece_begin(std::uint32_t s, std::uint32_t t) const {
    return row_ptr[s] + (t == 0 ? 0 : piece_end[std::uint64_t{s} * tiles.count + t - 1]);
  }
  [[nodiscard]] std::uint64_t piece_stop(std::uint32_t s, std::uint32_t t) const {
    return row_ptr[s] + piece_end[std::uint64_t{s} * tiles.count + t];
  }
  [[nodiscard]] std::size_t bytes() const {
    return row_ptr.size() * sizeof(std::uint64_t) + piece_end.size() * sizeof(std::uint32_t) +
           entries.size() * sizeof(SynapseEntry) + weights.size() * sizeof(float);
  }
};

/// Calls f(source, target, delay, k) for every synapse (k indexes weight(k)), by source,
/// then tile, then (delay, target).
template <typename F>
void for_each_synapse(const ProjectionCsr& c, F&& f) {
  for (std::uint32_t s = 0; s < c.n_source; ++s) {
    for (std::uint32_t t = 0; t < c.tiles.count; ++t) {
      const std::uint32_t base = c.tiles.begin(t);
      for (std::uint64_t k = c.piece_begin(s, t); k < c.piece_stop(s, t); ++k) {
        f(s, base + entry_offset(c.entries[k]), entry_delay(c.entries[k]), k);
      }
    }
  }
}

}  // namespace spikeq::detail
