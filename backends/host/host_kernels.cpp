#include "spikeq/backends/host_kernels.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <variant>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

namespace spikeq::detail {
namespace {

/// The input of neuron i this step: its ring slot of each receptor, read in place.
struct RingInput {
  Accum* const* rows;
  std::uint32_t i;
  double operator[](int receptor) const { return from_fixed(rows[receptor][i]); }
};

template <typename M, bool HasCurrent>
void update_range(PointPopulation<M>& pp, Accum* const* rows, const double* current,
                  double current_all, const neurons::StepContext& ctx, std::uint8_t* fired,
                  std::uint32_t i0, std::uint32_t i1) {
  constexpr int R = static_cast<int>(M::receptors.size());
  const typename M::derived d = pp.derived;
  const typename M::view v = pp.view();
  auto body = [&](std::uint32_t i) {
    double i_ext = current_all;
    if constexpr (HasCurrent) i_ext += current[i];
    fired[i] = M::step(d, v, i, RingInput{rows, i}, i_ext, ctx) ? 1 : 0;
    // The slot is consumed: clear it for the step max_delay ahead.
    for (int c = 0; c < R; ++c) rows[c][i] = 0;
  };
  if constexpr (M::vectorize) {
#pragma omp simd
    for (std::uint32_t i = i0; i < i1; ++i) body(i);
  } else {
    for (std::uint32_t i = i0; i < i1; ++i) body(i);
  }
}

}  // namespace

void begin_step(PopulationRuntime& pop, Step u) {
  while (pop.next_current_change < pop.current_changes.size() &&
         pop.current_changes[pop.next_current_change].step <= u) {
    const CurrentChange& c = pop.current_changes[pop.next_current_change++];
    if (c.subset == kAllNeurons) {
      pop.current_all += c.delta;
    } else {
      for (std::uint32_t i : pop.current_subsets[c.subset]) pop.current_static[i] += c.delta;
    }
  }
}

void update_neurons(PopulationRuntime& pop, std::uint64_t seed, Step u, std::uint32_t slots,
                    std::uint32_t i0, std::uint32_t i1) {
  const std::uint32_t slot = slot_of(u, slots);
  Accum* rows[kMaxPointReceptors] = {};
  for (int c = 0; c < pop.receptors; ++c) rows[c] = pop.ring_row(c, slot, slots);
  const double* current = !pop.noise.empty()              ? pop.current_step.data()
                          : !pop.current_static.empty() ? pop.current_static.data()
                                                         : nullptr;
  const neurons::StepContext ctx{
      u, seed, pop.stream, pop.user_of_internal.empty() ? nullptr : pop.user_of_internal.data()};
  std::uint8_t* fired = pop.fired.data();
  std::visit(
      [&](auto& pp) {
        using M = typename std::decay_t<decltype(pp)>::model;
        if (current) {
          update_range<M, true>(pp, rows, current, pop.current_all, ctx, fired, i0, i1);
        } else {
          update_range<M, false>(pp, rows, nullptr, pop.current_all, ctx, fired, i0, i1);
        }
      },
      pop.state);
}

void collect_spikes(const PopulationRuntime& pop, Step u, std::uint32_t i0, std::uint32_t i1,
                    SliceOutput::Spikes& out) {
  // Spikes are rare: test eight flags at a time and look closer only at non-zero words.
  const std::uint8_t* fired = pop.fired.data();
  std::uint32_t i = i0;
  for (; i < i1 && i % 8 != 0; ++i) {
    if (fired[i]) { out.steps.push_back(u + 1); out.ids.push_back(i); }
  }
  for (; i + 8 <= i1; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, fired + i, sizeof word);
    if (word == 0) continue;
    for (std::uint32_t j = i; j < i + 8; ++j) {
      if (fired[j]) { out.steps.push_back(u + 1); out.ids.push_back(j); }
    }
  }
  for (; i < i1; ++i) {
    if (fired[i]) { out.steps.push_back(u + 1); out.ids.push_back(i); }
  }
}

void sample_recorders(const BuiltNetwork& net, std::uint32_t p, Step u, SliceOutput& out) {
  for (std::size_t r = 0; r < net.recorders.size(); ++r) {
    const StateRecorderRuntime& rec = net.recorders[r];
    if (rec.population != p || (u + 1) % rec.interval != 0) continue;
    SliceOutput::Samples& s = out.samples[r];
    s.steps.push_back(u + 1);
    std::visit(
        [&](const auto& pp) {
          using M = typename std::decay_t<decltype(pp)>::model;
          const typename M::view v = pp.view();
          for (std::uint32_t i : rec.neurons) {
            s.values.push_back(M::read(pp.derived, v, rec.variable, i));
          }
        },
        net.populations[p].state);
  }
}

void deliver_projection(const ProjectionRuntime& proj, PopulationRuntime& target,
                        const SliceOutput::Spikes& spikes, std::uint32_t slots) {
  if (spikes.ids.empty() || proj.csr.size() == 0) return;
  const CsrView view = view_of(proj.csr);
  Accum* ring = target.ring_row(proj.receptor, 0, slots);
  const std::uint64_t stride = target.size;
  auto run = [&](auto homogeneous) {
    constexpr bool H = decltype(homogeneous)::value;
    // Spikes come sorted by step: one modulo per step, not per spike.
    Step step = -1;
    std::uint32_t slot = 0;
    for (std::size_t k = 0; k < spikes.ids.size(); ++k) {
      if (spikes.steps[k] != step) {
        step = spikes.steps[k];
        slot = slot_of(step - 1, slots);
      }
      deliver_spike<H>(view, spikes.ids[k], slot, slots, ring, stride);
    }
  };
  if (view.homogeneous_weight) {
    run(std::true_type{});
  } else {
    run(std::false_type{});
  }
}

void bind_tables(BuiltNetwork& net) {
  for (auto& pop : net.populations) {
    std::visit(
        [](auto& pp) {
          using M = typename std::decay_t<decltype(pp)>::model;
          if constexpr (requires { M::bind(pp.derived, pp.tables); }) {
            M::bind(pp.derived, pp.tables);
          }
        },
        pop.state);
  }
}

}  // namespace spikeq::detail
