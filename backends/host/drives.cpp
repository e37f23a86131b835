// Per-step drives of a neuron range: independent Poisson trains into the ring slot of
// the step and noise currents (Gaussian or uniform). Every draw is keyed by (seed, stream, user id,
// step), so any split of a population into ranges gives the same numbers.
//
// The draws of a step are independent across neurons, so they are made for batches of
// neurons in vectorised loops (batch_draws.hpp); each gives the bits DrawStream gives.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "spikeq/backends/batch_draws.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/core/detail/rng.hpp"

namespace spikeq::detail {

namespace {

/// Calls f(j, w0, w1, w2, w3) with the Philox block of (seed, stream, ids[j], index) for
/// every j < n, in one loop the compiler vectorises (f is inlined into it).
template <typename F>
void for_each_block(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                    const std::uint32_t* ids, std::size_t n, F&& f) {
  const auto k0 = static_cast<std::uint32_t>(seed);
  const auto k1 = static_cast<std::uint32_t>(seed >> 32);
  const auto lo = static_cast<std::uint32_t>(index);
  const auto hi = static_cast<std::uint32_t>(index >> 32);
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) {
    std::uint64_t w0 = ids[j], w1 = stream, w2 = lo, w3 = hi;
    philox4x32_10(w0, w1, w2, w3, k0, k1);
    f(j, static_cast<std::uint32_t>(w0), static_cast<std::uint32_t>(w1),
      static_cast<std::uint32_t>(w2), static_cast<std::uint32_t>(w3));
  }
}

/// batch_poisson for at most kDrawBatch draws. The loop over table entries is outside:
/// inside, the comparisons of many draws with one entry fill whole vectors (the other
/// way round, each draw's count is a horizontal sum). Entries below the smallest u count
/// for every draw and entries at or above the largest for none, so only those between
/// are compared: with 64 draws that halves the work for lambda = 2, more for larger ones.
void poisson_chunk(const PoissonTable& t, const double* u, std::size_t n, std::uint32_t* k) {
  // On the bits: u > 0, so they order as the values do, and integer min and max
  // vectorise where the floating-point ones (NaN rules) do not.
  std::uint64_t lo_bits = ~0ull, hi_bits = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const auto b = std::bit_cast<std::uint64_t>(u[j]);
    lo_bits = std::min(lo_bits, b);
    hi_bits = std::max(hi_bits, b);
  }
  const double lo = std::bit_cast<double>(lo_bits), hi = std::bit_cast<double>(hi_bits);
  const double* cdf = t.cdf.data();
  const std::uint32_t m = t.size;
  const auto first = static_cast<std::uint32_t>(std::lower_bound(cdf, cdf + m, lo) - cdf);
  const auto last = static_cast<std::uint32_t>(std::lower_bound(cdf + first, cdf + m, hi) - cdf);
  std::array<std::uint64_t, kDrawBatch> below;
  below.fill(first);
  for (std::uint32_t e = first; e < last; ++e) {
    const double c = cdf[e];
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) below[j] += u[j] > c ? 1u : 0u;
  }
  for (std::size_t j = 0; j < n; ++j) {
    k[j] = static_cast<std::uint32_t>(below[j]);
    // Past the table (2^-16 of draws, or more where a short table was asked for).
    if (k[j] == m) k[j] = poisson_search(u[j], t.lambda, m - 1, t.p_last, cdf[m - 1]);
  }
}

/// batch_normals for at most kDrawBatch draws: box_muller with its square root in a
/// second loop (see box_muller_r2).
void normals_chunk(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                   const std::uint32_t* ids, std::size_t n, double* z) {
  std::array<double, kDrawBatch> r2;
  for_each_block(seed, stream, index, ids, n,
                 [&](std::size_t j, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                     std::uint32_t w3) {
                   r2[j] = box_muller_r2(to_unit_open(w0, w1));
                   z[j] = math::cos(box_muller_theta(to_unit_open(w2, w3)));
                 });
  for (std::size_t j = 0; j < n; ++j) z[j] = std::sqrt(r2[j]) * z[j];
}

}  // namespace

