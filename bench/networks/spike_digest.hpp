#pragma once
// A digest of recorded spikes for the benchmarks' bit-identity checks: FNV-1a over each
// record's count and its (step, id) pairs, in order. Two runs have equal digests exactly
// when (barring collisions) their spikes are equal.
#include <cstdint>
#include <vector>

#include "spikeq/core/recording.hpp"

namespace spikeq_bench {

inline std::uint64_t spike_digest(const std::vector<const spikeq::SpikeRecord*>& records) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto add = [&](std::uint64_t x) {
    for (int k = 0; k < 8; ++k) {
      h ^= (x >> (8 * k)) & 0xffu;
      h *= 0x100000001b3ull;
    }
  };
  for (const spikeq::SpikeRecord* s : records) {
    add(s->size());
    for (std::size_t k = 0; k < s->size(); ++k) {
      add(static_cast<std::uint64_t>(s->steps[k]));
      add(s->neurons[k]);
    }
  }
  return h;
}

}  // namespace spikeq_bench
