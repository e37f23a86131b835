// Connection rules. Every random choice is drawn from the counter-based RNG keyed by
// (seed, stream of the projection and purpose, row), where a row is the source neuron
// (or the target for fixed_indegree): the same seed gives the same synapses whatever
// else the model contains.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <unordered_set>
#include <variant>

#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/generate.hpp"

namespace spikeq::detail {
namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};


/// Draws weights and delays synapse by synapse and checks each against the limits.
class SynapseValues {
 public:
  SynapseValues(const SynapseSpec& syn, const ProjectionContext& ctx)
      : syn_(syn), ctx_(ctx), what_("projection '" + ctx.name + "'"),
        weight_stream_(stream_id("weight:" + ctx.name)),
        delay_stream_(stream_id("delay:" + ctx.name)) {
    check_value(syn.weight, what_ + ": weight");
    check_value(syn.delay, what_ + ": delay");
    check_weight_range();
    check_delay_range();
  }

  /// Starts the draws of row `row`.
  void begin_row(std::uint32_t row) {
    weights_.emplace(CounterRng(ctx_.seed, weight_stream_, row), 0);
    delays_.emplace(CounterRng(ctx_.seed, delay_stream_, row), 0);
  }

  /// Values of the synapse with generation index `n`.
  void append(SynapseCoo& out, std::uint64_t n) {
    const double w = syn_.weight.is_array() ? array_at(syn_.weight, n, "weight")
                                            : draw_value(syn_.weight, *weights_);
    const double d = syn_.delay.is_array() ? array_at(syn_.delay, n, "delay")
                                           : draw_value(syn_.delay, *delays_);
    out.weights.push_back(checked_weight(w));
    out.delays.push_back(checked_delay(d));
  }

  void check_array_sizes(std::uint64_t n) const {
    for (auto [v, name] : {std::pair{&syn_.weight, "weight"}, std::pair{&syn_.delay, "delay"}}) {
      if (v->is_array() && v->array().size() != n) {
        throw InvalidParameter(what_ + ": " + name + " array has " +
                               std::to_string(v->array().size()) + " values for " +
                               std::to_string(n) + " synapses");
      }
    }
  }

 private:
  double array_at(const Value& v, std::uint64_t n, const char* name) const {
    if (n >= v.array().size()) {
      throw InvalidParameter(what_ + ": " + name + " array has " +
                             std::to_string(v.array().size()) +
                             " values, fewer than the synapses generated");
    }
    return v.array()[n];
  }

  float checked_weight(double w) const {
    if (!std::isfinite(w) || std::fabs(w) >= kMaxFixedWeight) {
      throw InvalidParameter(what_ + ": weight " + format_number(w) + " " + ctx_.weight_unit +
                             " is not finite or exceeds the limit of " + format_number(kMaxFixedWeight));
    }
    if (ctx_.weights_non_negative && w < 0.0) {
      throw InvalidParameter(what_ + ": weight " + format_number(w) + " " + ctx_.weight_unit +
                             " is negative; conductances must be >= 0 (use receptor 'in' for "
                             "inhibition)");
    }
    return static_cast<float>(w);
  }

  std::string delay_limit_hint() const {
    return ctx_.max_delay_from_user ? " (the model's max_delay)"
                                    : " (the hard limit of " + std::to_string(kMaxDelaySteps) +
                                          " steps)";
  }

  DelaySteps checked_delay(double ms) const {
    const double steps = std::nearbyint(ms / ctx_.dt);
    if (!(steps >= 1.0)) {
      throw InvalidConnection(what_ + ": delay " + format_number(ms) + " ms is shorter than one step (dt = " +
                              format_number(ctx_.dt) + " ms); delays are rounded to whole steps "
                              "and must be at least one");
    }
    if (steps > ctx_.max_delay_steps) {
      throw InvalidConnection(what_ + ": delay " + format_number(ms) + " ms (" + format_number(steps) +
                              " steps) exceeds the longest allowed delay of " +
                              format_number(ctx_.max_delay_steps * ctx_.dt) + " ms (" +
                              std::to_string(ctx_.max_delay_steps) + " steps)" +
                              delay_limit_hint());
    }
    return static_cast<DelaySteps>(steps);
  }

