#pragma once
// Spike emission, the one body for every backend, host or device (SPIKEQ_HD): a step's
// fired flags (one byte per neuron, written by the update) become the spike list in the
// canonical order (step, then neuron id), and a replayed population's flags are set from
// its window of recorded spikes. The host backends append one range's spikes in order
// (for_each_fired); a device counts each tile's spikes (count_fired), scans the counts in
// tile order and lets every tile write its own part (write_fired): a stable compaction,
// so the list is the host's, element for element.
#include <cstdint>
#include <cstring>

#include "spikeq/core/config.hpp"
#include "spikeq/core/time.hpp"

namespace spikeq::detail {

/// Calls f(i) for every neuron i in [i0, i1) whose flag is set, in increasing i. Spikes
/// are rare: the flags are tested eight at a time, and only non-zero words closer.
template <typename F>
SPIKEQ_HD inline void for_each_fired(const std::uint8_t* fired, std::uint32_t i0,
                                     std::uint32_t i1, F&& f) {
  std::uint32_t i = i0;
  for (; i < i1 && i % 8 != 0; ++i) {
    if (fired[i]) f(i);
  }
  for (; i + 8 <= i1; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, fired + i, sizeof word);
    if (word == 0) continue;
    for (std::uint32_t j = i; j < i + 8; ++j) {
      if (fired[j]) f(j);
    }
  }
  for (; i < i1; ++i) {
    if (fired[i]) f(i);
  }
}

/// How many neurons of [i0, i1) fired: the length of the range's part of the list.
SPIKEQ_HD inline std::uint32_t count_fired(const std::uint8_t* fired, std::uint32_t i0,
                                           std::uint32_t i1) {
  std::uint32_t n = 0;
  for_each_fired(fired, i0, i1, [&](std::uint32_t) { ++n; });
  return n;
}

/// Writes the spikes of [i0, i1), stamped `stamp` (grid step u + 1 of update u), to
/// steps[0..n) and ids[0..n) in id order and returns n. Ranges written at the exclusive
/// prefix sums of their count_fired, in range order, give the canonical list.
SPIKEQ_HD inline std::uint32_t write_fired(const std::uint8_t* fired, std::uint32_t i0,
                                           std::uint32_t i1, Step stamp, Step* steps,
                                           std::uint32_t* ids) {
  std::uint32_t n = 0;
  for_each_fired(fired, i0, i1, [&](std::uint32_t i) {
    steps[n] = stamp;
    ids[n] = i;
    ++n;
  });
  return n;
}

/// A replayed (or clamped) population's update u: clears the flags of [i0, i1), then
/// sets those of the neurons whose recorded spikes are stamped u + 1. The window holds
/// the events of stamps first, first + 1, ... sorted by (stamp, neuron), those of stamp
/// first + k at neurons[offsets[k], offsets[k + 1]) (n_offsets = stamps + 1); the range's
/// first event is found by binary search, so ranges (tiles) are independent.
SPIKEQ_HD inline void mark_replayed(const std::uint64_t* offsets, std::uint64_t n_offsets,
                                    const std::uint32_t* neurons, Step first, Step u,
                                    std::uint8_t* fired, std::uint32_t i0, std::uint32_t i1) {
  for (std::uint32_t i = i0; i < i1; ++i) fired[i] = 0;
  const Step k = u + 1 - first;
  if (k < 0 || k + 1 >= static_cast<Step>(n_offsets)) return;
  std::uint64_t lo = offsets[k];
  std::uint64_t hi = offsets[k + 1];
  const std::uint64_t end = hi;
  while (lo < hi) {  // the first event of the stamp with neuron >= i0 (std::lower_bound)
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (neurons[mid] < i0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (; lo < end && neurons[lo] < i1; ++lo) fired[neurons[lo]] = 1;
}

}  // namespace spikeq::detail
