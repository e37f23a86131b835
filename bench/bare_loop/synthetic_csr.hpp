#pragma once
// A random connectivity in spikeq's storage layout: rows by source, each row sorted by
// target (as spikeq sorts a uniform-delay row), a 32-bit target and a 32-bit float
// weight per synapse.
#include <cstdint>
#include <vector>

namespace bare_loop {

struct SyntheticCsr {
  std::uint32_t neurons = 0;
  std::vector<std::uint64_t> row_ptr;  // neurons + 1 offsets
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;

  [[nodiscard]] std::uint64_t synapses() const { return targets.size(); }
  [[nodiscard]] std::uint64_t bytes() const {
    return row_ptr.size() * sizeof(std::uint64_t) + targets.size() * sizeof(std::uint32_t) +
           weights.size() * sizeof(float);
  }
};

/// `neurons` rows of exactly `row_length` uniformly drawn targets (Brunel's 12 500
/// neurons with 1 250 synapses per row by default), weights in [-0.5, 0.1) mV.
SyntheticCsr make_synthetic_csr(std::uint32_t neurons, std::uint32_t row_length,
                                std::uint64_t seed);

}  // namespace bare_loop
