#include "spikeq/backends/host_kernels.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "spikeq/backends/spike_emission.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

namespace spikeq::detail {
namespace {

template <typename M, bool HasCurrent>
void update_range(PointPopulation<M>& pp, Accum* const* rows, const double* current,
                  double current_all, const neurons::StepContext& ctx, std::uint8_t* fired,
                  std::uint32_t i0, std::uint32_t i1) {
  const typename M::derived d = pp.derived;
  const typename M::view v = pp.view();
  auto body = [&](std::uint32_t i) {
    double i_ext = current_all;
    if constexpr (HasCurrent) i_ext += current[i];
    fired[i] = step_neuron<M>(d, v, rows, i, i_ext, ctx) ? 1 : 0;
  };
  if constexpr (M::vectorize) {
#pragma omp simd
    for (std::uint32_t i = i0; i < i1; ++i) body(i);
  } else {
    for (std::uint32_t i = i0; i < i1; ++i) body(i);
  }
}

/// An ELM population's step: the trained model consumes its neurons' input slots and
/// writes the raw outputs; the model type turns them into p and spikes.
void update_elm(ElmPopulation& pp, PopulationRuntime& pop, Accum* row,
                const neurons::StepContext& ctx, std::uint8_t* fired, std::uint32_t i0,
                std::uint32_t i1) {
  const neurons::elm::view v = pp.view();
  Accum* inputs = row + std::uint64_t{i0} * pop.inputs_per_neuron;
  std::visit(
      [&](auto& e) {
        neurons::elm_step(e.tables, e.state, i0, i1, inputs, v.real[neurons::elm::y0],
                          v.real[neurons::elm::y1], e.scratch[pop.tiles.tile_of(i0)]);
      },
      pp.engine);
  for (std::uint32_t i = i0; i < i1; ++i) {
    fired[i] = neurons::elm::emit(pp.derived, v, i, ctx) ? 1 : 0;
  }
}

/// A replaying population's step: the recorded neurons of stamp u + 1 in [i0, i1) fire.
void update_replay(const PopulationRuntime& pop, Step u, std::uint8_t* fired, std::uint32_t i0,
                   std::uint32_t i1) {
  const ReplayWindow& w = pop.replay;
  mark_replayed(w.offsets.data(), w.offsets.size(), w.neurons.data(), w.first, u, fired, i0, i1);
}

}  // namespace

void begin_step(PopulationRuntime& pop, CurrentCursor& cursor, Step u, std::uint32_t i0,
                std::uint32_t i1) {
  while (cursor.next < pop.current_changes.size() &&
         pop.current_changes[cursor.next].step <= u) {
    const CurrentChange& c = pop.current_changes[cursor.next++];
    if (c.subset == kAllNeurons) {
      cursor.all += c.delta;
    } else {
      const auto& ids = pop.current_subsets[c.subset];
      const auto b = std::lower_bound(ids.begin(), ids.end(), i0);
      const auto e = std::lower_bound(b, ids.end(), i1);
      for (auto it = b; it != e; ++it) pop.current_static[*it] += c.delta;
    }
  }
}

void update_neurons(PopulationRuntime& pop, const CurrentCursor& cursor, std::uint64_t seed,
                    Step u, std::uint32_t slots, std::uint32_t i0, std::uint32_t i1) {
  const std::uint32_t slot = slot_of(u, slots);
  if (u >= pop.clamp_first && u < pop.clamp_stop) {
    // Clamped: the input is consumed unused, the state stands still.
    const std::uint64_t w = pop.inputs_per_neuron;
    for (int c = 0; c < pop.receptors; ++c) {
      Accum* row = pop.ring_row(c, slot, slots);
      std::fill(row + i0 * w, row + i1 * w, Accum{0});
    }
    update_replay(pop, u, pop.fired.data(), i0, i1);
    return;
  }
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
        if constexpr (std::is_same_v<std::decay_t<decltype(pp)>, ElmPopulation>) {
          update_elm(pp, pop, rows[0], ctx, fired, i0, i1);
        } else if constexpr (std::is_same_v<M, neurons::spike_replay>) {
          update_replay(pop, u, fired, i0, i1);
        } else if (current) {
          update_range<M, true>(pp, rows, current, cursor.all, ctx, fired, i0, i1);
        } else {
          update_range<M, false>(pp, rows, nullptr, cursor.all, ctx, fired, i0, i1);
        }
      },
      pop.state);
}