  /// What can be checked before drawing: the bounds of the weight distribution.
  void check_weight_range() const {
    if (syn_.weight.is_array() && syn_.weight.array().empty()) return;
    const auto [lo, hi] = syn_.weight.range();
    if (ctx_.weights_non_negative && lo < 0.0) {
      if (syn_.weight.is_constant()) (void)checked_weight(lo);  // "weight -1 nS is negative"
      throw InvalidParameter(what_ + ": weight " + syn_.weight.describe() +
                             " can be negative; conductances must be >= 0 (bound it, e.g. "
                             "min: 0, or use receptor 'in' for inhibition)");
    }
    if (std::isfinite(lo)) (void)checked_weight(lo);
    if (std::isfinite(hi)) (void)checked_weight(hi);
  }

  void check_delay_range() const {
    auto [lo, hi] = syn_.delay.range();
    if (syn_.delay.is_array() && syn_.delay.array().empty()) return;
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
      throw InvalidConnection(what_ + ": delay " + syn_.delay.describe() +
                              " is unbounded; give min and max");
    }
    checked_delay(lo);
    checked_delay(hi);
  }

  const SynapseSpec& syn_;
  const ProjectionContext& ctx_;
  std::string what_;
  std::uint32_t weight_stream_;
  std::uint32_t delay_stream_;
  std::optional<DrawStream> weights_;
  std::optional<DrawStream> delays_;
};

void check_ids(const std::vector<std::uint32_t>& ids, std::uint32_t n, const std::string& what,
               const char* side) {
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] >= n) {
      throw InvalidConnection(what + ": " + side + " id " + std::to_string(ids[k]) +
                              " (entry " + std::to_string(k) + ") is out of range for a population of " +
                              std::to_string(n));
    }
  }
}

