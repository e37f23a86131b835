#pragma once
// The one body that moves a spike into ring buffers; every backend calls it.
#include <cstdint>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail {

/// Adds synapses [begin, end) of a row into one ring row (one slot of one receptor).
template <bool HomogeneousWeight>
SPIKEQ_HD inline void deliver_group(Accum* ring_row, const std::uint32_t* targets,
                                    const float* weights, Accum weight0, std::uint64_t begin,
                                    std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) {
    if constexpr (HomogeneousWeight) {
      ring_row[targets[k]] += weight0;
    } else {
      ring_row[targets[k]] += to_fixed(weights[k]);
    }
  }
}

/// Raw pointers to one projection's storage, for kernels.
struct CsrView {
  const std::uint64_t* row_ptr;
  const std::uint32_t* targets;
  const float* weights;
  Accum weight0;
  const std::uint64_t* group_ptr;
  const DelaySteps* group_delay;
  const std::uint32_t* group_end;
  DelaySteps delay0;
  bool homogeneous_weight;
  bool uniform_delay;
};

inline CsrView view_of(const ProjectionCsr& c) {
  return CsrView{c.row_ptr.data(),   c.targets.data(),     c.weights.data(),
                 to_fixed(c.weight0), c.group_ptr.data(),  c.group_delay.data(),
                 c.group_end.data(),  c.delay0,            c.homogeneous_weight,
                 c.uniform_delay};
}

/// Delivers every synapse of `source`, which spiked in the update whose ring slot is
/// `slot` (of `slots`): a synapse of delay d lands in slot + d (mod slots).
/// `ring` points at slot 0 of the target receptor; rows are `row_stride` apart.
template <bool HomogeneousWeight>
SPIKEQ_HD inline void deliver_spike(const CsrView& c, std::uint32_t source, std::uint32_t slot,
                                    std::uint32_t slots, Accum* ring, std::uint64_t row_stride) {
  const std::uint64_t begin = c.row_ptr[source];
  const std::uint64_t end = c.row_ptr[source + 1];
  if (c.uniform_delay) {
    std::uint32_t s = slot + c.delay0;
    s = s >= slots ? s - slots : s;
    deliver_group<HomogeneousWeight>(ring + s * row_stride, c.targets, c.weights, c.weight0,
                                     begin, end);
    return;
  }
  std::uint64_t from = begin;
  for (std::uint64_t g = c.group_ptr[source]; g < c.group_ptr[source + 1]; ++g) {
    std::uint32_t s = slot + c.group_delay[g];
    s = s >= slots ? s - slots : s;
    const std::uint64_t to = begin + c.group_end[g];
    deliver_group<HomogeneousWeight>(ring + s * row_stride, c.targets, c.weights, c.weight0,
                                     from, to);
    from = to;
  }
}

}  // namespace spikeq::detail
