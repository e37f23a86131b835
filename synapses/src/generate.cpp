// Connection rules. Every random choice is drawn from the counter-based RNG keyed by
// (seed, stream of the projection and purpose, row), where a row is the source neuron
// (or the target for fixed_indegree): the same seed gives the same synapses whatever
// else the model contains.
//
// Because rows draw independently, rows are generated in parallel, in blocks of rows
// whose size depends only on the rule (never on the thread count), and the blocks are
// laid out in row order: the synapse list is byte for byte the serial one on any number
// of threads, and the error thrown is the first one in generation order.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <sstream>
#include <variant>

#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/overloaded.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/generate.hpp"

namespace spikeq::detail {
namespace {

using detail::overloaded;


/// Draws weights and delays synapse by synapse and checks each against the limits.
/// Shared read-only by the blocks generated in parallel; the draw state of a row lives in
/// each block's own `Draws`.
class SynapseValues {
 public:
  /// The sequential weight and delay streams of the row being generated.
  struct Draws {
    std::optional<DrawStream> weights;
    std::optional<DrawStream> delays;
  };

  SynapseValues(const SynapseSpec& syn, const ProjectionContext& ctx)
      : syn_(syn), ctx_(ctx), what_("projection '" + ctx.name + "'"),
        weight_stream_(stream_id("weight:" + ctx.name)),
        delay_stream_(stream_id("delay:" + ctx.name)) {
    check_value(syn.weight, what_ + ": weight");
    check_value(syn.delay, what_ + ": delay");
    check_weight_range();
    check_delay_range();
    // A constant that passes its check passes it for every synapse: check it once. One
    // that fails keeps the per-synapse path, which throws at the first synapse as before.
    try {
      if (syn.weight.is_constant()) constant_weight_ = checked_weight(syn.weight.constant());
    } catch (const Error&) {
    }
    try {
      if (syn.delay.is_constant()) constant_delay_ = checked_delay(syn.delay.constant());
    } catch (const Error&) {
    }
  }

  /// Whether a value comes from a distribution, i.e. from the row's sequential stream.
  [[nodiscard]] bool random() const { return weight_random() || delay_random(); }

  /// Starts the draws of row `row`.
  void begin_row(Draws& draws, std::uint32_t row) const {
    if (weight_random()) draws.weights.emplace(CounterRng(ctx_.seed, weight_stream_, row), 0);
    if (delay_random()) draws.delays.emplace(CounterRng(ctx_.seed, delay_stream_, row), 0);
  }

