#include "synthetic_csr.hpp"

#include <algorithm>
#include <random>

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

}  // namespace bare_loop
