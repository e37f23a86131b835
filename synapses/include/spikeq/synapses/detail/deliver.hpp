#pragma once
// The one body that moves a spike into ring buffers; every backend calls it, host or
// device (SPIKEQ_HD). How a weight is added to a ring cell is a policy: a plain `+=` where
// the caller is the cell's only writer (the host backends: a tile's owner), an integer
// atomic add where many threads deliver into one tile at once (a device). Both add the
// same 64-bit fixed-point integers, so the sums are the same bits in any order.
#include <cstdint>
#include <type_traits>

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

/// Calls f(homogeneous, uniform), two std::bool_constant, with the compile-time variant of
/// deliver_spike that suits a projection's storage (one weight for all? one delay?).
template <typename F>
void with_delivery_variant(const ProjectionCsr& c, F&& f) {
  using T = std::true_type;
  using N = std::false_type;
  if (c.homogeneous_weight) {
    c.uniform_delay ? f(T{}, T{}) : f(T{}, N{});
  } else {
    c.uniform_delay ? f(N{}, T{}) : f(N{}, N{});
  }
}

/// Accumulation policy of the host backends: the caller is the only writer of the ring
/// columns it delivers into, so a plain add (which the delivery loops keep vectorisable).
struct PlainAccumulate {
  SPIKEQ_HD static void add(Accum* cell, Accum w) { *cell += w; }
};

/// An integer atomic add (32 or 64 bits), exact in any order: CUDA's atomicAdd on a device
/// (a signed value read as unsigned: two's complement gives the same bits), the compiler's
/// relaxed atomic add on a host.
template <typename T>
SPIKEQ_HD inline void atomic_add(T* cell, T value) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8);
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(T) == 8) {
    atomicAdd(reinterpret_cast<unsigned long long*>(cell), static_cast<unsigned long long>(value));
  } else {
    atomicAdd(reinterpret_cast<unsigned int*>(cell), static_cast<unsigned int>(value));
  }
#else
  __atomic_fetch_add(cell, value, __ATOMIC_RELAXED);
#endif
}

/// Accumulation policy for many concurrent writers: a 64-bit integer atomic add, so the
/// total does not depend on the order of the adds.
struct AtomicAccumulate {
  SPIKEQ_HD static void add(Accum* cell, Accum w) { atomic_add(cell, w); }
};

/// Delivers the synapses of `source` into one tile. The source spiked in the update whose
/// ring slot is `slot` (of `slots`); a synapse of delay d lands in slot + d (mod slots).
/// `ring` points at the tile's first neuron in slot 0 of the target receptor; slots are
/// `slot_stride` apart. `Accumulate::add(cell, w)` adds a weight (PlainAccumulate: the
/// caller owns the tile; AtomicAccumulate: other threads write it too). A piece may be
/// shared by `lanes` threads (a device warp): lane l adds synapses l, l + lanes, ...
template <bool HomogeneousWeight, bool UniformDelay, typename Accumulate = PlainAccumulate>
SPIKEQ_HD inline void deliver_spike(const TileSynapses& c, std::uint32_t source,
                                    std::uint32_t slot, std::uint32_t slots, Accum* ring,
                                    std::uint64_t slot_stride, std::uint32_t lane = 0,
                                    std::uint32_t lanes = 1) {
  const std::uint64_t row = c.row_ptr[source];
  const std::uint32_t* ends = c.piece_end + std::uint64_t{source} * c.tiles;
  const std::uint64_t begin = row + (c.tile == 0 ? 0 : ends[c.tile - 1]) + lane;
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
    for (std::uint64_t k = begin; k < end; k += lanes) {
      Accumulate::add(slot_row + entry_offset(c.entries[k]), weight(k));
    }
  } else {
    for (std::uint64_t k = begin; k < end; k += lanes) {
      const SynapseEntry e = c.entries[k];
      std::uint32_t s = slot + entry_delay(e);
      s = s >= slots ? s - slots : s;
      Accumulate::add(ring + (s * slot_stride + entry_offset(e)), weight(k));
    }
  }
}

}  // namespace spikeq::detail
