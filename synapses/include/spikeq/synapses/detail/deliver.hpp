#pragma once
// The one body that moves a spike into ring buffers; every backend calls it.
#include <cstdint>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail {

/// Raw pointers to the synapses of one projection into one target tile, for kernels.
struct TileSynapses {
  const std::uint32_t* row_ptr;  // n_source + 1 offsets from `entries`
  const SynapseEntry* entries;
  const float* weights;          // null when homogeneous
  Accum weight0;
  DelaySteps delay0;
  bool uniform_delay;
};

inline TileSynapses tile_synapses(const ProjectionCsr& c, std::uint32_t t) {
  const std::uint64_t start = c.tile_start[t];
  return TileSynapses{c.row_ptr.data() + static_cast<std::size_t>(t) * (c.n_source + 1),
                      c.entries.data() + start,
                      c.homogeneous_weight ? nullptr : c.weights.data() + start,
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
  const std::uint32_t begin = c.row_ptr[source];
  const std::uint32_t end = c.row_ptr[source + 1];
  auto weight = [&](std::uint32_t k) {
    if constexpr (HomogeneousWeight) {
      return c.weight0;
    } else {
      return to_fixed(c.weights[k]);
    }
  };
  if constexpr (UniformDelay) {
    std::uint32_t s = slot + c.delay0;
    s = s >= slots ? s - slots : s;
    Accum* row = ring + s * slot_stride;
    for (std::uint32_t k = begin; k < end; ++k) row[entry_offset(c.entries[k])] += weight(k);
  } else {
    for (std::uint32_t k = begin; k < end; ++k) {
      const SynapseEntry e = c.entries[k];
      std::uint32_t s = slot + entry_delay(e);
      s = s >= slots ? s - slots : s;
      ring[s * slot_stride + entry_offset(e)] += weight(k);
    }
  }
}

}  // namespace spikeq::detail