void batch_philox(std::uint32_t* c0, std::uint32_t* c1, std::uint32_t* c2, std::uint32_t* c3,
                  std::size_t n, std::uint32_t k0, std::uint32_t k1) {
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) {
    std::uint64_t w0 = c0[j], w1 = c1[j], w2 = c2[j], w3 = c3[j];
    philox4x32_10(w0, w1, w2, w3, k0, k1);
    c0[j] = static_cast<std::uint32_t>(w0);
    c1[j] = static_cast<std::uint32_t>(w1);
    c2[j] = static_cast<std::uint32_t>(w2);
    c3[j] = static_cast<std::uint32_t>(w3);
  }
}

void batch_uniforms(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                    const std::uint32_t* ids, std::size_t n, double* u) {
  for_each_block(seed, stream, index, ids, n,
                 [&](std::size_t j, std::uint32_t w0, std::uint32_t w1, std::uint32_t,
                     std::uint32_t) { u[j] = to_unit_open(w0, w1); });
}

void batch_poisson(const PoissonTable& t, const double* u, std::size_t n, std::uint32_t* k) {
  for (std::size_t j = 0; j < n; j += kDrawBatch) {
    poisson_chunk(t, u + j, std::min(kDrawBatch, n - j), k + j);
  }
}

void batch_normals(std::uint64_t seed, std::uint32_t stream, std::uint64_t index,
                   const std::uint32_t* ids, std::size_t n, double* z) {
  for (std::size_t j = 0; j < n; j += kDrawBatch) {
    normals_chunk(seed, stream, index, ids + j, std::min(kDrawBatch, n - j), z + j);
  }
}

