// Per-step drives of a neuron range: independent Poisson trains into the ring slot of
// the step and Gaussian noise currents. Every draw is keyed by (seed, stream, user id,
// step), so any split of a population into ranges gives the same numbers.
#include <algorithm>

#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/core/detail/rng.hpp"

namespace spikeq::detail {
namespace {

/// The slice of a sorted id list that falls in [i0, i1).
std::pair<const std::uint32_t*, const std::uint32_t*> ids_in_range(
    const std::vector<std::uint32_t>& ids, std::uint32_t i0, std::uint32_t i1) {
  const auto* b = std::lower_bound(ids.data(), ids.data() + ids.size(), i0);
  const auto* e = std::lower_bound(b, ids.data() + ids.size(), i1);
  return {b, e};
}

template <typename F>
void for_each_target(const std::vector<std::uint32_t>& subset, std::uint32_t i0,
                     std::uint32_t i1, F&& f) {
  if (subset.empty()) {
    for (std::uint32_t i = i0; i < i1; ++i) f(i);
  } else {
    auto [b, e] = ids_in_range(subset, i0, i1);
    for (const auto* p = b; p != e; ++p) f(*p);
  }
}

}  // namespace

void apply_drives(PopulationRuntime& pop, std::uint64_t seed, Step u, std::uint32_t slots,
                  std::uint32_t i0, std::uint32_t i1) {
  const std::uint32_t slot = slot_of(u, slots);
  for (const PoissonDrive& d : pop.poisson) {
    Accum* row = pop.ring_row(d.receptor, slot, slots);
    for_each_target(d.neurons, i0, i1, [&](std::uint32_t i) {
      DrawStream draws(CounterRng(seed, d.stream, pop.user_id(i)), step_index(u));
      row[i] += static_cast<Accum>(draws.poisson(d.lambda, d.exp_minus_lambda)) * d.weight;
    });
  }
  if (!pop.noise.empty()) {
    double* cur = pop.current_step.data();
    if (pop.current_static.empty()) {
      std::fill(cur + i0, cur + i1, 0.0);
    } else {
      std::copy(pop.current_static.data() + i0, pop.current_static.data() + i1, cur + i0);
    }
    for (const NoiseDrive& d : pop.noise) {
      for_each_target(d.neurons, i0, i1, [&](std::uint32_t i) {
        DrawStream draws(CounterRng(seed, d.stream, pop.user_id(i)), step_index(u));
        cur[i] += d.mean + d.sd * draws.normal();
      });
    }
  }
}

}  // namespace spikeq::detail
