// Connection generation runs in parallel over blocks of rows; its output must be the
// serial one, byte for byte, on any number of threads. Each projection here has a few
// hundred thousand synapses so that it spans several blocks.
#include <doctest/doctest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/generate.hpp"

using namespace spikeq;
using spikeq::detail::SynapseCoo;

namespace {

constexpr int kThreadCounts[] = {1, 2, 3, 8};

/// Lets the arenas have their 3 and 8 threads on machines with fewer cores, so that
/// blocks really interleave; scoped to each test case.
tbb::global_control allow_threads() {
  return tbb::global_control(tbb::global_control::max_allowed_parallelism, 8);
}

struct Projection {
  ConnectionRule rule;
  SynapseSpec syn;
  detail::ProjectionContext ctx;
};

detail::ProjectionContext context(const std::string& name, std::uint32_t n_source,
                                  std::uint32_t n_target, bool same) {
  detail::ProjectionContext ctx;
  ctx.name = name;
  ctx.n_source = n_source;
  ctx.n_target = n_target;
  ctx.same_population = same;
  ctx.seed = 20240611;
  ctx.weight_unit = "pA";
  return ctx;
}

SynapseCoo generate_on(int threads, const Projection& p) {
  tbb::task_arena arena(threads);
  return arena.execute([&] { return detail::generate_synapses(p.rule, p.syn, p.ctx); });
}

/// The message generation throws on `threads` threads, or "" if it throws none.
std::string error_on(int threads, const Projection& p) {
  try {
    (void)generate_on(threads, p);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// Compares the float weights bit for bit, not by value.
bool identical(const SynapseCoo& a, const SynapseCoo& b) {
  if (a.sources != b.sources || a.targets != b.targets || a.delays != b.delays) return false;
  if (a.weights.size() != b.weights.size()) return false;
  for (std::size_t k = 0; k < a.weights.size(); ++k) {
    if (std::bit_cast<std::uint32_t>(a.weights[k]) != std::bit_cast<std::uint32_t>(b.weights[k])) {
      return false;
    }
  }
  return true;
}

std::vector<double> ramp(std::size_t n, double first, double step) {
  std::vector<double> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = first + step * static_cast<double>(k % 997);
  return v;
}

/// Replays the weight and delay draws synapse by synapse, as one serial pass does: the
/// streams restart at every row, array values are indexed by generation index. This
/// checks the block layout without relying on it. `row_of(n)` is synapse n's row.
/// Returns the first value error in generation order, or "" if there is none.
std::string replay_values(const SynapseCoo& pairs, const Projection& p,
                          const std::function<std::uint32_t(std::uint64_t)>& row_of,
                          const SynapseCoo* expected) {
  const std::string what = "projection '" + p.ctx.name + "'";
  const std::uint32_t weight_stream = detail::stream_id("weight:" + p.ctx.name);
  const std::uint32_t delay_stream = detail::stream_id("delay:" + p.ctx.name);
  std::optional<std::uint32_t> row;
  std::optional<detail::DrawStream> weights;
  std::optional<detail::DrawStream> delays;
  for (std::uint64_t n = 0; n < pairs.size(); ++n) {
    if (row != row_of(n)) {
      row = row_of(n);
      weights.emplace(detail::CounterRng(p.ctx.seed, weight_stream, *row), 0);
      delays.emplace(detail::CounterRng(p.ctx.seed, delay_stream, *row), 0);
    }
    for (auto [v, name] : {std::pair{&p.syn.weight, "weight"}, std::pair{&p.syn.delay, "delay"}}) {
      if (v->is_array() && n >= v->array().size()) {
        return what + ": " + name + " array has " + std::to_string(v->array().size()) +
               " values, fewer than the synapses generated";
      }
    }
    const double w = p.syn.weight.is_array() ? p.syn.weight.array()[n]
                                             : detail::draw_value(p.syn.weight, *weights);
    const double d = p.syn.delay.is_array() ? p.syn.delay.array()[n]
                                            : detail::draw_value(p.syn.delay, *delays);
    if (std::fabs(w) >= detail::kMaxFixedWeight) {
      return what + ": weight " + detail::format_number(w) +
             " pA is not finite or exceeds the limit of " +
             detail::format_number(detail::kMaxFixedWeight);
    }
    if (expected != nullptr &&
        (expected->weights[n] != static_cast<float>(w) ||
         expected->delays[n] != static_cast<detail::DelaySteps>(std::nearbyint(d / p.ctx.dt)))) {
      return "synapse " + std::to_string(n) + " has other values than its row's draws";
    }
  }
  return "";
}

/// The first synapse not where its rule puts it in generation order, or "" if none.
std::string misplaced(const SynapseCoo& out, const Projection& p) {
  const bool no_self = p.ctx.same_population && !p.syn.allow_autapses;
  const auto& s = out.sources;
  const auto& t = out.targets;
  const auto at = [](std::uint64_t n) { return "synapse " + std::to_string(n); };
  return std::visit(
      [&](const auto& r) -> std::string {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, connect::AllToAll>) {
          std::uint64_t n = 0;
          for (std::uint32_t a = 0; a < p.ctx.n_source; ++a) {
            for (std::uint32_t b = 0; b < p.ctx.n_target; ++b) {
              if (no_self && a == b) continue;
              if (n >= out.size() || s[n] != a || t[n] != b) return at(n);
              ++n;
            }
          }
          return n == out.size() ? "" : "too many synapses";
        } else if constexpr (std::is_same_v<R, connect::OneToOne>) {
          if (out.size() != p.ctx.n_source) return "wrong count";
          for (std::uint64_t n = 0; n < out.size(); ++n) {
            if (s[n] != n || t[n] != n) return at(n);
          }
        } else if constexpr (std::is_same_v<R, connect::FixedProbability>) {
          for (std::uint64_t n = 1; n < out.size(); ++n) {
            if (!(s[n - 1] < s[n] || (s[n - 1] == s[n] && t[n - 1] < t[n]))) return at(n);
            if (no_self && s[n] == t[n]) return at(n);
          }
        } else if constexpr (std::is_same_v<R, connect::FixedIndegree> ||
                             std::is_same_v<R, connect::FixedOutdegree>) {
          // Rows of k synapses: by target for fixed_indegree, by source for fixed_outdegree.
          constexpr bool in = std::is_same_v<R, connect::FixedIndegree>;
          const auto& row = in ? t : s;
          const auto& other = in ? s : t;
          if (out.size() != r.k * (in ? p.ctx.n_target : p.ctx.n_source)) return "wrong count";
          for (std::uint64_t n = 0; n < out.size(); ++n) {
            if (row[n] != n / r.k || (no_self && s[n] == t[n])) return at(n);
            if (!p.syn.allow_multapses && n % r.k != 0 && !(other[n - 1] < other[n])) return at(n);
          }
        } else {
          if (s != r.sources || t != r.targets) return "the lists differ";
        }
        return "";
      },
      p.rule);
}

/// Synapse n's row: the target for fixed_indegree, 0 for explicit lists, else the source.
std::function<std::uint32_t(std::uint64_t)> rows_of(const SynapseCoo& out, const Projection& p) {
  if (std::holds_alternative<connect::FixedIndegree>(p.rule)) {
    return [&out](std::uint64_t n) { return out.targets[n]; };
  }
  if (std::holds_alternative<connect::Explicit>(p.rule)) {
    return [](std::uint64_t) { return 0u; };
  }
  return [&out](std::uint64_t n) { return out.sources[n]; };
}

/// The pairs of a projection alone: the connection draws do not depend on the values.
SynapseCoo pairs_of(const Projection& p) {
  Projection plain = p;
  plain.syn.weight = 1.0;
  plain.syn.delay = 1.0;
  return detail::generate_synapses(plain.rule, plain.syn, plain.ctx);
}

std::vector<Projection> projections() {
  std::vector<Projection> out;
  auto add = [&](ConnectionRule rule, SynapseSpec syn, detail::ProjectionContext ctx) {
    out.push_back({std::move(rule), std::move(syn), std::move(ctx)});
  };
  SynapseSpec syn;
  syn.weight = Normal{2.0, 1.0, 0.0, 4.0};
  syn.delay = Uniform{0.1, 5.0};
  syn.allow_autapses = false;
  add(connect::AllToAll{}, syn, context("all", 700, 700, true));  // 489 300

  syn = {};
  syn.weight = Uniform{-3.0, 3.0};
  syn.delay = ramp(300000, 0.1, 0.01);
  add(connect::OneToOne{}, syn, context("one", 300000, 300000, false));

  syn = {};
  syn.weight = Lognormal{0.0, 1.0};
  syn.delay = Uniform{0.1, 5.0};
  syn.allow_autapses = false;
  add(connect::FixedProbability{0.1}, syn, context("prob", 2000, 2000, true));  // ~400 000

  syn = {};
  syn.weight = Uniform{1.0, 2.0};
  syn.delay = 1.5;
  syn.allow_autapses = false;
  syn.allow_multapses = false;
  add(connect::FixedIndegree{150}, syn, context("in", 3000, 3000, true));  // 450 000

  syn = {};
  syn.weight = ramp(400000, -1.0, 0.002);
  syn.delay = Normal{2.0, 0.5, 0.5, 4.0};
  add(connect::FixedIndegree{100}, syn, context("in_multi", 1000, 4000, false));

  // One million candidates for 200 picks: the sparse path of the distinct sampler.
  syn = {};
  syn.weight = Uniform{0.5, 1.5};
  syn.delay = Uniform{0.1, 2.0};
  syn.allow_multapses = false;
  add(connect::FixedOutdegree{200}, syn, context("out_sparse", 2000, 1000000, false));

  syn = {};
  syn.weight = 0.25;
  syn.delay = ramp(250000, 0.2, 0.003);
  syn.allow_autapses = false;
  add(connect::FixedOutdegree{125}, syn, context("out_multi", 2000, 2000, true));

  std::vector<std::uint32_t> sources(300000);
  std::vector<std::uint32_t> targets(sources.size());
  detail::DrawStream draws(detail::CounterRng(7, 7, 7), 0);
  for (std::size_t k = 0; k < sources.size(); ++k) {
    sources[k] = draws.below(5000);
    targets[k] = draws.below(4000);
  }
  syn = {};
  syn.weight = Uniform{1.0, 2.0};  // one stream for the whole list
  syn.delay = Uniform{0.1, 2.0};
  add(connect::Explicit{sources, targets}, syn, context("list", 5000, 4000, false));
  syn.weight = ramp(sources.size(), 0.5, 0.01);
  syn.delay = 1.0;
  add(connect::Explicit{sources, targets}, syn, context("list_arrays", 5000, 4000, false));
  return out;
}

}  // namespace

TEST_CASE("parallel generation gives the serial synapses on 1, 2, 3 and 8 threads") {
  const auto threads_allowed = allow_threads();
  for (const Projection& p : projections()) {
    CAPTURE(p.ctx.name);
    // Arrays for fixed_probability need the count, known once the pairs are drawn.
    Projection q = p;
    if (std::holds_alternative<connect::FixedProbability>(q.rule)) {
      q.syn.delay = ramp(pairs_of(q).size(), 0.1, 0.004);
    }
    const SynapseCoo reference = generate_on(1, q);
    REQUIRE(reference.size() > 200000);
    CHECK(misplaced(reference, q) == "");
    CHECK(replay_values(reference, q, rows_of(reference, q), &reference) == "");
    for (int threads : kThreadCounts) {
      CAPTURE(threads);
      CHECK(identical(generate_on(threads, q), reference));
    }
  }
}

TEST_CASE("parallel generation throws the first error in generation order on any thread count") {
  const auto threads_allowed = allow_threads();
  // Lognormal weights with a heavy tail exceed the fixed-point limit at scattered
  // synapses, in many blocks; fixed_probability with an array shorter than its synapses
  // fails at the array's end. The error must be the earliest of all of them.
  std::vector<Projection> cases;
  for (double sigma : {1.0, 4.8, 6.0}) {
    SynapseSpec syn;
    syn.weight = Lognormal{0.0, sigma};
    syn.delay = Uniform{0.1, 5.0};
    syn.allow_multapses = false;
    if (sigma > 1.0) {
      cases.push_back({connect::FixedIndegree{100}, syn, context("heavy_in", 3000, 3000, false)});
      cases.push_back({connect::AllToAll{}, syn, context("heavy_all", 600, 600, false)});
    }
    const Projection prob{connect::FixedProbability{0.05}, syn,
                          context("heavy_prob", 3000, 3000, false)};
    const std::uint64_t n = pairs_of(prob).size();
    for (std::uint64_t length : {n / 3, n - 1}) {
      Projection p = prob;
      p.syn.delay = ramp(length, 0.1, 0.004);
      cases.push_back(p);
    }
  }
  int weight_errors = 0;
  int array_errors = 0;
  for (const Projection& p : cases) {
    CAPTURE(p.ctx.name);
    const SynapseCoo pairs = pairs_of(p);
    const std::string expected = replay_values(pairs, p, rows_of(pairs, p), nullptr);
    REQUIRE(expected != "");
    weight_errors += expected.find(": weight ") != std::string::npos;
    array_errors += expected.find("array has") != std::string::npos;
    for (int threads : kThreadCounts) {
      CAPTURE(threads);
      CHECK(error_on(threads, p) == expected);
    }
  }
  // Both kinds of error come first in some case, so the order between them is tested.
  CHECK(weight_errors > 0);
  CHECK(array_errors > 0);
}

TEST_CASE("a fixed_probability array longer than the synapses is reported after generation") {
  const auto threads_allowed = allow_threads();
  SynapseSpec syn;
  syn.delay = Uniform{0.1, 5.0};
  Projection p{connect::FixedProbability{0.05}, syn, context("long", 3000, 3000, false)};
  const std::uint64_t n = pairs_of(p).size();
  p.syn.weight = ramp(n + 3, 0.5, 0.01);
  for (int threads : kThreadCounts) {
    CAPTURE(threads);
    CHECK(error_on(threads, p) == "projection 'long': weight array has " + std::to_string(n + 3) +
                                      " values for " + std::to_string(n) + " synapses");
  }
}
