// Plasticity in the update loop. Each synapse is touched only by its own events (its
// presynaptic arrivals, its target's spikes, periodic updates and modulator jumps), in
// time order, by the owner of its target's tile; see plastic_state.hpp.
#include "spikeq/backends/plastic_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace spikeq::detail {
namespace {

using plasticity::Pairing;
using plasticity::WeightDependence;
using Kind = PlasticProjection::Kind;
using Mode = PlasticProjection::Mode;

double f_plus(const PlasticProjection& pl, double w) {
  switch (pl.dependence) {
    case WeightDependence::additive: return 1.0;
    case WeightDependence::multiplicative: return pl.w_max - w;
    case WeightDependence::power_law: {
      const double span = pl.w_max - pl.w_min;
      return span * std::pow(std::max(0.0, 1.0 - (w - pl.w_min) / span), pl.mu_plus);
    }
  }
  return 1.0;
}

double f_minus(const PlasticProjection& pl, double w) {
  switch (pl.dependence) {
    case WeightDependence::additive: return 1.0;
    case WeightDependence::multiplicative: return w - pl.w_min;
    case WeightDependence::power_law: {
      const double span = pl.w_max - pl.w_min;
      return span * std::pow(std::max(0.0, (w - pl.w_min) / span), pl.mu_minus);
    }
  }
  return 1.0;
}

/// Traces below this are zero: left alone they would decay into subnormal floats, whose
/// arithmetic costs a hundred times more, for changes far below float resolution.
constexpr float kTraceFloor = 1e-30f;

float floored(double x) {
  const auto f = static_cast<float>(x);
  return std::fabs(f) < kTraceFloor ? 0.0f : f;
}

/// For an eligibility trace c0 at step t0 (no modulator jump since): the weight change
/// up to t per unit of c0, ∫ e^{-x/τc} M(t0 + x) dx (models.md §3), and e^{-(t - t0)/τc}.
struct EligibilityStep {
  double gain;
  double c_decay;
};
EligibilityStep eligibility_step(const PlasticProjection& pl, const BuiltNetwork& net,
                                 const std::vector<ModulatorState>& mods, Step t0, Step t) {
  const ModulatorRuntime& mod = net.modulators[static_cast<std::size_t>(pl.modulator)];
  const ModulatorState& s = mods[static_cast<std::size_t>(pl.modulator)];
  const Step lag = t - t0;
  const double ec = pl.c_decay(lag);
  const double em = mod.decay(lag);
  const double m0 = s.m * mod.decay(t0 - s.since);
  const double inv_both = 1.0 / pl.tau_c + mod.decay.rate() / pl.dt;
  return {mod.baseline * pl.tau_c * (1.0 - ec) + m0 * (1.0 - ec * em) / inv_both, ec};
}

/// The synapses of one plastic projection as seen by one work unit. Synapses are named
/// by their position j in the backward index (their traces) and their CSR index k (their
/// weight).
class Learner {
 public:
  Learner(ProjectionRuntime& proj, const BuiltNetwork& net, const std::vector<ModulatorState>& mods)
      : pl_(*proj.plastic), w_(proj.csr.weights.data()), net_(net), mods_(mods) {}

  [[nodiscard]] float clip(double w) const {
    return static_cast<float>(std::clamp(w, pl_.w_min, pl_.w_max));
  }

  /// Brings synapse (j, k)'s presynaptic trace (and eligibility, with the weight it
  /// drives) from its last update to step t.
  void touch(std::uint64_t j, std::uint64_t k, Step t) {
    PlasticProjection::Trace& tr = pl_.traces[j];
    const Step t0 = tr.last;
    if (t <= t0) return;
    if (tr.x_pre != 0.0f) tr.x_pre = floored(tr.x_pre * pl_.pre_decay(t - t0));
    if (pl_.mode == Mode::eligibility && tr.acc != 0.0f) {
      const EligibilityStep e = eligibility_step(pl_, net_, mods_, t0, t);
      w_[k] = clip(w_[k] + tr.acc * e.gain);
      tr.acc = floored(tr.acc * e.c_decay);
    }
    tr.last = t;
  }

  void change(std::uint64_t j, std::uint64_t k, double dw) {
    if (pl_.mode == Mode::immediate) {
      w_[k] = clip(w_[k] + dw);
    } else {
      pl_.traces[j].acc = static_cast<float>(pl_.traces[j].acc + dw);
    }
  }

  /// The target's postsynaptic trace at synapse time t.
  [[nodiscard]] double x_post(std::uint32_t i, Step t) const {
    return pl_.x_post[i] * pl_.post_decay(t - pl_.post_last[i]);
  }

  /// A presynaptic spike reaches synapse k (target i) at step t.
  void pre(std::uint64_t k, std::uint32_t i, Step t) {
    const std::uint64_t j = pl_.position[k];
    touch(j, k, t);
    if (pl_.kind == Kind::stdp) {
      const double xp = x_post(i, t);
      if (xp != 0.0) change(j, k, -pl_.A_minus * f_minus(pl_, w_[k]) * xp);
    } else if (pl_.kind == Kind::symmetric) {
      change(j, k, pl_.sign * pl_.A_plus * (x_post(i, t) - pl_.alpha));
    }
    const bool reset = pl_.kind == Kind::stdp && pl_.pairing == Pairing::nearest;
    float& x = pl_.traces[j].x_pre;
    x = reset ? 1.0f : x + 1.0f;
  }

