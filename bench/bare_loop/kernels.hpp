#pragma once
// The delivery loop with nothing around it: one spike streams its CSR row into one
// ring-buffer row. Each kernel is what an ideal engine would run per spike; the
// variants isolate the cost of the fixed-point conversion and of the weight stream.
#include <cstdint>

#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

namespace bare_loop {

/// spikeq's accumulation: int64 fixed point, w * 2^32 truncated (order-independent sums).
inline void deliver_fixed(std::int64_t* row, const std::uint32_t* targets, const float* weights,
                          std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t k = begin; k < end; ++k) {
    row[targets[k]] += static_cast<std::int64_t>(static_cast<double>(weights[k]) * 0x1p32);
  }
}

/// One weight for the whole projection (spikeq's path for CUBA and COBA): no weight stream.
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

/// spikeq's own kernel from its header, to tell the kernel apart from the engine.
inline void deliver_spikeq(std::int64_t* row, const std::uint32_t* targets, const float* weights,
                           std::uint64_t begin, std::uint64_t end) {
  spikeq::detail::deliver_group<false>(row, targets, weights, 0, begin, end);
}

}  // namespace bare_loop
