#include "synthetic_csr.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

namespace bare_loop {

SyntheticCsr make_synthetic_csr(std::uint32_t neurons, std::uint32_t row_length,
                                std::uint64_t seed) {
  SyntheticCsr c;
  c.neurons = neurons;
  const std::uint64_t n = std::uint64_t{neurons} * row_length;
  c.row_ptr.resize(std::uint64_t{neurons} + 1);
  c.targets.resize(n);
  c.weights.resize(n);
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<std::uint32_t> target(0, neurons - 1);
  std::uniform_real_distribution<float> weight(-0.5f, 0.1f);
  for (std::uint32_t s = 0; s < neurons; ++s) {
    const std::uint64_t begin = std::uint64_t{s} * row_length;
    c.row_ptr[s] = begin;
    for (std::uint64_t k = begin; k < begin + row_length; ++k) {
      c.targets[k] = target(gen);
      c.weights[k] = weight(gen);
    }
    std::sort(c.targets.begin() + static_cast<std::ptrdiff_t>(begin),
              c.targets.begin() + static_cast<std::ptrdiff_t>(begin + row_length));
  }
  c.row_ptr[neurons] = n;
  return c;
}

PackedCsr make_packed_csr(const SyntheticCsr& c, std::uint32_t delay_lo,
                          std::uint32_t delay_hi, std::uint64_t seed) {
  if (delay_lo < 1 || delay_hi < delay_lo || delay_hi > 0xffffu) {
    throw std::invalid_argument("packed delays must satisfy 1 <= lo <= hi <= 65535 steps");
  }
  PackedCsr p;
  p.neurons = c.neurons;
  p.tiles = (c.neurons + kTile - 1) / kTile;
  p.max_delay = delay_hi;
  p.tile_ptr.assign(std::uint64_t{c.neurons} * p.tiles + 1, 0);
  p.entries.resize(c.synapses());
  p.weights.resize(c.synapses());
  std::mt19937_64 gen(seed ^ 0xde1a7u);
  std::uniform_int_distribution<std::uint32_t> delay(delay_lo, delay_hi);
  std::vector<std::uint32_t> order;
  std::uint64_t out = 0;
  for (std::uint32_t s = 0; s < c.neurons; ++s) {
    const std::uint64_t begin = c.row_ptr[s];
    const std::uint64_t end = c.row_ptr[s + 1];
    // The row is sorted by target, so each tile is one contiguous run of it.
    std::uint64_t k = begin;
    for (std::uint32_t t = 0; t < p.tiles; ++t) {
      p.tile_ptr[std::uint64_t{s} * p.tiles + t] = out;
      const std::uint64_t from = k;
      while (k < end && c.targets[k] / kTile == t) ++k;
      order.resize(k - from);
      std::iota(order.begin(), order.end(), 0u);
      std::vector<std::uint32_t> packed(k - from);
      for (std::uint64_t j = from; j < k; ++j) {
        packed[j - from] = delay(gen) << 16 | (c.targets[j] - t * kTile);
      }
      std::sort(order.begin(), order.end(),
                [&](std::uint32_t a, std::uint32_t b) { return packed[a] < packed[b]; });
      for (const std::uint32_t j : order) {
        p.entries[out] = packed[j];
        p.weights[out] = c.weights[from + j];
        ++out;
      }
    }
  }
  p.tile_ptr.back() = out;
  return p;
}

}  // namespace bare_loop
