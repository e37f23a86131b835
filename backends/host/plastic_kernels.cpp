// Plasticity in the update loop. Each synapse is touched only by its own events (its
// presynaptic arrivals, its target's spikes, periodic updates and modulator jumps), in
// time order, by the owner of its target's tile; see plastic_state.hpp.
#include "spikeq/backends/plastic_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "spikeq/plasticity/detail/learner.hpp"

namespace spikeq::detail {
namespace {

using Mode = PlasticProjection::Mode;
using Kind = PlasticProjection::Kind;

/// The arrays of a plastic projection in host memory.
PlasticArrays arrays_of(ProjectionRuntime& proj, const BuiltNetwork& net) {
  PlasticProjection& pl = *proj.plastic;
  const SubspaceRuntime* hlop =
      pl.subspace >= 0 ? &net.subspaces[static_cast<std::size_t>(pl.subspace)] : nullptr;
  return PlasticArrays{pl.traces.data(), pl.position.data(),  pl.post_ptr.data(), pl.post_syn.data(),
                       pl.x_post.data(), pl.post_last.data(), proj.csr.weights.data(),
                       pl.src_ptr.data(), pl.src_pos.data(), pl.src_target.data(),
                       hlop ? hlop->columns.data() : nullptr,
                       hlop ? static_cast<std::uint32_t>(hlop->basis.rows()) : 0u,
                       pl.pos_source.data(), pl.coeff.data()};
}

/// The shared learner (learner.hpp) over a projection's host arrays, with the state of its
/// modulator in this work unit's replica.
Learner learner_of(ProjectionRuntime& proj, const BuiltNetwork& net,
                   const std::vector<ModulatorState>& mods) {
  return Learner{rule_of(*proj.plastic), arrays_of(proj, net), modulator_of(*proj.plastic, net, mods)};
}

/// The periodic update at step t for targets [i0, i1).
void periodic(const Learner& learner, const PlasticProjection& pl, const BuiltNetwork& net,
              const std::vector<ModulatorState>& mods, std::uint32_t i0, std::uint32_t i1, Step t) {
  const PeriodicLevels at = periodic_levels(pl, net, mods, t);
  if (at.closed) return;
  if (at.error_rule) {
    for (std::uint32_t i = i0; i < i1; ++i) learner.error_update(i, t, at.target, at.gate);
    return;
  }
  if (at.hebbian) {
    if (pl.form == plasticity::hebbian::HebbianRule::oja) {
      for (std::uint32_t i = i0; i < i1; ++i) learner.oja_update(i, t);
      return;
    }
    // The subspace rules couple every target: their population is one tile (i0 = 0,
    // i1 = its size), and the update runs source by source.
    const auto sources = static_cast<std::uint32_t>(pl.src_ptr.size() - 1);
    for (std::uint32_t s = 0; s < sources; ++s) learner.subspace_update(s, t);
    return;
  }
  for (std::uint64_t j = pl.post_ptr[i0]; j < pl.post_ptr[i1]; ++j) learner.accumulate(j, at.factor);
}

/// Brings every synapse of targets [i0, i1) to step t (before a modulator jump).
void flush(const Learner& learner, const PlasticProjection& pl, std::uint32_t i0, std::uint32_t i1,
           Step t) {
  for (std::uint64_t j = pl.post_ptr[i0]; j < pl.post_ptr[i1]; ++j) learner.touch(j, pl.post_syn[j], t);
}

/// Tiles of population `pop` covered by [i0, i1) (ranges are whole tiles).
std::pair<std::uint32_t, std::uint32_t> tiles_of(const PopulationRuntime& pop, std::uint32_t i0,
                                                 std::uint32_t i1) {
  if (i1 <= i0) return {0, 0};
  return {pop.tiles.tile_of(i0), pop.tiles.tile_of(i1 - 1) + 1};
}

}  // namespace

void enqueue_tile(ProjectionRuntime& proj, std::uint32_t t, const Step* steps,
                  const std::uint32_t* ids, std::size_t n, std::uint32_t slots) {
  PlasticProjection& pl = *proj.plastic;
  const ProjectionCsr& c = proj.csr;
  auto& arrivals = pl.queues[t].arrivals;
  auto queue = [&](Step u, std::uint64_t begin, std::uint64_t end) {
    arrivals[static_cast<std::size_t>(u % static_cast<Step>(slots))].push_back(
        {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  };
  for (std::size_t s = 0; s < n; ++s) {
    // Synapse time of arrival P = S + delay - dendritic, handled in update P - 1. A piece
    // is sorted by delay: queue each run of equal delays as one range.
    const Step base = steps[s] - 1 - pl.dendritic;
    const std::uint64_t end = c.piece_stop(ids[s], t);
    std::uint64_t k = c.piece_begin(ids[s], t);
    if (k == end) continue;
    if (c.uniform_delay) {
      queue(base + c.delay0, k, end);
      continue;
    }
    while (k < end) {
      const DelaySteps d = entry_delay(c.entries[k]);
      std::uint64_t stop = k + 1;
      while (stop < end && entry_delay(c.entries[stop]) == d) ++stop;
      queue(base + d, k, stop);
      k = stop;
    }
  }
}

void plastic_before(BuiltNetwork& net, std::uint32_t p, std::uint32_t i0, std::uint32_t i1,
                    Step u, std::vector<ModulatorState>& mods) {
  const std::vector<std::uint32_t>& into = net.plastic_into[p];
  for (std::size_t m = 0; m < mods.size(); ++m) {
    if (!mods[m].due(u)) continue;
    for (std::uint32_t k : into) {
      ProjectionRuntime& proj = net.projections[k];
      if (proj.plastic->mode == Mode::eligibility &&
          proj.plastic->modulator == static_cast<int>(m)) {
        flush(learner_of(proj, net, mods), *proj.plastic, i0, i1, u);
      }
    }
    apply_jumps(net.modulators[m], mods[m], u);
  }
  if (into.empty()) return;
  PopulationRuntime& pop = net.populations[p];
  const auto [t0, t1] = tiles_of(pop, i0, i1);
  for (std::uint32_t k : into) {
    ProjectionRuntime& proj = net.projections[k];
    PlasticProjection& pl = *proj.plastic;
    const Learner learner = learner_of(proj, net, mods);
    const std::uint32_t slot = static_cast<std::uint32_t>(u % net.slots);
    const std::uint32_t inject = static_cast<std::uint32_t>((u + pl.dendritic) % net.slots);
    Accum* ring = pop.ring_row(proj.receptor, inject, net.slots);
    for (std::uint32_t t = t0; t < t1; ++t) {
      auto& arrived = pl.queues[t].arrivals[slot];
      const std::uint32_t base = pop.tiles.begin(t);
      for (const PlasticProjection::Arrival& range : arrived) {
        // Traces are stored by target, so each is a random access: fetch them first.
        for (std::uint32_t syn = range.begin; syn < range.end; ++syn) {
          __builtin_prefetch(&pl.traces[pl.position[syn]]);
        }
        for (std::uint32_t syn = range.begin; syn < range.end; ++syn) {
          const std::uint32_t i = base + entry_offset(proj.csr.entries[syn]);
          learner.pre(syn, i, u + 1);
          ring[i] += to_fixed(proj.csr.weights[syn]);
        }
      }
      arrived.clear();
    }
  }
}

void plastic_after(BuiltNetwork& net, std::uint32_t p, std::uint32_t i0, std::uint32_t i1,
                   Step u, const std::vector<ModulatorState>& mods, const std::uint32_t* fired,
                   std::size_t n) {
  const std::vector<std::uint32_t>& into = net.plastic_into[p];
  if (into.empty()) return;
  const PopulationRuntime& pop = net.populations[p];
  const auto [t0, t1] = tiles_of(pop, i0, i1);
  for (std::uint32_t k : into) {
    ProjectionRuntime& proj = net.projections[k];
    PlasticProjection& pl = *proj.plastic;
    const Learner learner = learner_of(proj, net, mods);
    const auto depth = static_cast<Step>(pl.dendritic + 1);
    const auto now = static_cast<std::size_t>(u % depth);
    for (std::size_t s = 0; s < n; ++s) pl.queues[pop.tiles.tile_of(fired[s])].posts[now].push_back(fired[s]);
    // Spikes of update u - dendritic reach the synapses at step u + 1.
    const auto due_slot = static_cast<std::size_t>((u + 1) % depth);
    for (std::uint32_t t = t0; t < t1; ++t) {
      std::vector<std::uint32_t>& due = pl.queues[t].posts[due_slot];
      for (std::uint32_t i : due) learner.post(i, u + 1);
      due.clear();
    }
    if (pl.interval > 0 && (u + 1) % pl.interval == 0) periodic(learner, pl, net, mods, i0, i1, u + 1);
  }
}

ModulatorView modulator_of(const PlasticProjection& pl, const BuiltNetwork& net,
                           const std::vector<ModulatorState>& mods) {
  if (pl.modulator < 0) return ModulatorView{};
  const auto m = static_cast<std::size_t>(pl.modulator);
  return modulator_view(net.modulators[m], mods[m]);
}

PeriodicLevels periodic_levels(const PlasticProjection& pl, const BuiltNetwork& net,
                               const std::vector<ModulatorState>& mods, Step t) {
  auto level = [&](int m) {
    return net.modulators[static_cast<std::size_t>(m)].level(mods[static_cast<std::size_t>(m)], t);
  };
  PeriodicLevels out;
  if (pl.kind == Kind::hebbian) {
    out.hebbian = true;
  } else if (pl.kind == Kind::error) {
    out.error_rule = true;
    out.target = level(pl.target);
    out.gate = pl.gate >= 0 ? level(pl.gate) : 1.0;
    out.closed = out.gate == 0.0;
  } else {
    out.factor = pl.modulator >= 0 ? level(pl.modulator) : 1.0;
  }
  return out;
}

float weight_now(const BuiltNetwork& net, const ProjectionRuntime& proj, std::uint64_t k, Step t,
                 const std::vector<ModulatorState>& mods) {
  const float w = proj.csr.weight(k);
  if (!proj.plastic || proj.plastic->mode != Mode::eligibility) return w;
  const PlasticProjection& pl = *proj.plastic;
  const PlasticProjection::Trace& tr = pl.traces[pl.position[k]];
  if (tr.acc == 0.0f || t <= tr.last) return w;
  const EligibilityStep e = eligibility_step(rule_of(pl), modulator_of(pl, net, mods), tr.last, t);
  return static_cast<float>(std::clamp(w + tr.acc * e.gain, pl.w_min, pl.w_max));
}

}  // namespace spikeq::detail