  /// Synapse j's presynaptic trace at step t, without storing it (only an eligibility
  /// trace needs the synapse brought up to date).
  [[nodiscard]] double x_pre(std::uint64_t j, Step t) const {
    const PlasticProjection::Trace& tr = pl_.traces[j];
    return tr.x_pre == 0.0f ? 0.0 : tr.x_pre * pl_.pre_decay(t - tr.last);
  }

  /// Target i's spike reaches its synapses at step t.
  void post(std::uint32_t i, Step t) {
    if (pl_.kind == Kind::stdp) {
      const bool weight_free =
          pl_.mode != Mode::immediate && pl_.dependence == WeightDependence::additive;
      const bool eligibility = pl_.mode == Mode::eligibility;
      for (std::uint64_t j = pl_.post_ptr[i]; j < pl_.post_ptr[i + 1]; ++j) {
        const std::uint32_t k = pl_.post_syn[j];
        if (eligibility) touch(j, k, t);
        const double x = x_pre(j, t);
        if (x == 0.0) continue;
        // Accumulating additive rules need no weight: keep to the contiguous traces.
        change(j, k, pl_.A_plus * (weight_free ? 1.0 : f_plus(pl_, w_[k])) * x);
      }
    }
    if (pl_.kind == Kind::symmetric) {
      for (std::uint64_t j = pl_.post_ptr[i]; j < pl_.post_ptr[i + 1]; ++j) {
        const double x = x_pre(j, t);
        if (x != 0.0) change(j, pl_.post_syn[j], pl_.sign * pl_.A_plus * x);
      }
    }
    const bool reset = pl_.kind == Kind::stdp && pl_.pairing == Pairing::nearest;
    pl_.x_post[i] = reset ? 1.0 : x_post(i, t) + 1.0;
    pl_.post_last[i] = t;
  }

  [[nodiscard]] double level(int m, Step t) const {
    return net_.modulators[static_cast<std::size_t>(m)].level(mods_[static_cast<std::size_t>(m)], t);
  }

  /// The periodic update at step t for targets [i0, i1).
  void periodic(std::uint32_t i0, std::uint32_t i1, Step t) {
    if (pl_.kind == Kind::error) {
      const double target = level(pl_.target, t);
      const double gate = pl_.gate >= 0 ? level(pl_.gate, t) : 1.0;
      if (gate == 0.0) return;
      for (std::uint32_t i = i0; i < i1; ++i) {
        const double err = pl_.eta_step * gate * (target - x_post(i, t));
        for (std::uint64_t j = pl_.post_ptr[i]; j < pl_.post_ptr[i + 1]; ++j) {
          const std::uint32_t k = pl_.post_syn[j];
          w_[k] = clip(w_[k] + err * x_pre(j, t));
        }
      }
      return;
    }
    const double factor = pl_.modulator >= 0 ? level(pl_.modulator, t) : 1.0;
    const double decay = pl_.acc_decay;
    for (std::uint64_t j = pl_.post_ptr[i0]; j < pl_.post_ptr[i1]; ++j) {
      const std::uint32_t k = pl_.post_syn[j];
      float& acc = pl_.traces[j].acc;
      w_[k] = clip(w_[k] + pl_.bias + factor * acc);
      acc = floored(acc * decay);
    }
  }

  /// Brings every synapse of targets [i0, i1) to step t (before a modulator jump).
  void flush(std::uint32_t i0, std::uint32_t i1, Step t) {
    for (std::uint64_t j = pl_.post_ptr[i0]; j < pl_.post_ptr[i1]; ++j) touch(j, pl_.post_syn[j], t);
  }

 private:
  PlasticProjection& pl_;
  float* w_;
  const BuiltNetwork& net_;
  const std::vector<ModulatorState>& mods_;
};

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
        Learner(proj, net, mods).flush(i0, i1, u);
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
    Learner learner(proj, net, mods);
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
    Learner learner(proj, net, mods);
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
    if (pl.interval > 0 && (u + 1) % pl.interval == 0) learner.periodic(i0, i1, u + 1);
  }
}

float weight_now(const BuiltNetwork& net, const ProjectionRuntime& proj, std::uint64_t k, Step t,
                 const std::vector<ModulatorState>& mods) {
  const float w = proj.csr.weight(k);
  if (!proj.plastic || proj.plastic->mode != Mode::eligibility) return w;
  const PlasticProjection& pl = *proj.plastic;
  const PlasticProjection::Trace& tr = pl.traces[pl.position[k]];
  if (tr.acc == 0.0f || t <= tr.last) return w;
  const EligibilityStep e = eligibility_step(pl, net, mods, tr.last, t);
  return static_cast<float>(std::clamp(w + tr.acc * e.gain, pl.w_min, pl.w_max));
}

}  // namespace spikeq::detail
