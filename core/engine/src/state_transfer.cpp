// Every array that determines a simulation's future, walked in one order for saving and
// restoring (checkpoint.hpp). What can be recomputed is left out: synapse storage and
// derived tables (rebuilt from the model and seed), scratch, replay windows (re-read), the
// current-change cursors (replayed up to the step).
#include "spikeq/core/detail/state_transfer.hpp"

#include <cmath>
#include <limits>
#include <variant>

#include "spikeq/backends/plastic_kernels.hpp"
#include "spikeq/core/errors.hpp"

namespace spikeq::detail {
namespace {

template <typename T>
void fixed(StateArchive& a, const std::string& name, std::vector<T>& v) {
  a.array(name, v, true);
}

// Restored arrays are checked before anything runs on them: a damaged or forged checkpoint
// is an error naming the array, the index and the value, never a crash or a NaN run.
[[noreturn]] void bad_value(const std::string& name, std::size_t k, const std::string& value,
                            const std::string& rule) {
  throw InvalidParameter("checkpoint: " + name + "[" + std::to_string(k) + "] = " + value + ": " + rule);
}

template <typename T>
void check_finite(const std::string& name, const std::vector<T>& v) {
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (!std::isfinite(v[k])) bad_value(name, k, format_number(static_cast<double>(v[k])), "must be finite");
  }
}

template <typename T>
void check_within(const std::string& name, const std::vector<T>& v, T lo, T hi) {
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k] < lo || v[k] > hi) {
      bad_value(name, k, std::to_string(v[k]), "must lie in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
  }
}

/// Ring sums stay far inside 64 bits; beyond 2^62 they are not a simulation's.
constexpr Accum kMaxRingValue = Accum{1} << 62;

/// A vector of vectors as counts and values.
template <typename T>
void nested(StateArchive& a, const std::string& name, std::vector<std::vector<T>>& v) {
  std::vector<std::uint64_t> counts;
  std::vector<T> values;
  if (a.saving()) {
    for (const auto& x : v) {
      counts.push_back(x.size());
      values.insert(values.end(), x.begin(), x.end());
    }
  } else {
    counts.resize(v.size());
  }
  a.array(name + "/counts", counts, true);
  a.array(name + "/values", values, false);
  if (!a.saving()) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (k + counts[i] > values.size()) {
        throw InvalidParameter("checkpoint: " + name + "/counts exceed its values");
      }
      v[i].assign(values.begin() + static_cast<std::ptrdiff_t>(k),
                  values.begin() + static_cast<std::ptrdiff_t>(k + counts[i]));
      k += counts[i];
    }
  }
}

void population(StateArchive& a, const std::string& at, PopulationRuntime& pop) {
  std::visit(
      [&](auto& pp) {
        using M = typename std::decay_t<decltype(pp)>::model;
        for (int c = 0; c < M::n_real; ++c) {
          const std::string name = at + "/real/" + std::string(M::real_names[c]);
          fixed(a, name, pp.real[c]);
          if (!a.saving()) check_finite(name, pp.real[c]);
        }
        for (int c = 0; c < M::n_int; ++c) {
          // Refractory counters and spike-list cursors count up from 0.
          const std::string name = at + "/int/" + std::to_string(c);
          fixed(a, name, pp.ints[c]);
          if (!a.saving()) check_within(name, pp.ints[c], std::int32_t{0}, std::numeric_limits<std::int32_t>::max());
        }
        if constexpr (std::is_same_v<std::decay_t<decltype(pp)>, ElmPopulation>) {
          std::visit(
              [&](auto& e) {
                fixed(a, at + "/elm/trace", e.state.trace);
                fixed(a, at + "/elm/memory", e.state.memory);
                if (!a.saving()) {
                  check_finite(at + "/elm/trace", e.state.trace);
                  check_finite(at + "/elm/memory", e.state.memory);
                }
              },
              pp.engine);
        }
      },
      pop.state);
  fixed(a, at + "/rings", pop.rings);
  if (!a.saving()) check_within(at + "/rings", pop.rings, -kMaxRingValue, kMaxRingValue);
}