namespace {

/// Up to kDrawBatch target neurons, distinct: internal ids (where results go) and user
/// ids (what the draws are keyed by).
struct Batch {
  std::array<std::uint32_t, kDrawBatch> internal;
  std::array<std::uint32_t, kDrawBatch> relabelled;  // user ids, where they differ
  const std::uint32_t* user = nullptr;
  std::size_t n = 0;
  bool contiguous = false;  // internal ids run from internal[0] up by one
};

/// Calls f(batch) for the targets in [i0, i1): all of them, or those in the sorted id
/// list `subset` when it is not empty.
template <typename F>
void for_each_batch(const PopulationRuntime& pop, const std::vector<std::uint32_t>& subset,
                    std::uint32_t i0, std::uint32_t i1, F&& f) {
  const std::uint32_t* list = nullptr;
  std::size_t count = i1 - i0;
  if (!subset.empty()) {
    list = std::lower_bound(subset.data(), subset.data() + subset.size(), i0);
    count = static_cast<std::size_t>(
        std::lower_bound(list, subset.data() + subset.size(), i1) - list);
  }
  const std::uint32_t* user_of = pop.user_of_internal.data();
  Batch b;
  b.contiguous = list == nullptr;
  b.user = pop.user_of_internal.empty() ? b.internal.data() : b.relabelled.data();
  for (std::size_t s = 0; s < count; s += kDrawBatch) {
    b.n = std::min(kDrawBatch, count - s);
    if (list) {
      std::copy(list + s, list + s + b.n, b.internal.data());
    } else {
      const auto base = i0 + static_cast<std::uint32_t>(s);
#pragma omp simd
      for (std::size_t j = 0; j < b.n; ++j) b.internal[j] = base + static_cast<std::uint32_t>(j);
    }
    if (b.user != b.internal.data()) {
#pragma omp simd
      for (std::size_t j = 0; j < b.n; ++j) b.relabelled[j] = user_of[b.internal[j]];
    }
    f(static_cast<const Batch&>(b));
  }
}

/// out[internal[j]] += value(j) for a batch; its ids are distinct, so the scattered
/// form vectorises too.
template <typename T, typename V>
void add_to(T* out, const Batch& b, V&& value) {
  if (b.contiguous) {
    T* o = out + b.internal[0];
#pragma omp simd
    for (std::size_t j = 0; j < b.n; ++j) o[j] += value(j);
  } else {
#pragma omp simd
    for (std::size_t j = 0; j < b.n; ++j) out[b.internal[j]] += value(j);
  }
}

/// PTRS rejection takes a varying number of uniforms per draw: one neuron at a time.
void add_poisson_scalar(const PopulationRuntime& pop, const PoissonDrive& d, std::uint64_t seed,
                        std::uint64_t index, std::uint32_t i0, std::uint32_t i1, Accum* row) {
  for_each_batch(pop, d.neurons, i0, i1, [&](const Batch& b) {
    for (std::size_t j = 0; j < b.n; ++j) {
      DrawStream draws(CounterRng(seed, d.stream, b.user[j]), index);
      row[b.internal[j]] +=
          static_cast<Accum>(draws.poisson(d.lambda, d.exp_minus_lambda)) * d.weight;
    }
  });
}

void add_poisson(const PopulationRuntime& pop, const PoissonDrive& d, std::uint64_t seed,
                 std::uint64_t index, std::uint32_t i0, std::uint32_t i1, Accum* row) {
  if (!(d.lambda < 40.0)) {
    add_poisson_scalar(pop, d, seed, index, i0, i1, row);
    return;
  }
  // Drives made outside the build (tests, other front ends) may come without a table.
  PoissonTable made;
  const PoissonTable* table = &d.table;
  if (!d.table.made_for(d.lambda, d.exp_minus_lambda)) {
    made = make_poisson_table(d.lambda, d.exp_minus_lambda);
    table = &made;
  }
  for_each_batch(pop, d.neurons, i0, i1, [&](const Batch& b) {
    std::array<double, kDrawBatch> u;
    std::array<std::uint32_t, kDrawBatch> k;
    batch_uniforms(seed, d.stream, index, b.user, b.n, u.data());
    batch_poisson(*table, u.data(), b.n, k.data());
    add_to(row, b, [&](std::size_t j) { return static_cast<Accum>(k[j]) * d.weight; });
  });
}

/// mean + sd z per neuron, z standard normal (DrawStream::normal) or uniform of unit
/// variance (unit_variance_uniform of DrawStream::uniform), both of the stream of
/// (seed, stream, user id) at the step's counter.
void add_noise(const PopulationRuntime& pop, const NoiseDrive& d, std::uint64_t seed,
               std::uint64_t index, std::uint32_t i0, std::uint32_t i1, double* cur) {
  if (d.distribution == NoiseDistribution::uniform) {
    for_each_batch(pop, d.neurons, i0, i1, [&](const Batch& b) {
      std::array<double, kDrawBatch> u;
      batch_uniforms(seed, d.stream, index, b.user, b.n, u.data());
      add_to(cur, b, [&](std::size_t j) { return d.mean + d.sd * unit_variance_uniform(u[j]); });
    });
    return;
  }
  for_each_batch(pop, d.neurons, i0, i1, [&](const Batch& b) {
    std::array<double, kDrawBatch> z;
    batch_normals(seed, d.stream, index, b.user, b.n, z.data());
    add_to(cur, b, [&](std::size_t j) { return d.mean + d.sd * z[j]; });
  });
}

}  // namespace

void apply_drives(PopulationRuntime& pop, std::uint64_t seed, Step u, std::uint32_t slots,
                  std::uint32_t i0, std::uint32_t i1) {
  const std::uint32_t slot = slot_of(u, slots);
  const std::uint64_t index = step_index(u);
  for (const PoissonDrive& d : pop.poisson) {
    add_poisson(pop, d, seed, index, i0, i1, pop.ring_row(d.receptor, slot, slots));
  }
  if (!pop.noise.empty()) {
    double* cur = pop.current_step.data();
    if (pop.current_static.empty()) {
      std::fill(cur + i0, cur + i1, 0.0);
    } else {
      std::copy(pop.current_static.data() + i0, pop.current_static.data() + i1, cur + i0);
    }
    for (const NoiseDrive& d : pop.noise) add_noise(pop, d, seed, index, i0, i1, cur);
  }
}

}  // namespace spikeq::detail