/// k distinct values from [0, n) without `excluded` (or none if excluded >= n), sorted.
/// Floyd's algorithm: O(k) draws whatever k / n.
std::vector<std::uint32_t> distinct_sample(DrawStream& draws, std::uint64_t k, std::uint64_t n,
                                           std::uint64_t excluded) {
  const std::uint64_t m = excluded < n ? n - 1 : n;  // candidates after exclusion
  std::unordered_set<std::uint64_t> chosen;
  chosen.reserve(static_cast<std::size_t>(k * 2));
  for (std::uint64_t j = m - k; j < m; ++j) {
    const std::uint64_t t = draws.below64(j + 1);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  std::vector<std::uint32_t> out;
  out.reserve(k);
  for (std::uint64_t c : chosen) {
    out.push_back(static_cast<std::uint32_t>(excluded < n && c >= excluded ? c + 1 : c));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

double expected_synapses(const ConnectionRule& rule, const ProjectionContext& ctx) {
  const double ns = ctx.n_source;
  const double nt = ctx.n_target;
  return std::visit(overloaded{[&](const connect::AllToAll&) { return ns * nt; },
                               [&](const connect::OneToOne&) { return ns; },
                               [&](const connect::FixedProbability& r) { return r.p * ns * nt; },
                               [&](const connect::FixedIndegree& r) {
                                 return static_cast<double>(r.k) * nt;
                               },
                               [&](const connect::FixedOutdegree& r) {
                                 return static_cast<double>(r.k) * ns;
                               },
                               [&](const connect::Explicit& r) {
                                 return static_cast<double>(r.sources.size());
                               }},
                    rule);
}

void check_projection(const ConnectionRule& rule, const SynapseSpec& syn,
                      const ProjectionContext& ctx) {
  const std::string what = "projection '" + ctx.name + "'";
  const SynapseValues values(syn, ctx);  // checks weight and delay values and range
  const bool no_self = ctx.same_population && !syn.allow_autapses;
  std::visit(
      overloaded{
          [&](const connect::AllToAll&) {
            values.check_array_sizes(static_cast<std::uint64_t>(ctx.n_source) *
                                     (ctx.n_target - (no_self ? 1u : 0u)));
          },
          [&](const connect::OneToOne&) {
            if (ctx.n_source != ctx.n_target) {
              throw InvalidConnection(what + ": one_to_one needs populations of equal size (" +
                                      std::to_string(ctx.n_source) + " and " +
                                      std::to_string(ctx.n_target) + ")");
            }
            if (no_self) {
              throw InvalidConnection(what + ": one_to_one within a population connects every "
                                      "neuron to itself; allow autapses");
            }
            values.check_array_sizes(ctx.n_source);
          },
          [&](const connect::FixedProbability& r) {
            if (!(r.p >= 0.0 && r.p <= 1.0)) {
              throw InvalidParameter(what + ": connection probability p must be in [0, 1] (got " +
                                     format_number(r.p) + ")");
            }
          },
          [&](const connect::FixedIndegree& r) {
            const std::uint64_t candidates = ctx.n_source - (no_self ? 1u : 0u);
            if (!syn.allow_multapses && r.k > candidates) {
              throw InvalidConnection(what + ": fixed_indegree k = " + std::to_string(r.k) +
                                      " exceeds the " + std::to_string(candidates) +
                                      " distinct sources available without multapses");
            }
            if (r.k > 0 && candidates == 0) {
              throw InvalidConnection(what + ": fixed_indegree has no source to draw from");
            }
            values.check_array_sizes(r.k * ctx.n_target);
          },
          [&](const connect::FixedOutdegree& r) {
            const std::uint64_t candidates = ctx.n_target - (no_self ? 1u : 0u);
            if (!syn.allow_multapses && r.k > candidates) {
              throw InvalidConnection(what + ": fixed_outdegree k = " + std::to_string(r.k) +
                                      " exceeds the " + std::to_string(candidates) +
                                      " distinct targets available without multapses");
            }
            if (r.k > std::numeric_limits<std::uint32_t>::max()) {
              throw CapacityError(what + ": fixed_outdegree k = " + std::to_string(r.k) +
                                  " exceeds the 32-bit row length limit");
            }
            if (r.k > 0 && candidates == 0) {
              throw InvalidConnection(what + ": fixed_outdegree has no target to draw from");
            }
            values.check_array_sizes(r.k * ctx.n_source);
          },
          [&](const connect::Explicit& r) {
            if (r.sources.size() != r.targets.size()) {
              throw InvalidConnection(what + ": explicit lists differ in length (" +
                                      std::to_string(r.sources.size()) + " sources, " +
                                      std::to_string(r.targets.size()) + " targets)");
            }
            check_ids(r.sources, ctx.n_source, what, "source");
            check_ids(r.targets, ctx.n_target, what, "target");
            values.check_array_sizes(r.sources.size());
            for (std::size_t k = 0; k < r.sources.size() && no_self; ++k) {
              if (r.sources[k] == r.targets[k]) {
                throw InvalidConnection(what + ": entry " + std::to_string(k) +
                                        " connects neuron " + std::to_string(r.sources[k]) +
                                        " to itself but autapses are not allowed");
              }
            }
            if (!syn.allow_multapses) {
              std::vector<std::uint64_t> pairs(r.sources.size());
              for (std::size_t k = 0; k < pairs.size(); ++k) {
                pairs[k] = (static_cast<std::uint64_t>(r.sources[k]) << 32) | r.targets[k];
              }
              std::sort(pairs.begin(), pairs.end());
              auto dup = std::adjacent_find(pairs.begin(), pairs.end());
              if (dup != pairs.end()) {
                throw InvalidConnection(what + ": the pair " + std::to_string(*dup >> 32) +
                                        " -> " + std::to_string(*dup & 0xffffffffu) +
                                        " appears twice but multapses are not allowed");
              }
            }
          }},
      rule);
}

SynapseCoo generate_synapses(const ConnectionRule& rule, const SynapseSpec& syn,
                              const ProjectionContext& ctx) {
  check_projection(rule, syn, ctx);
  SynapseValues values(syn, ctx);
  const std::uint32_t conn_stream = stream_id("connect:" + ctx.name);
  const bool no_self = ctx.same_population && !syn.allow_autapses;
  SynapseCoo out;
  const double expected = expected_synapses(rule, ctx);
  if (expected < 1e9) {
    const auto reserve = static_cast<std::size_t>(expected * 1.05 + 16);
    out.sources.reserve(reserve);
    out.targets.reserve(reserve);
    out.weights.reserve(reserve);
    out.delays.reserve(reserve);
  }
  std::uint64_t n = 0;  // generation index
  auto add = [&](std::uint32_t s, std::uint32_t t) {
    out.sources.push_back(s);
    out.targets.push_back(t);
    values.append(out, n++);
  };

  std::visit(
      overloaded{
          [&](const connect::AllToAll&) {
            for (std::uint32_t s = 0; s < ctx.n_source; ++s) {
              values.begin_row(s);
              for (std::uint32_t t = 0; t < ctx.n_target; ++t) {
                if (!(no_self && s == t)) add(s, t);
              }
            }
          },
          [&](const connect::OneToOne&) {
            for (std::uint32_t s = 0; s < ctx.n_source; ++s) {
              values.begin_row(s);
              add(s, s);
            }
          },
          [&](const connect::FixedProbability& r) {
            if (r.p == 0.0) return;
            const double log_q = std::log1p(-r.p);
            for (std::uint32_t s = 0; s < ctx.n_source; ++s) {
              values.begin_row(s);
              DrawStream draws(CounterRng(ctx.seed, conn_stream, s), 0);
              // Geometric gaps between successes: O(expected synapses) draws per row.
              std::int64_t t = -1;
              for (;;) {
                if (r.p == 1.0) {
                  ++t;
                } else {
                  const double gap = std::floor(std::log(draws.uniform()) / log_q);
                  if (gap >= static_cast<double>(ctx.n_target)) break;
                  t += static_cast<std::int64_t>(gap) + 1;
                }
                if (t >= static_cast<std::int64_t>(ctx.n_target)) break;
                const auto tt = static_cast<std::uint32_t>(t);
                if (!(no_self && tt == s)) add(s, tt);
              }
            }
            values.check_array_sizes(n);
          },
          [&](const connect::FixedIndegree& r) {
            const std::uint64_t candidates = ctx.n_source - (no_self ? 1u : 0u);
            for (std::uint32_t t = 0; t < ctx.n_target; ++t) {
              values.begin_row(t);
              DrawStream draws(CounterRng(ctx.seed, conn_stream, t), 0);
              if (syn.allow_multapses) {
                for (std::uint64_t j = 0; j < r.k; ++j) {
                  std::uint32_t s = draws.below(static_cast<std::uint32_t>(candidates));
                  if (no_self && s >= t) ++s;
                  add(s, t);
                }
              } else {
                for (std::uint32_t s :
                     distinct_sample(draws, r.k, ctx.n_source, no_self ? t : ctx.n_source)) {
                  add(s, t);
                }
              }
            }
          },
          [&](const connect::FixedOutdegree& r) {
            const std::uint64_t candidates = ctx.n_target - (no_self ? 1u : 0u);
            for (std::uint32_t s = 0; s < ctx.n_source; ++s) {
              values.begin_row(s);
              DrawStream draws(CounterRng(ctx.seed, conn_stream, s), 0);
              if (syn.allow_multapses) {
                for (std::uint64_t j = 0; j < r.k; ++j) {
                  std::uint32_t t = draws.below(static_cast<std::uint32_t>(candidates));
                  if (no_self && t >= s) ++t;
                  add(s, t);
                }
              } else {
                for (std::uint32_t t :
                     distinct_sample(draws, r.k, ctx.n_target, no_self ? s : ctx.n_target)) {
                  add(s, t);
                }
              }
            }
          },
          [&](const connect::Explicit& r) {
            values.begin_row(0);
            for (std::size_t k = 0; k < r.sources.size(); ++k) add(r.sources[k], r.targets[k]);
          }},
      rule);
  return out;
}

}  // namespace spikeq::detail
