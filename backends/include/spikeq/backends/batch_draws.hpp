#pragma once
// The per-step draws of many neurons at once, in loops that vectorise, giving exactly
// the numbers DrawStream gives one neuron at a time. Every draw is the first of the
// stream of (seed, stream, id) at counter `index`, as the drives make them.
#include <cstddef>
#include <cstdint>

#include "spikeq/core/detail/rng.hpp"

namespace spikeq::detail {

/// Neurons per batch in the drive kernels (their arrays live on the stack).
inline constexpr std::size_t kDrawBatch = 64;

/// Philox4x32-10 of the counters (c0[j], c1[j], c2[j], c3[j]) under key (k0, k1), in place.
void batch_philox(std::uint32_t* c0, std::uint32_t* c1, std::uint32_t* c2, std::uint32_t* c3,
                  std::size_t n, std::uint32_t k0, std::uint32_t k1);

/// u[j] = DrawStream(CounterRng(seed, stream, ids[j]), index).uniform().
void batch_uniforms(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                    const std::uint32_t* ids, std::size_t n, double* u);

/// k[j] = the Poisson count DrawStream::poisson(t.lambda, t.exp_minus_lambda) returns when
/// its uniform is u[j]. Only for lambda < 40, where the count is one uniform's inversion.
void batch_poisson(const PoissonTable& t, const double* u, std::size_t n, std::uint32_t* k);

/// z[j] = DrawStream(CounterRng(seed, stream, ids[j]), index).normal().
void batch_normals(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                   const std::uint32_t* ids, std::size_t n, double* z);

}  // namespace spikeq::detail