void collect_spikes(const PopulationRuntime& pop, Step u, std::uint32_t i0, std::uint32_t i1,
                    SliceOutput::Spikes& out) {
  // The body a device backend shares (spike_emission.hpp).
  for_each_fired(pop.fired.data(), i0, i1, [&](std::uint32_t i) {
    out.steps.push_back(u + 1);
    out.ids.push_back(i);
  });
}

void sample_recorders(const BuiltNetwork& net, std::uint32_t p, Step u, SliceOutput& out) {
  for (std::size_t r = 0; r < net.recorders.size(); ++r) {
    const StateRecorderRuntime& rec = net.recorders[r];
    if (rec.population != p || !sample_due(rec, u)) continue;
    SliceOutput::Samples& s = out.samples[r];
    s.steps.push_back(u + 1);
    const std::size_t row = s.values.size();
    s.values.resize(row + rec.neurons.size());
    sample_neurons(net.populations[p], rec.variable, rec.neurons.data(), nullptr,
                   rec.neurons.size(), s.values.data() + row);
  }
}

void sample_neurons(const PopulationRuntime& pop, int variable, const std::uint32_t* neurons,
                    const std::uint32_t* columns, std::size_t n, double* row) {
  std::visit(
      [&](const auto& pp) {
        using M = typename std::decay_t<decltype(pp)>::model;
        const typename M::view v = pp.view();
        for (std::size_t k = 0; k < n; ++k) {
          row[columns ? columns[k] : k] = M::read(pp.derived, v, variable, neurons[k]);
        }
      },
      pop.state);
}

void deliver_tile(const ProjectionRuntime& proj, PopulationRuntime& target, std::uint32_t t,
                  const Step* steps, const std::uint32_t* ids, std::size_t n,
                  std::uint32_t slots) {
  if (n == 0 || proj.csr.size() == 0) return;
  const TileSynapses syn = tile_synapses(proj.csr, t);
  Accum* ring = target.ring_row(proj.receptor, 0, slots) + proj.csr.tiles.begin(t);
  const std::uint64_t stride = target.ring_width();
  with_delivery_variant(proj.csr, [&](auto homogeneous, auto uniform) {
    constexpr bool H = decltype(homogeneous)::value;
    constexpr bool U = decltype(uniform)::value;
    // One modulo per step, not per spike.
    Step step = -1;
    std::uint32_t slot = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (steps[k] != step) {
        step = steps[k];
        slot = slot_of(step - 1, slots);
      }
      deliver_spike<H, U>(syn, ids[k], slot, slots, ring, stride);
    }
  });
}

void deliver_projection(const ProjectionRuntime& proj, PopulationRuntime& target,
                        const SliceOutput::Spikes& spikes, std::uint32_t slots) {
  for (std::uint32_t t = 0; t < proj.csr.tiles.count; ++t) {
    deliver_tile(proj, target, t, spikes.steps.data(), spikes.ids.data(), spikes.ids.size(),
                 slots);
  }
}

void bind_tables(BuiltNetwork& net) {
  for (auto& pop : net.populations) {
    std::visit(
        [](auto& pp) {
          using M = typename std::decay_t<decltype(pp)>::model;
          if constexpr (requires { M::bind(pp.derived, neurons::view_of(pp.tables)); }) {
            M::bind(pp.derived, neurons::view_of(pp.tables));
          }
        },
        pop.state);
  }
}

}  // namespace spikeq::detail