  /// Values of the synapse with generation index `n`, checked in the order weight
  /// value, delay value, weight limits, delay limits.
  void draw(Draws& draws, std::uint64_t n, float& weight, DelaySteps& delay) const {
    double w = 0.0;
    double d = 0.0;
    if (!constant_weight_) w = value_at(syn_.weight, n, draws.weights, "weight");
    if (!constant_delay_) d = value_at(syn_.delay, n, draws.delays, "delay");
    weight = constant_weight_ ? *constant_weight_ : checked_weight(w);
    delay = constant_delay_ ? *constant_delay_ : checked_delay(d);
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
  /// The value of synapse n: from its index for arrays and cycles, else the next draw
  /// of the row's stream.
  double value_at(const Value& v, std::uint64_t n, std::optional<DrawStream>& stream,
                  const char* name) const {
    if (v.is_array()) return array_at(v, n, name);
    if (v.is_cycle()) return v.cycle().at(n);
    return draw_value(v, *stream);
  }

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

  bool weight_random() const { return syn_.weight.is_random(); }
  bool delay_random() const { return syn_.delay.is_random(); }

  const SynapseSpec& syn_;
  const ProjectionContext& ctx_;
  std::string what_;
  std::uint32_t weight_stream_;
  std::uint32_t delay_stream_;
  std::optional<float> constant_weight_;
  std::optional<DelaySteps> constant_delay_;
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
/// Floyd's algorithm: O(k) draws whatever k / n. The set is a bitmap when its scan is
/// cheap next to k (then the sorted output comes from the scan, no sort), an
/// open-addressing table otherwise; either gives the same set from the same draws. The
/// memory is reused from row to row; each block has its own sampler.
class DistinctSampler {
 public:
  const std::vector<std::uint32_t>& sample(DrawStream& draws, std::uint64_t k, std::uint64_t n,
                                           std::uint64_t excluded) {
    const std::uint64_t m = excluded < n ? n - 1 : n;  // candidates after exclusion
    const auto label = [&](std::uint64_t c) {
      return static_cast<std::uint32_t>(excluded < n && c >= excluded ? c + 1 : c);
    };
    out_.clear();
    if (k == 0) return out_;
    if (m / 64 <= 8 * k) {
      const auto words = static_cast<std::size_t>((m + 63) / 64);
      if (bits_.size() < words) bits_.resize(words, 0);  // all zero between calls
      for (std::uint64_t j = m - k; j < m; ++j) {
        const std::uint64_t t = draws.below64(j + 1);
        std::uint64_t& w = bits_[t >> 6];
        const std::uint64_t bit = std::uint64_t{1} << (t & 63);
        if (w & bit) {
          bits_[j >> 6] |= std::uint64_t{1} << (j & 63);
        } else {
          w |= bit;
        }
      }
      for (std::size_t i = 0; i < words; ++i) {
        std::uint64_t w = bits_[i];
        bits_[i] = 0;
        while (w != 0) {
          out_.push_back(label(std::uint64_t{i} * 64 + static_cast<unsigned>(std::countr_zero(w))));
          w &= w - 1;
        }
      }
      return out_;
    }
    const std::size_t capacity = std::bit_ceil(static_cast<std::size_t>(2 * k));
    table_.assign(capacity, kEmpty);
    const auto insert = [&](std::uint64_t v) {
      std::size_t h = static_cast<std::size_t>((v * 0x9E3779B97F4A7C15ull) >> 32) & (capacity - 1);
      while (table_[h] != kEmpty) {
        if (table_[h] == v) return false;
        h = (h + 1) & (capacity - 1);
      }
      table_[h] = v;
      return true;
    };
    for (std::uint64_t j = m - k; j < m; ++j) {
      const std::uint64_t t = draws.below64(j + 1);
      if (insert(t)) {
        out_.push_back(label(t));
      } else {
        insert(j);
        out_.push_back(label(j));
      }
    }
    std::sort(out_.begin(), out_.end());
    return out_;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint64_t> table_;
  std::vector<std::uint32_t> out_;
};

/// Work of one block in units of synapses (a row costs about one more: its stream and,
/// for fixed_probability, the draw that ends it). Large enough that scheduling a block
/// costs little next to its work, small enough for a few hundred blocks in a big
/// projection. A projection below one block is generated inline, without TBB.
constexpr double kBlockWork = 65536.0;

/// Rows per block: a function of the rule and the sizes only, never of the threads.
std::uint64_t rows_per_block(double synapses_per_row, std::uint32_t n_rows) {
  const double rows = std::floor(kBlockWork / (synapses_per_row + 1.0));
  const double most = std::max(1.0, static_cast<double>(n_rows));
  return static_cast<std::uint64_t>(std::clamp(rows, 1.0, most));
}

/// Runs body(b) for blocks 0..n_blocks-1, in parallel when there are several. Every block
/// keeps its own exception; the one of the lowest block is rethrown, which is the first
/// error in generation order because blocks are in row order and each stops at its
/// first error. Blocks after a failed one are skipped: their errors could not win.
template <class Body>
void run_blocks(std::uint64_t n_blocks, const Body& body) {
  if (n_blocks == 0) return;
  if (n_blocks == 1) {
    body(std::uint64_t{0});
    return;
  }
  std::vector<std::exception_ptr> errors(n_blocks);
  std::atomic<std::uint64_t> first_failed{n_blocks};
  tbb::parallel_for(
      tbb::blocked_range<std::uint64_t>(0, n_blocks, 1),
      [&](const tbb::blocked_range<std::uint64_t>& range) {
        for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
          if (b > first_failed.load(std::memory_order_relaxed)) return;
          try {
            body(b);
          } catch (...) {
            errors[b] = std::current_exception();
            std::uint64_t f = first_failed.load(std::memory_order_relaxed);
            while (b < f && !first_failed.compare_exchange_weak(f, b, std::memory_order_relaxed)) {
            }
          }
        }
      },
      tbb::simple_partitioner());
  const std::uint64_t f = first_failed.load();
  if (f < n_blocks) std::rethrow_exception(errors[f]);
}

/// Sizes the four columns; big ones are zeroed (and their pages faulted in) concurrently.
void resize_columns(SynapseCoo& out, std::uint64_t n) {
  const auto size = static_cast<std::size_t>(n);
  if (static_cast<double>(n) < kBlockWork) {
    out.sources.resize(size);
    out.targets.resize(size);
    out.weights.resize(size);
    out.delays.resize(size);
    return;
  }
  tbb::parallel_invoke([&] { out.sources.resize(size); }, [&] { out.targets.resize(size); },
                       [&] { out.weights.resize(size); }, [&] { out.delays.resize(size); });
}

/// Rows with the same number of synapses each (all rules but fixed_probability): block
/// b starts at a known index, so every block writes its synapses, values included, in
/// place. row_fn(row, sampler, emit) calls emit(source, target) per synapse of the row.
template <class RowFn>
SynapseCoo generate_equal_rows(std::uint32_t n_rows, std::uint64_t per_row,
                               const SynapseValues& values, const std::string& what,
                               const RowFn& row_fn) {
  SynapseCoo out;
  const std::uint64_t total = per_row * n_rows;
  if (total == 0) return out;
  resize_columns(out, total);
  const std::uint64_t rows = rows_per_block(static_cast<double>(per_row), n_rows);
  run_blocks((n_rows + rows - 1) / rows, [&](std::uint64_t b) {
    const auto first = static_cast<std::uint32_t>(b * rows);
    const auto last = static_cast<std::uint32_t>(std::min<std::uint64_t>(n_rows, first + rows));
    SynapseValues::Draws draws;
    DistinctSampler sampler;
    std::uint64_t n = std::uint64_t{first} * per_row;
    auto emit = [&](std::uint32_t s, std::uint32_t t) {
      out.sources[n] = s;
      out.targets[n] = t;
      values.draw(draws, n, out.weights[n], out.delays[n]);
      ++n;
    };
    for (std::uint32_t row = first; row < last; ++row) {
      values.begin_row(draws, row);
      row_fn(row, sampler, emit);
      if (n != std::uint64_t{row + 1} * per_row) {
        throw Error("internal: " + what + ": row " + std::to_string(row) +
                    " has a different number of synapses than expected");
      }
    }
  });
  return out;
}

/// Rows of varying length (fixed_probability). Pass 1 draws each block's pairs into its
/// own lists; a prefix sum of their lengths gives each block's first generation index;
/// pass 2 copies the pairs into place and draws the values, so that array values are
/// indexed and errors raised exactly as in one serial pass.
template <class RowFn>
SynapseCoo generate_varying_rows(std::uint32_t n_rows, double per_row,
                                 const SynapseValues& values, const RowFn& row_fn) {
  struct Pairs {
    std::vector<std::uint32_t> sources;
    std::vector<std::uint32_t> targets;
  };
  SynapseCoo out;
  if (n_rows == 0) return out;
  const std::uint64_t rows = rows_per_block(per_row, n_rows);
  const std::uint64_t n_blocks = (n_rows + rows - 1) / rows;
  std::vector<Pairs> blocks(n_blocks);
  run_blocks(n_blocks, [&](std::uint64_t b) {
    const auto first = static_cast<std::uint32_t>(b * rows);
    const auto last = static_cast<std::uint32_t>(std::min<std::uint64_t>(n_rows, first + rows));
    Pairs& pairs = blocks[b];
    const auto expected = static_cast<std::size_t>(per_row * (last - first) * 1.05 + 16);
    pairs.sources.reserve(expected);
    pairs.targets.reserve(expected);
    DistinctSampler sampler;
    auto emit = [&](std::uint32_t s, std::uint32_t t) {
      pairs.sources.push_back(s);
      pairs.targets.push_back(t);
    };
    for (std::uint32_t row = first; row < last; ++row) row_fn(row, sampler, emit);
  });
  std::vector<std::uint64_t> offset(n_blocks + 1, 0);
  for (std::uint64_t b = 0; b < n_blocks; ++b) offset[b + 1] = offset[b] + blocks[b].sources.size();
  const std::uint64_t total = offset[n_blocks];
  if (n_blocks == 1) {  // small projections: the block's lists become the columns
    out.sources = std::move(blocks[0].sources);
    out.targets = std::move(blocks[0].targets);
    out.weights.resize(static_cast<std::size_t>(total));
    out.delays.resize(static_cast<std::size_t>(total));
  } else {
    resize_columns(out, total);
  }
  run_blocks(n_blocks, [&](std::uint64_t b) {
    const std::uint64_t base = offset[b];
    const std::uint64_t end = offset[b + 1];
    if (n_blocks > 1) {
      Pairs pairs = std::move(blocks[b]);  // freed as soon as it is copied
      std::copy(pairs.sources.begin(), pairs.sources.end(),
                out.sources.begin() + static_cast<std::ptrdiff_t>(base));
      std::copy(pairs.targets.begin(), pairs.targets.end(),
                out.targets.begin() + static_cast<std::ptrdiff_t>(base));
    }
    SynapseValues::Draws draws;
    // The row of a synapse is its source; a row without synapses draws nothing.
    std::optional<std::uint32_t> row;
    for (std::uint64_t n = base; n < end; ++n) {
      if (row != out.sources[n]) {
        row = out.sources[n];
        values.begin_row(draws, *row);
      }
      values.draw(draws, n, out.weights[n], out.delays[n]);
    }
  });
  return out;
}

/// Explicit lists: one stream for the whole list (row 0), so values drawn from a
/// distribution are drawn in one block; constants, arrays and cycles fill blocks in
/// parallel.
SynapseCoo generate_explicit(const connect::Explicit& r, const SynapseValues& values) {
  SynapseCoo out;
  const std::uint64_t total = r.sources.size();
  resize_columns(out, total);
  const auto per_block = static_cast<std::uint64_t>(kBlockWork);
  const std::uint64_t n_blocks = values.random() ? std::min<std::uint64_t>(total, 1)
                                                 : (total + per_block - 1) / per_block;
  const std::uint64_t block = values.random() ? total : per_block;
  run_blocks(n_blocks, [&](std::uint64_t b) {
    const std::uint64_t first = b * block;
    const std::uint64_t last = std::min(total, first + block);
    SynapseValues::Draws draws;
    values.begin_row(draws, 0);
    for (std::uint64_t n = first; n < last; ++n) {
      out.sources[n] = r.sources[n];
      out.targets[n] = r.targets[n];
      values.draw(draws, n, out.weights[n], out.delays[n]);
    }
  });
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
              // Equal keys are indistinguishable, so any sort gives the same sequence.
              tbb::parallel_sort(pairs.begin(), pairs.end());
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
  const SynapseValues values(syn, ctx);
  const std::string what = "projection '" + ctx.name + "'";
  const std::uint32_t conn_stream = stream_id("connect:" + ctx.name);
  const bool no_self = ctx.same_population && !syn.allow_autapses;
  // The k partners of row `row` (a target for fixed_indegree, a source for
  // fixed_outdegree) among n candidates, skipping the row's own neuron without autapses;
  // each goes to `each` in draw order.
  auto draw_partners = [&](std::uint32_t row, std::uint64_t k, std::uint32_t n,
                           DistinctSampler& sampler, auto&& each) {
    DrawStream draws(CounterRng(ctx.seed, conn_stream, row), 0);
    if (syn.allow_multapses) {
      const std::uint64_t candidates = n - (no_self ? 1u : 0u);
      for (std::uint64_t j = 0; j < k; ++j) {
        std::uint32_t p = draws.below(static_cast<std::uint32_t>(candidates));
        if (no_self && p >= row) ++p;
        each(p);
      }
    } else {
      for (std::uint32_t p : sampler.sample(draws, k, n, no_self ? row : n)) each(p);
    }
  };

  // Each rule is a function of one row: it draws only from that row's streams, so rows
  // can be generated in any order and on any thread.
  return std::visit(
      overloaded{
          [&](const connect::AllToAll&) {
            return generate_equal_rows(
                ctx.n_source, ctx.n_target - (no_self ? 1u : 0u), values, what,
                [&](std::uint32_t s, DistinctSampler&, auto& emit) {
                  for (std::uint32_t t = 0; t < ctx.n_target; ++t) {
                    if (!(no_self && s == t)) emit(s, t);
                  }
                });
          },
          [&](const connect::OneToOne&) {
            return generate_equal_rows(ctx.n_source, 1, values, what,
                                       [](std::uint32_t s, DistinctSampler&, auto& emit) {
                                         emit(s, s);
                                       });
          },
          [&](const connect::FixedProbability& r) {
            if (r.p == 0.0) return SynapseCoo{};
            const double log_q = std::log1p(-r.p);
            SynapseCoo out = generate_varying_rows(
                ctx.n_source, r.p * ctx.n_target, values,
                [&](std::uint32_t s, DistinctSampler&, auto& emit) {
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
                    if (!(no_self && tt == s)) emit(s, tt);
                  }
                });
            values.check_array_sizes(out.size());
            return out;
          },
          [&](const connect::FixedIndegree& r) {
            return generate_equal_rows(
                ctx.n_target, r.k, values, what,
                [&](std::uint32_t t, DistinctSampler& sampler, auto& emit) {
                  draw_partners(t, r.k, ctx.n_source, sampler,
                                [&](std::uint32_t s) { emit(s, t); });
                });
          },
          [&](const connect::FixedOutdegree& r) {
            return generate_equal_rows(
                ctx.n_source, r.k, values, what,
                [&](std::uint32_t s, DistinctSampler& sampler, auto& emit) {
                  draw_partners(s, r.k, ctx.n_target, sampler,
                                [&](std::uint32_t t) { emit(s, t); });
                });
          },
          [&](const connect::Explicit& r) { return generate_explicit(r, values); }},
      rule);
}

}  // namespace spikeq::detail
