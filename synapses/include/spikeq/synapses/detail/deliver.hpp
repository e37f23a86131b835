#pragma once
// The one body that moves a spike into ring buffers; every backend calls it.
#include <cstdint>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail {

/// Raw pointers to the synapses of one projection into one target tile, for kernels.
struct TileSynapses {
  const std::uint64_t* row_ptr;    // n_source + 1
  const std::uint32_t* piece_end;  // [source][tile], from the row start
  std::uint32_t tile;
  std::uint32_t tiles;
  const SynapseEntry* entries;
  const float* weights;            // null when homogeneous
  Accum weight0;
  DelaySteps delay0;
  bool uniform_delay;
};

inline TileSynapses tile_synapses(const ProjectionCsr& c, std::uint32_t t) {
  return TileSynapses{c.row_ptr.data(),
                      c.piece_end.data(),
                      t,
                      c.tiles.count,
                      c.entries.data(),
                      c.homogeneous_weight ? nullptr : c.weights.data(),
                      to_fixed(c.weight0),
                      c.delay0,
                      c.uniform_delay};
}

/// Delivers the synapses of `source` into one tile. The source spiked in the update whose
/// ring slot is `slot` (of `slots`); a synapse of delay d lands in slot + d (mod slots).
/// `ring` points at the tile's first neuron in slot 0 of the target receptor; slots are
/// `slot_stride` apart.
template <bool HomogeneousWeight, bool UniformDelay>
SPIKEQ_HD inline void deliver_spike(const TileSynapses& c, std::uint32_t source,
                                    std::uint32_t slot, std::uint32_t slots, Accum* ring,
                                    std::uint64_t slot_stride) {
  const std::uint64_t row = c.row_ptr[source];
  const std::uint32_t* ends = c.piece_end + std::uint64_t{source} * c.tiles;
  const std::uint64_t begin = row + (c.tile == 0 ? 0 : ends[c.tile - 1]);
  const std::uint64_t end = row + ends[c.tile];
  auto weight = [&](std::uint64_t k) {
    if constexpr (HomogeneousWeight) {
      return c.weight0;
    } else {
      return to_fixed(c.weights[k]);
    }
  };
  if constexpr (UniformDelay) {
    std::uint32_t s = slot + c.delay0;
    s = s >= slots ? s - slots : s;
    Accum* slot_row = ring + s * slot_stride;
    for (std::uint64_t k = begin; k < end; ++k) slot_row[entry_offset(c.entries[k])] += weight(k);
  } else {
    for (std::uint64_t k = begin; k < end; ++k) {
      const SynapseEntry e = c.entries[k];
      std::uint32_t s = slot + entry_delay(e);
      s = s >= slots ? s - slots : s;
      ring[s * slot_stride + entry_offset(e)] += weight(k);
    }
  }
}

}  // namespace spikeq::detail