void plastic(StateArchive& a, const std::string& at, ProjectionRuntime& proj) {
  if (!proj.plastic) return;  // static weights are rebuilt from the model and seed
  fixed(a, at + "/weights", proj.csr.weights);
  PlasticProjection& pl = *proj.plastic;
  if (!a.saving()) {
    check_finite(at + "/weights", proj.csr.weights);
    for (std::size_t k = 0; k < proj.csr.weights.size(); ++k) {
      const double w = proj.csr.weights[k];
      if (w < pl.w_min || w > pl.w_max) {
        bad_value(at + "/weights", k, format_number(w),
                  "must lie in the rule's bounds [" + format_number(pl.w_min) + ", " + format_number(pl.w_max) + "]");
      }
    }
  }
  std::vector<float> x_pre(pl.traces.size()), acc(pl.traces.size());
  std::vector<std::int64_t> last(pl.traces.size());
  if (a.saving()) {
    for (std::size_t k = 0; k < pl.traces.size(); ++k) {
      x_pre[k] = pl.traces[k].x_pre;
      acc[k] = pl.traces[k].acc;
      last[k] = pl.traces[k].last;
    }
  }
  fixed(a, at + "/x_pre", x_pre);
  fixed(a, at + "/acc", acc);
  fixed(a, at + "/last", last);
  if (!a.saving()) {
    check_finite(at + "/x_pre", x_pre);
    check_finite(at + "/acc", acc);
  }
  if (!a.saving()) {
    for (std::size_t k = 0; k < pl.traces.size(); ++k) pl.traces[k] = {x_pre[k], acc[k], last[k]};
  }
  fixed(a, at + "/x_post", pl.x_post);
  if (!a.saving()) check_finite(at + "/x_post", pl.x_post);
  std::vector<std::int64_t> post_last(pl.post_last.begin(), pl.post_last.end());
  fixed(a, at + "/post_last", post_last);
  if (!a.saving()) pl.post_last.assign(post_last.begin(), post_last.end());
  // In-flight presynaptic events and recent postsynaptic spikes, per tile and slot.
  for (std::size_t t = 0; t < pl.queues.size(); ++t) {
    auto& q = pl.queues[t];
    std::vector<std::vector<std::uint32_t>> arrivals(q.arrivals.size());
    if (a.saving()) {
      for (std::size_t s = 0; s < q.arrivals.size(); ++s) {
        for (const auto& r : q.arrivals[s]) {
          arrivals[s].push_back(r.begin);
          arrivals[s].push_back(r.end);
        }
      }
    }
    const std::string qt = at + "/queue" + std::to_string(t);
    nested(a, qt + "/arrivals", arrivals);
    nested(a, qt + "/posts", q.posts);
    if (!a.saving()) {
      const auto synapses = static_cast<std::uint32_t>(proj.csr.size());
      for (std::size_t s = 0; s < q.arrivals.size(); ++s) {
        q.arrivals[s].clear();
        if (arrivals[s].size() % 2 != 0) {
          throw InvalidParameter("checkpoint: " + qt + "/arrivals: slot " + std::to_string(s) +
                                 " holds an odd number of range bounds");
        }
        for (std::size_t k = 0; k + 1 < arrivals[s].size(); k += 2) {
          const std::uint32_t begin = arrivals[s][k], end = arrivals[s][k + 1];
          if (begin > end || end > synapses) {
            throw InvalidParameter("checkpoint: " + qt + "/arrivals: slot " + std::to_string(s) + " range [" +
                                   std::to_string(begin) + ", " + std::to_string(end) +
                                   ") is not within the projection's " + std::to_string(synapses) + " synapses");
          }
          q.arrivals[s].push_back({begin, end});
        }
      }
      for (const auto& posts : q.posts) {
        for (const std::uint32_t i : posts) {
          if (i >= proj.csr.tiles.size) {
            throw InvalidParameter("checkpoint: " + qt + "/posts: neuron " + std::to_string(i) +
                                   " is not one of the target's " + std::to_string(proj.csr.tiles.size));
          }
        }
      }
    }
  }
}

void modulators(StateArchive& a, std::vector<ModulatorState>& mods) {
  for (std::size_t k = 0; k < mods.size(); ++k) {
    ModulatorState& m = mods[k];
    const std::string at = "modulators/" + std::to_string(k);
    std::vector<double> m_value{m.m};
    std::vector<std::int64_t> scalars{m.since, static_cast<std::int64_t>(m.rewards)};
    fixed(a, at + "/m", m_value);
    fixed(a, at + "/since_rewards", scalars);
    std::vector<std::int64_t> steps, set;
    std::vector<double> amounts;
    if (a.saving()) {
      for (const auto& j : m.pending) {
        steps.push_back(j.step);
        amounts.push_back(j.amount);
        set.push_back(j.set ? 1 : 0);
      }
    }
    a.array(at + "/pending_steps", steps, false);
    a.array(at + "/pending_amounts", amounts, false);
    a.array(at + "/pending_set", set, false);
    std::vector<std::int64_t> last_first(m.last_first.begin(), m.last_first.end());
    fixed(a, at + "/last_first", last_first);
    if (!a.saving()) {
      if (amounts.size() != steps.size() || set.size() != steps.size()) {
        throw InvalidParameter("checkpoint: " + at + ": pending jumps of unequal lengths");
      }
      check_finite(at + "/m", m_value);
      check_finite(at + "/pending_amounts", amounts);
      check_within(at + "/pending_steps", steps, std::int64_t{0}, std::int64_t{1} << 62);
      m.m = m_value[0];
      m.since = scalars[0];
      m.rewards = static_cast<std::uint64_t>(scalars[1]);
      m.pending.clear();
      for (std::size_t j = 0; j < steps.size(); ++j) m.pending.push_back({steps[j], amounts[j], set[j] != 0});
      m.last_first.assign(last_first.begin(), last_first.end());
    }
  }
}

/// HLOP subspaces' rows, which consolidation grows.
void subspaces(StateArchive& a, BuiltNetwork& net) {
  for (std::size_t k = 0; k < net.subspaces.size(); ++k) {
    SubspaceRuntime& sub = net.subspaces[k];
    const std::string at = "subspaces/" + sub.name + "/rows";
    std::vector<double> rows;
    if (a.saving()) rows = sub.basis.matrix();
    a.array(at, rows, false);
    if (a.saving()) continue;
    try {
      sub.basis.restore(std::move(rows));
    } catch (const InvalidParameter& e) {
      throw InvalidParameter("checkpoint: " + at + ": " + e.what());
    }
    subspace_changed(net, k);
  }
}

}  // namespace

void transfer_state(BuiltNetwork& net, std::vector<ModulatorState>& mods, StateArchive& a) {
  for (PopulationRuntime& pop : net.populations) population(a, "populations/" + pop.name, pop);
  for (ProjectionRuntime& proj : net.projections) plastic(a, "projections/" + proj.name, proj);
  modulators(a, mods);
  subspaces(a, net);
}

}  // namespace spikeq::detail
