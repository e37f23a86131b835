#pragma once
// Populations whose spikes are given, not computed: they have no dynamics and no
// receptors, and serve as projection sources like any other population.
//   spike_source_array: explicit spike times per neuron. A time t (ms) belongs to the
//     step that contains it, ((S-1) dt, S dt], and is stamped at grid step S = ceil(t/dt),
//     the same rule as for recorded spikes; t must be > 0.
//   poisson_source: each neuron fires independently in each step with probability
//     1 - exp(-rate dt) (a Poisson process, at most one spike per step; the rate may
//     differ per neuron, a Value like any parameter), drawn from the
//     counter-based RNG keyed by (seed, population, neuron, step).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/checks.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/parameters.hpp"

namespace spikeq::neurons {

/// Storage a model may need beyond per-neuron columns (owned by the population).
struct ModelTables {
  std::vector<std::int64_t> i64;
  std::vector<std::uint64_t> u64;
};

/// Where a model's tables sit now: host memory (ModelTables) or a device's copy of them.
/// A model's bind(derived&, TableView) points its derived constants at them.
struct TableView {
  const std::int64_t* i64;
  const std::uint64_t* u64;
};
inline TableView view_of(const ModelTables& t) { return {t.i64.data(), t.u64.data()}; }

struct spike_source_array {
  static constexpr std::string_view name = "spike_source_array";

  struct params {
    std::vector<std::vector<double>> times;  // ms, one list per neuron
  };

  struct derived {
    const std::int64_t* emit_steps;  // update index u = S - 1 of every spike, per neuron
    const std::uint64_t* offsets;    // neuron i owns emit_steps[offsets[i] .. offsets[i+1])
  };

  enum Int { cursor, n_int_ };
  static constexpr int n_real = 0;
  static constexpr int n_int = n_int_;
  static constexpr std::array<std::string_view, 0> real_names{};
  static constexpr std::array<ReceptorInfo, 0> receptors{};
  static constexpr std::array<Recordable, 0> recordables{};
  static constexpr bool vectorize = false;
  using view = Columns<n_real, n_int>;
  static constexpr std::array<Param<params>, 1> parameters{
      custom<params>("times", "list of time lists", "required",
                     "one list of spike times per neuron (each > 0, at most one per step)")};

  static derived derive(const params&, double, const std::string&) { return derived{}; }

  /// Rounds the times to steps, sorted per neuron; rejects t <= 0 and two spikes of
  /// one neuron in the same step.
  static void build_tables(const params& p, double dt, const std::string& pop,
                           ModelTables& t) {
    t.u64.assign(1, 0);
    for (std::size_t n = 0; n < p.times.size(); ++n) {
      std::vector<std::int64_t> steps;
      steps.reserve(p.times[n].size());
      for (double ms : p.times[n]) {
        if (!(ms > 0.0) || !std::isfinite(ms)) {
          checks::fail(pop, "times[" + std::to_string(n) + "]",
                       "must contain only finite times > 0", ms, "ms");
        }
        const auto S = static_cast<std::int64_t>(std::ceil(ms / dt - 1e-9));
        steps.push_back(S - 1);
      }
      std::sort(steps.begin(), steps.end());
      for (std::size_t k = 1; k < steps.size(); ++k) {
        if (steps[k] == steps[k - 1]) {
          checks::fail(pop, "times[" + std::to_string(n) + "]",
                       "has two spikes in the same step (neuron " + std::to_string(n) +
                           ", step " + std::to_string(steps[k] + 1) + ")",
                       static_cast<double>(steps[k] + 1) * dt, "ms");
        }
      }
      t.i64.insert(t.i64.end(), steps.begin(), steps.end());
      t.u64.push_back(t.i64.size());
    }
  }

  static void bind(derived& d, const TableView& t) {
    d.emit_steps = t.i64;
    d.offsets = t.u64;
  }

  template <typename Filler>
  static void init(const params&, const derived&, Filler&) {}

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& d, const view& s, std::uint32_t i, const Input&,
                             double, const StepContext& ctx) {
    const std::uint64_t k = d.offsets[i] + static_cast<std::uint64_t>(s.ints[cursor][i]);
    if (k < d.offsets[i + 1] && d.emit_steps[k] == ctx.step) {
      ++s.ints[cursor][i];
      return true;
    }
    return false;
  }

  SPIKEQ_HD static double read(const derived&, const view&, int, std::uint32_t) { return 0.0; }
};

struct poisson_source {
  static constexpr std::string_view name = "poisson_source";

  struct params {
    Value rate = 10.0;  // Hz, per neuron
  };

  struct derived {
    double dt;  // ms
  };

  enum Real { p_spike, n_real_ };  // 1 - exp(-rate dt), per neuron
  static constexpr int n_real = n_real_;
  static constexpr int n_int = 0;
  static constexpr std::array<std::string_view, n_real> real_names{"p_spike"};
  static constexpr std::array<ReceptorInfo, 0> receptors{};
  static constexpr std::array<Recordable, 0> recordables{};
  static constexpr bool vectorize = false;
  using view = Columns<n_real, n_int>;
  static constexpr std::array<Param<params>, 1> parameters{
      per_neuron("rate", &params::rate, Dimension::rate, "firing rate (>= 0)")};

  static derived derive(const params&, double dt, const std::string&) { return derived{dt}; }

  template <typename Filler>
  static void init(const params& p, const derived& d, Filler& fill) {
    fill.real(p_spike, p.rate, "rate");
    for (double& x : fill.column(p_spike)) {
      checks::non_negative(fill.population(), "rate", x, "Hz");
      x = -std::expm1(-x * d.dt * 1e-3);
    }
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived&, const view& s, std::uint32_t i, const Input&,
                             double, const StepContext& ctx) {
    const detail::CounterRng rng(ctx.seed, ctx.stream, ctx.id_of(i));
    const auto block = rng.block(detail::step_index(ctx.step));
    return detail::to_unit_open(block.v[0], block.v[1]) < s.real[p_spike][i];
  }

  SPIKEQ_HD static double read(const derived&, const view&, int, std::uint32_t) { return 0.0; }
};

}  // namespace spikeq::neurons
