#include "spikeq/core/detail/build.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <type_traits>
#include <variant>

#include "spikeq/core/detail/overloaded.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/backends/plastic_kernels.hpp"
#include "spikeq/synapses/detail/generate.hpp"
#include "spikeq/synapses/detail/graph.hpp"

namespace spikeq::detail {
namespace {

using detail::overloaded;


/// Fills a model's state columns from its parameters (the `Filler` of the models' init).
class ColumnFiller {
 public:
  ColumnFiller(std::vector<double>* columns, std::uint32_t n, const std::string& population,
               std::uint64_t seed)
      : columns_(columns), n_(n), population_(population), seed_(seed) {}

  void real(int column, const Value& v, std::string_view param, double offset = 0.0) {
    const std::string what = "population '" + population_ + "': parameter '" +
                             std::string(param) + "'";
    auto values = realize_per_element(
        v, n_, seed_, stream_id("param:" + population_ + ":" + std::string(param)), what);
    for (double& x : values) x += offset;
    columns_[column] = std::move(values);
  }

  std::vector<double>& column(int c) { return columns_[c]; }
  [[nodiscard]] const std::string& population() const { return population_; }

  /// Per neuron: column c >= 0, else an error naming the parameter.
  void require_non_negative(int c, std::string_view name) {
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (!(columns_[c][i] >= 0.0)) {
        throw InvalidParameter("population '" + population_ + "': parameter '" +
                               std::string(name) + "' must be >= 0 (neuron " +
                               std::to_string(i) + ")");
      }
    }
  }

  /// Per neuron: column a < column b, else an error naming both parameters.
  void require_less(int a, std::string_view a_name, int b, std::string_view b_name) {
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (!(columns_[a][i] < columns_[b][i])) {
        throw InvalidParameter("population '" + population_ + "': parameter '" +
                               std::string(a_name) + "' must be below '" +
                               std::string(b_name) + "' (neuron " + std::to_string(i) + ")");
      }
    }
  }

 private:
  std::vector<double>* columns_;
  std::uint32_t n_;
  const std::string& population_;
  std::uint64_t seed_;
};

template <typename M>
PopulationState make_state(const typename M::params& p, const PopulationSpec& spec, double dt,
                           std::uint64_t seed) {
  PointPopulation<M> pp;
  pp.derived = M::derive(p, dt, spec.name);
  std::array<std::vector<double>, M::n_real + 1> scratch;  // +1: models without columns
  ColumnFiller fill(scratch.data(), spec.size, spec.name, seed);
  for (int c = 0; c < M::n_real; ++c) scratch[c].assign(spec.size, 0.0);
  M::init(p, pp.derived, fill);
  for (int c = 0; c < M::n_real; ++c) pp.real[c] = std::move(scratch[c]);
  for (int c = 0; c < M::n_int; ++c) pp.ints[c].assign(spec.size, 0);
  if constexpr (requires { M::build_tables(p, dt, spec.name, pp.tables); }) {
    if (p.times.size() != spec.size) {
      throw InvalidParameter("population '" + spec.name + "': parameter 'times' has " +
                             std::to_string(p.times.size()) + " spike lists for " +
                             std::to_string(spec.size) + " neurons");
    }
    M::build_tables(p, dt, spec.name, pp.tables);
  }
  return pp;
}

/// Tiles of an ELM population: a tile's input slots must fit the 16-bit offset of a
/// synapse entry, and each neuron costs microseconds a step, so tiles stay small enough
/// to spread a few dozen neurons over threads.
Tiling elm_tiling(std::uint32_t n, std::uint32_t inputs, const std::string& population) {
  const std::uint32_t fit = kMaxTileNeurons / inputs;
  if (fit == 0) {
    throw CapacityError("population '" + population + "': an ELM neuron with " +
                        std::to_string(inputs) + " inputs exceeds the " +
                        std::to_string(kMaxTileNeurons) + " input slots a tile can address");
  }
  const std::uint32_t cap = fit >= 8 ? fit / 8 * 8 : fit;
  const std::uint32_t wanted = (n + kTargetTiles - 1) / kTargetTiles;
  const std::uint32_t tile = std::clamp((wanted + 7) / 8 * 8, std::min(8u, cap), cap);
  return Tiling{n, tile, (n + tile - 1) / tile};
}

template <typename T>
ElmEngine<T> make_elm_engine(const neurons::elm::params& p, std::uint32_t n) {
  ElmEngine<T> e;
  e.tables = neurons::make_elm_tables<T>(*p.weights, p.version);
  e.state = neurons::ElmState<T>(e.tables, n);
  return e;
}

PopulationState make_elm_state(const neurons::elm::params& p, const PopulationSpec& spec,
                               double dt) {
  ElmPopulation pp;
  pp.derived = neurons::elm::derive(p, dt, spec.name);
  const double inputs = static_cast<double>(spec.size) * p.weights->num_input;
  if (inputs >= 4294967295.0) {
    throw CapacityError("population '" + spec.name + "': " + std::to_string(spec.size) +
                        " ELM neurons of " + std::to_string(p.weights->num_input) +
                        " inputs exceed the 32-bit input-slot ids");
  }
  for (auto& c : pp.real) c.assign(spec.size, 0.0);
  const double per_neuron = (p.weights->num_synapse() + p.weights->num_memory) *
                            (p.precision == neurons::elm::Precision::float32 ? 4.0 : 8.0);
  check_allocation(per_neuron * spec.size, "population '" + spec.name + "' (ELM state)");
  try {  // the tables check the weights
    if (p.precision == neurons::elm::Precision::float32) {
      pp.engine = make_elm_engine<float>(p, spec.size);
    } else {
      pp.engine = make_elm_engine<double>(p, spec.size);
    }
  } catch (const Error& e) {
    throw InvalidParameter("population '" + spec.name + "': " + e.what());
  }
  return pp;
}

/// The state of the kernel a model's parameters choose (kernels_of in registry.hpp).
template <typename M>
PopulationState make_kernel_state(const typename M::params& p, const PopulationSpec& spec,
                                  double dt, std::uint64_t seed) {
  if constexpr (std::is_same_v<M, neurons::elm>) {
    return make_elm_state(p, spec, dt);
  } else {
    return [&]<typename... Ks>(neurons::ModelList<Ks...>) {
      int wanted = 0;
      if constexpr (requires { M::kernel(p); }) wanted = M::kernel(p);
      int k = 0;
      std::optional<PopulationState> out;
      ((k++ == wanted ? (void)out.emplace(make_state<Ks>(p, spec, dt, seed)) : void()), ...);
      return std::move(*out);
    }(typename neurons::kernels_of<M>::type{});
  }
}

std::span<const neurons::ReceptorInfo> receptors_of(const PopulationState& s) {
  return std::visit(
      [](const auto& pp) -> std::span<const neurons::ReceptorInfo> {
        using M = typename std::decay_t<decltype(pp)>::model;
        return std::span<const neurons::ReceptorInfo>(M::receptors.data(), M::receptors.size());
      },
      s);
}

std::string_view model_name(const PopulationState& s) {
  return std::visit(
      [](const auto& pp) -> std::string_view {
        return std::decay_t<decltype(pp)>::model::name;
      },
      s);
}

/// Picks the receptor named `requested`, or the automatic choice for weights in [lo, hi].
int resolve_receptor(const std::string& requested, const PopulationRuntime& target,
                     std::pair<double, double> weight_range, const std::string& what) {
  const auto receptors = receptors_of(target.state);
  if (receptors.empty()) {
    throw InvalidConnection(what + ": population '" + target.name + "' (" +
                            std::string(model_name(target.state)) +
                            ") has no receptors and cannot receive input");
  }
  auto index_of = [&](std::string_view name) {
    for (std::size_t r = 0; r < receptors.size(); ++r) {
      if (receptors[r].name == name) return static_cast<int>(r);
    }
    return -1;
  };
  if (!requested.empty()) {
    const int r = index_of(requested);
    if (r < 0) {
      std::string names;
      for (const auto& rec : receptors) names += (names.empty() ? "'" : ", '") + std::string(rec.name) + "'";
      throw InvalidConnection(what + ": population '" + target.name + "' (" +
                              std::string(model_name(target.state)) + ") has no receptor '" +
                              requested + "'; it has " + names);
    }
    return r;
  }
  if (receptors.size() == 1) return 0;
  const bool conductance = receptors[0].kind == neurons::ReceptorKind::conductance_exp;
  if (weight_range.first >= 0.0 || conductance) return index_of("ex");
  if (weight_range.second <= 0.0) return index_of("in");
  throw InvalidConnection(what + ": weights of both signs reach population '" + target.name +
                          "'; name the receptor ('ex' or 'in') or bound the weights (e.g. a "
                          "normal distribution with min 0)");
}

std::vector<std::uint32_t> internal_sorted_ids(const std::vector<std::uint32_t>& ids,
                                               const PopulationRuntime& pop,
                                               const std::string& what) {
  std::vector<std::uint32_t> out;
  out.reserve(ids.size());
  for (std::uint32_t id : ids) {
    if (id >= pop.size) {
      throw InvalidParameter(what + ": neuron id " + std::to_string(id) +
                             " is out of range for population '" + pop.name + "' of " +
                             std::to_string(pop.size));
    }
    out.push_back(pop.internal_id(id));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    throw InvalidParameter(what + ": a neuron id is listed twice");
  }
  return out;
}

void add_input(PopulationRuntime& pop, const InputSpec& spec, double dt) {
  const std::string what = "input '" + spec.name + "'";
  if (pop.inputs_per_neuron > 1) {
    throw InvalidParameter(what + ": population '" + pop.name + "' (" +
                           std::string(model_name(pop.state)) +
                           ") takes input only through projections onto its input slots; "
                           "drive it from a poisson_source population instead");
  }
  std::visit(
      overloaded{
          [&](const PoissonInput& in) {
            if (!(in.rate >= 0.0) || !std::isfinite(in.rate)) {
              throw InvalidParameter(what + ": parameter 'rate' must be >= 0 Hz (got " +
                                     format_number(in.rate) + ")");
            }
            if (!std::isfinite(in.weight) || std::fabs(in.weight) >= kMaxFixedWeight) {
              throw InvalidParameter(what + ": parameter 'weight' must be finite (got " +
                                     format_number(in.weight) + ")");
            }
            PoissonDrive d;
            d.stream = stream_id("input:" + spec.name);
            d.lambda = in.rate * dt * 1e-3;
            // A step's count reaches about lambda + 10 sqrt(lambda); count x weight must stay
            // inside the rings' fixed-point range, or the sum wraps (and flips its sign).
            const double most = d.lambda + 10.0 * std::sqrt(d.lambda) + 10.0;
            if (d.lambda > kMaxPoissonPerStep || most * std::fabs(in.weight) >= kMaxFixedWeight) {
              throw InvalidParameter(what + ": rate " + format_number(in.rate) + " Hz x weight " +
                                     format_number(in.weight) + " is beyond what a step can hold (" +
                                     format_number(d.lambda) + " spikes expected per step of " +
                                     format_number(dt) + " ms; at most " +
                                     format_number(kMaxPoissonPerStep) + ", and their sum below " +
                                     format_number(kMaxFixedWeight) + " in the receptor's unit)");
            }
            d.exp_minus_lambda = std::exp(-d.lambda);
            d.table = make_poisson_table(d.lambda, d.exp_minus_lambda);
            d.receptor = resolve_receptor(in.receptor, pop, {in.weight, in.weight}, what);
            const auto receptors = receptors_of(pop.state);
            if (receptors[d.receptor].kind == neurons::ReceptorKind::conductance_exp &&
                in.weight < 0.0) {
              throw InvalidParameter(what + ": parameter 'weight' is negative; conductances "
                                     "must be >= 0 (use receptor 'in' for inhibition)");
            }
            d.weight = to_fixed(static_cast<float>(in.weight));
            d.neurons = internal_sorted_ids(in.neurons, pop, what);
            pop.poisson.push_back(std::move(d));
          },
          [&](const CurrentInput& in) {
            if (in.times.size() != in.amplitudes.size() || in.times.empty()) {
              throw InvalidParameter(what + ": 'times' and 'amplitudes' must be non-empty and "
                                     "of equal length (got " + std::to_string(in.times.size()) +
                                     " and " + std::to_string(in.amplitudes.size()) + ")");
            }
            std::uint32_t subset = kAllNeurons;
            if (!in.neurons.empty()) {
              subset = static_cast<std::uint32_t>(pop.current_subsets.size());
              pop.current_subsets.push_back(internal_sorted_ids(in.neurons, pop, what));
              pop.current_static.resize(pop.size, 0.0);
            }
            double previous = 0.0;
            for (std::size_t k = 0; k < in.times.size(); ++k) {
              if (!(in.times[k] >= 0.0) || !std::isfinite(in.times[k]) ||
                  (k > 0 && !(in.times[k] > in.times[k - 1]))) {
                throw InvalidParameter(what + ": 'times' must be finite, >= 0 and increasing "
                                       "(entry " + std::to_string(k) + " is " +
                                       format_number(in.times[k]) + " ms)");
              }
              if (!std::isfinite(in.amplitudes[k])) {
                throw InvalidParameter(what + ": amplitude " + std::to_string(k) +
                                       " is not finite");
              }
              const auto step = static_cast<Step>(std::ceil(in.times[k] / dt - 1e-9));
              pop.current_changes.push_back({step, in.amplitudes[k] - previous, subset});
              previous = in.amplitudes[k];
            }
            std::stable_sort(pop.current_changes.begin(), pop.current_changes.end(),
                             [](const CurrentChange& a, const CurrentChange& b) {
                               return a.step < b.step;
                             });
          },
          [&](const NoiseInput& in) {
            if (!std::isfinite(in.mean) || !(in.sd >= 0.0) || !std::isfinite(in.sd)) {
              throw InvalidParameter(what + ": needs a finite 'mean' and 'sd' >= 0 (got mean " +
                                     format_number(in.mean) + ", sd " + format_number(in.sd) + ")");
            }
            pop.noise.push_back(NoiseDrive{stream_id("input:" + spec.name), in.mean, in.sd,
                                           internal_sorted_ids(in.neurons, pop, what),
                                           in.distribution});
            pop.current_step.resize(pop.size, 0.0);
          }},
      spec.input);
  if (receptors_of(pop.state).empty() && !std::holds_alternative<PoissonInput>(spec.input)) {
    throw InvalidParameter(what + ": population '" + pop.name + "' (" +
                           std::string(model_name(pop.state)) + ") takes no current input");
  }
}

template <typename T>
void permute(std::vector<T>& v, const std::vector<std::uint32_t>& new_of_old) {
  std::vector<T> out(v.size());
  for (std::size_t u = 0; u < v.size(); ++u) out[new_of_old[u]] = v[u];
  v = std::move(out);
}

void apply_reordering(PopulationRuntime& pop, std::vector<std::uint32_t> new_of_old) {
  std::visit(
      [&](auto& pp) {
        for (auto& c : pp.real) permute(c, new_of_old);
        for (auto& c : pp.ints) permute(c, new_of_old);
      },
      pop.state);
  pop.user_of_internal.resize(pop.size);
  for (std::uint32_t u = 0; u < pop.size; ++u) pop.user_of_internal[new_of_old[u]] = u;
  pop.internal_of_user = std::move(new_of_old);
}

std::uint32_t delay_limit_steps(const Network& network) {
  const double dt = network.dt();
  if (!(dt > 0.0) || !std::isfinite(dt)) {
    throw InvalidParameter("simulation: dt must be a finite time > 0 ms (got " +
                           format_number(dt) + ")");
  }
  if (!network.max_delay()) return kMaxDelaySteps;
  const double ms = *network.max_delay();
  const double steps = std::nearbyint(ms / dt);
  if (!(steps >= 1.0) || steps > kMaxDelaySteps) {
    throw CapacityError("simulation: max_delay " + format_number(ms) + " ms is " +
                        format_number(steps) + " steps; it must be between 1 and " +
                        std::to_string(kMaxDelaySteps) + " steps (dt = " + format_number(dt) +
                        " ms)");
  }
  return static_cast<std::uint32_t>(steps);
}

PopulationRuntime make_population(const PopulationSpec& spec, double dt, std::uint64_t seed) {
  if (spec.size == 0) {
    throw InvalidParameter("population '" + spec.name + "': size must be > 0");
  }
  if (spec.size == 0xffffffffu) {
    throw CapacityError("population '" + spec.name + "': size exceeds the 32-bit id limit");
  }
  PopulationRuntime pop;
  pop.name = spec.name;
  pop.size = spec.size;
  pop.stream = stream_id("population:" + spec.name);
  pop.state = std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        using M = model_of_t<P>;
        check_allocation(static_cast<double>(spec.size) * (M::n_real * 8 + M::n_int * 4),
                         "population '" + spec.name + "'");
        return make_kernel_state<M>(p, spec, dt, seed);
      },
      spec.model);
  pop.receptors = static_cast<int>(receptors_of(pop.state).size());
  if (pop.receptors > kMaxPointReceptors) {
    throw CapacityError("population '" + spec.name + "': more than " +
                        std::to_string(kMaxPointReceptors) + " receptors");
  }
  if (const auto* e = std::get_if<ElmPopulation>(&pop.state)) {
    pop.inputs_per_neuron = std::visit([](const auto& en) { return en.tables.num_input; }, e->engine);
  }
  pop.fired.assign(spec.size, 0);
  return pop;
}

/// Resolves the receptor and describes the projection for the synapse generator.
ProjectionContext projection_context(const Network& network, const ProjectionSpec& spec,
                                     const std::vector<PopulationRuntime>& pops,
                                     std::uint64_t seed, std::uint32_t delay_limit,
                                     int& receptor) {
  const std::string what = "projection '" + spec.name + "'";
  const PopulationRuntime& src = pops.at(spec.source.index);
  const PopulationRuntime& tgt = pops.at(spec.target.index);
  // A plastic projection's weights may go anywhere within its bounds.
  auto range = spec.synapse.weight.range();
  if (spec.synapse.plasticity) {
    range.first = std::min(range.first, spec.synapse.plasticity->w_min);
    range.second = std::max(range.second, spec.synapse.plasticity->w_max);
  }
  receptor = resolve_receptor(spec.synapse.receptor, tgt, range, what);
  const auto info_r = receptors_of(tgt.state)[receptor];
  if (tgt.inputs_per_neuron > 1 && spec.synapse.plasticity) {
    throw InvalidConnection(what + ": population '" + tgt.name + "' (" +
                            std::string(model_name(tgt.state)) +
                            ") has trained input weights; its input synapses cannot be plastic");
  }
  ProjectionContext ctx;
  ctx.name = spec.name;
  ctx.n_source = src.size;
  // Multi-input neurons are targeted by input slot: neuron i's input k is i * inputs + k.
  ctx.n_target = static_cast<std::uint32_t>(tgt.ring_width());
  ctx.same_population = spec.source == spec.target && tgt.inputs_per_neuron == 1;
  ctx.dt = network.dt();
  ctx.seed = seed;
  ctx.max_delay_steps = delay_limit;
  ctx.max_delay_from_user = network.max_delay().has_value();
  ctx.weights_non_negative = info_r.kind == neurons::ReceptorKind::conductance_exp;
  ctx.weight_unit = std::string(info_r.weight_unit);
  return ctx;
}

StateRecorderRuntime make_recorder(const StateRecorderSpec& spec, std::size_t index,
                                   const std::vector<PopulationRuntime>& pops, double dt) {
  const std::string what = "state recorder " + std::to_string(index);
  const PopulationRuntime& pop = pops.at(spec.population.index);
  StateRecorderRuntime rec;
  rec.population = spec.population.index;
  rec.variable = recordable_index(pop, spec.variable, what);
  rec.interval = duration_to_steps(spec.interval, dt, what + ": interval");
  if (rec.interval < 1) {
    throw InvalidParameter(what + ": interval must be at least one step");
  }
  if (spec.neurons.empty()) {
    for (std::uint32_t u = 0; u < pop.size; ++u) rec.neurons.push_back(pop.internal_id(u));
  } else {
    for (std::uint32_t u : spec.neurons) {
      if (u >= pop.size) {
        throw InvalidParameter(what + ": neuron id " + std::to_string(u) +
                               " is out of range for population '" + pop.name + "' of " +
                               std::to_string(pop.size));
      }
      rec.neurons.push_back(pop.internal_id(u));
    }
  }
  return rec;
}

/// Bytes per synapse once built: a target, a weight unless all weights are equal.
double synapse_bytes_estimate(const SynapseSpec& syn) {
  // A plastic synapse adds its weight, trace, time, accumulator and backward index.
  if (syn.plasticity) return 4.0 + 4.0 + 4.0 + 8.0 + 4.0 + 4.0;
  return syn.weight.is_constant() ? 4.0 : 8.0;
}

}  // namespace

ValidationReport validate_network(const Network& network, const SimulationOptions& options) {
  ValidationReport report;
  const double dt = network.dt();
  const std::uint32_t delay_limit = delay_limit_steps(network);
  std::vector<PopulationRuntime> pops;
  for (const PopulationSpec& spec : network.populations()) {
    pops.push_back(make_population(spec, dt, options.seed));
    report.neurons += spec.size;
    report.bytes += std::visit([](const auto& pp) { return pp.bytes(); }, pops.back().state);
  }
  double max_delay_ms = dt;
  std::vector<std::string> modulator_names;
  for (const ModulatorSpec& m : network.modulators()) modulator_names.push_back(m.name);
  (void)make_modulators(network.modulators(), pops, dt, 1);
  for (const ProjectionSpec& spec : network.projections()) {
    int receptor = 0;
    const ProjectionContext ctx =
        projection_context(network, spec, pops, options.seed, delay_limit, receptor);
    check_projection(spec.rule, spec.synapse, ctx);
    if (spec.synapse.plasticity) {
      const plasticity::PlasticitySpec& pl = *spec.synapse.plasticity;
      check_plasticity(pl, modulator_names, dt, spec.name);
      // Weights the build would reject; unbounded distributions are checked per synapse.
      const auto [lo, hi] = spec.synapse.weight.range();
      if (std::isfinite(lo) && std::isfinite(hi) && (lo < pl.w_min || hi > pl.w_max)) {
        throw InvalidParameter("projection '" + spec.name + "': plasticity: initial weights " +
                               spec.synapse.weight.describe() + " reach outside the bounds [" +
                               format_number(pl.w_min) + ", " + format_number(pl.w_max) + "]");
      }
    }
    const double n = expected_synapses(spec.rule, ctx);
    // The build's own check (generate_projections): validate refuses what run refuses.
    check_allocation(n * 30.0, "projection '" + spec.name + "'");
    report.synapses += n;
    report.bytes += static_cast<std::uint64_t>(n * synapse_bytes_estimate(spec.synapse)) +
                    8ull * (ctx.n_source + 1);
    report.build_peak_bytes = std::max(report.build_peak_bytes, n * 30.0);
    max_delay_ms = std::max(max_delay_ms, spec.synapse.delay.range().second);
  }
  const double slots = std::max(1.0, std::nearbyint(max_delay_ms / dt));
  for (const PopulationRuntime& pop : pops) {
    report.bytes += static_cast<std::uint64_t>(pop.receptors * slots *
                                               static_cast<double>(pop.ring_width()) * sizeof(Accum));
  }
  for (const InputSpec& spec : network.inputs()) {
    add_input(pops.at(spec.target.index), spec, dt);
  }
  for (std::size_t r = 0; r < network.state_recorders().size(); ++r) {
    (void)make_recorder(network.state_recorders()[r], r, pops, dt);
  }
  report.build_peak_bytes += static_cast<double>(report.bytes);
  check_allocation(report.build_peak_bytes, "the network (its peak while building)");
  return report;
}

namespace {

/// Each projection's synapses, in user ids, with its resolved receptor.
struct GeneratedSynapses {
  std::vector<SynapseCoo> lists;
  std::vector<int> receptors;
};

GeneratedSynapses generate_projections(const Network& network,
                                       const std::vector<PopulationRuntime>& pops,
                                       std::uint64_t seed, std::uint32_t delay_limit) {
  GeneratedSynapses out;
  std::vector<std::string> modulator_names;
  for (const ModulatorSpec& m : network.modulators()) modulator_names.push_back(m.name);
  for (const ProjectionSpec& spec : network.projections()) {
    int receptor = 0;
    const ProjectionContext ctx =
        projection_context(network, spec, pops, seed, delay_limit, receptor);
    if (spec.synapse.plasticity) {
      check_plasticity(*spec.synapse.plasticity, modulator_names, network.dt(), spec.name);
    }
    // Generation list (14 B) + sort order (8 B) + CSR (8 B) per synapse.
    check_allocation(expected_synapses(spec.rule, ctx) * 30.0, "projection '" + spec.name + "'");
    out.lists.push_back(generate_synapses(spec.rule, spec.synapse, ctx));
    out.receptors.push_back(receptor);
  }
  return out;
}

/// Throws if population `pop` (of `spec`) cannot be relabelled.
void check_reorderable(const PopulationSpec& spec, const PopulationRuntime& pop) {
  if (std::holds_alternative<PointPopulation<neurons::spike_source_array>>(pop.state)) {
    throw InvalidParameter("population '" + spec.name + "': spike sources cannot be reordered");
  }
  if (std::holds_alternative<PointPopulation<neurons::spike_replay>>(pop.state)) {
    throw InvalidParameter("population '" + spec.name +
                           "': replayed populations cannot be reordered");
  }
  if (pop.inputs_per_neuron > 1) {
    throw InvalidParameter("population '" + spec.name +
                           "': ELM populations cannot be reordered (their inputs are slots)");
  }
}

/// Replaces each id by new_of_old[id]. An element-wise gather: chunks are independent, so
/// any thread count gives the same ids. The fixed grain keeps small lists to one chunk.
void relabel(std::vector<std::uint32_t>& ids, const std::vector<std::uint32_t>& new_of_old) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ids.size(), std::size_t{1} << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        ids[i] = new_of_old[ids[i]];
                      }
                    });
}

/// Relabels population p for locality (Cuthill-McKee over its recurrent synapses), in the
/// synapse lists and in the population.
void reorder_population(const Network& network, std::uint32_t p, PopulationRuntime& pop,
                        std::vector<SynapseCoo>& lists) {
  const PopulationSpec& spec = network.populations()[p];
  std::vector<const SynapseCoo*> recurrent;
  for (std::size_t k = 0; k < lists.size(); ++k) {
    const ProjectionSpec& ps = network.projections()[k];
    if (ps.source.index == p && ps.target.index == p) recurrent.push_back(&lists[k]);
  }
  check_reorderable(spec, pop);
  auto new_of_old = cuthill_mckee_order(spec.size, recurrent);
  for (std::size_t k = 0; k < lists.size(); ++k) {
    const ProjectionSpec& ps = network.projections()[k];
    if (ps.source.index == p) relabel(lists[k].sources, new_of_old);
    if (ps.target.index == p) relabel(lists[k].targets, new_of_old);
  }
  apply_reordering(pop, std::move(new_of_old));
}

/// The optional relabelling for locality, before anything is stored by internal id.
void reorder_populations(const Network& network, std::vector<PopulationRuntime>& pops,
                         std::vector<SynapseCoo>& lists) {
  for (std::uint32_t p = 0; p < pops.size(); ++p) {
    if (network.populations()[p].reordering == Reordering::none) continue;
    reorder_population(network, p, pops[p], lists);
  }
}

/// The delay range of the synapses (at least one step), which sizes the rings.
void set_delay_range(BuiltNetwork& net, const std::vector<SynapseCoo>& lists,
                     std::uint32_t delay_limit, BuildInfo& info) {
  Step min_delay = 0;
  Step max_delay = 0;
  for (const SynapseCoo& list : lists) {
    for (DelaySteps d : list.delays) {
      min_delay = min_delay == 0 ? d : std::min<Step>(min_delay, d);
      max_delay = std::max<Step>(max_delay, d);
    }
  }
  net.min_delay = std::max<Step>(min_delay, 1);
  net.max_delay = std::max<Step>(max_delay, 1);
  net.slots = static_cast<std::uint32_t>(net.max_delay);
  info.min_delay = net.min_delay;
  info.max_delay = net.max_delay;
  info.max_delay_limit = delay_limit;
}

/// Populations that learn by a rule coupling their neurons (Oja's subspace rule, Sanger's):
/// each is updated as one tile, so that one work unit sees every target at once.
std::vector<std::uint8_t> single_tile_populations(const Network& network) {
  std::vector<std::uint8_t> out(network.populations().size(), 0);
  for (const ProjectionSpec& spec : network.projections()) {
    if (spec.synapse.plasticity && plasticity::couples_targets(*spec.synapse.plasticity)) {
      out[spec.target.index] = 1;
    }
  }
  return out;
}

Tiling one_tile(const PopulationRuntime& pop) {
  const std::uint64_t slots = std::uint64_t{pop.size} * pop.inputs_per_neuron;
  if (slots > kMaxTileNeurons) {
    throw CapacityError("population '" + pop.name + "' learns by Oja's subspace or Sanger's rule, "
                        "which updates it as one tile: it has " + std::to_string(slots) +
                        " neuron inputs, a tile at most " + std::to_string(kMaxTileNeurons));
  }
  return Tiling{pop.size, std::max<std::uint32_t>(pop.size, 1), pop.size > 0 ? 1u : 0u};
}

/// The tiles of each population, from its ring size (ELM: its input slots).
void tile_populations(BuiltNetwork& net, const std::vector<std::uint8_t>& single_tile) {
  for (std::size_t p = 0; p < net.populations.size(); ++p) {
    PopulationRuntime& pop = net.populations[p];
    auto* elm = std::get_if<ElmPopulation>(&pop.state);
    if (single_tile[p]) {
      pop.tiles = one_tile(pop);
    } else if (elm) {
      pop.tiles = elm_tiling(pop.size, pop.inputs_per_neuron, pop.name);
    } else {
      pop.tiles = tiling_of(pop.size, std::uint64_t{net.slots} * static_cast<std::uint64_t>(pop.receptors) *
                                          sizeof(Accum));
    }
    if (elm) std::visit([&](auto& e) { e.scratch.resize(pop.tiles.count); }, elm->engine);
  }
}

/// The subspaces of the network, with no rows yet.
std::vector<SubspaceRuntime> make_subspaces(const Network& network, const BuiltNetwork& net) {
  std::vector<SubspaceRuntime> out;
  for (const SubspaceSpec& spec : network.subspaces()) {
    const PopulationRuntime& pop = net.populations.at(spec.population.index);
    if (pop.size == 0) throw InvalidParameter("subspace '" + spec.name + "': population '" + pop.name + "' is empty");
    std::vector<Step> at;
    for (double t : spec.consolidate_at) {
      at.push_back(duration_to_steps(t, net.dt, "subspace '" + spec.name + "': consolidate_at"));
    }
    out.push_back(SubspaceRuntime{spec.name, spec.population.index,
                                  spec.learned_by ? static_cast<int>(spec.learned_by->index) : -1,
                                  std::move(at), plasticity::Subspace(pop.size), {}});
  }
  return out;
}

/// A plastic projection that projects its traces out of a subspace of its source
/// population (PlasticitySpec::projection): the subspace's index and each synapse's source.
void attach_subspace(PlasticProjection& pl, const ProjectionCsr& csr, const BuiltNetwork& net,
                     const ProjectionSpec& spec) {
  const std::string& name = spec.synapse.plasticity->projection;
  const std::string what = "projection '" + spec.name + "': plasticity: projection '" + name + "'";
  std::string known;
  for (std::size_t k = 0; k < net.subspaces.size(); ++k) {
    known += (known.empty() ? "'" : ", '") + net.subspaces[k].name + "'";
    if (net.subspaces[k].name != name) continue;
    if (net.subspaces[k].population != spec.source.index) {
      throw InvalidParameter(what + " is a subspace of population '" +
                             net.populations[net.subspaces[k].population].name +
                             "', not of the projection's source '" + net.populations[spec.source.index].name + "'");
    }
    project_out_of(pl, csr, k);
    return;
  }
  throw NotFound(what + " is not a subspace of this network" +
                 (known.empty() ? std::string(" (it declares none)") : " (subspaces: " + known + ")"));
}

/// Each projection's CSR (freeing its list as it goes) and plastic state.
void build_projections(const Network& network, BuiltNetwork& net, GeneratedSynapses& synapses,
                       BuildInfo& info) {
  net.plastic_into.resize(net.populations.size());
  info.synapses = 0;
  for (std::size_t k = 0; k < synapses.lists.size(); ++k) {
    const ProjectionSpec& spec = network.projections()[k];
    ProjectionRuntime proj;
    proj.name = spec.name;
    proj.source = spec.source.index;
    proj.target = spec.target.index;
    proj.receptor = synapses.receptors[k];
    proj.csr = build_csr(synapses.lists[k], net.populations[proj.source].size,
                         net.populations[proj.target].input_tiles(), spec.name);
    synapses.lists[k] = SynapseCoo{};
    if (spec.synapse.plasticity) {
      proj.plastic = make_plastic(*spec.synapse.plasticity, proj.csr, net,
                                   net.populations[proj.target], spec.name);
      if (!spec.synapse.plasticity->projection.empty()) attach_subspace(*proj.plastic, proj.csr, net, spec);
      net.plastic_into[proj.target].push_back(static_cast<std::uint32_t>(k));
    }
    info.synapses += proj.csr.size();
    net.projections.push_back(std::move(proj));
  }
}

void allocate_rings(BuiltNetwork& net) {
  for (PopulationRuntime& pop : net.populations) {
    const double bytes = static_cast<double>(pop.receptors) * net.slots *
                         static_cast<double>(pop.ring_width()) * sizeof(Accum);
    check_allocation(bytes, "the delay rings of population '" + pop.name + "' (" +
                                std::to_string(net.slots) + " slots)");
    pop.rings.assign(static_cast<std::size_t>(pop.receptors) * net.slots * pop.ring_width(), 0);
  }
}

void apply_clamps(const Network& network, BuiltNetwork& net) {
  for (const ClampSpec& c : network.clamps()) {
    PopulationRuntime& pop = net.populations.at(c.population.index);
    const std::string what = "clamp of population '" + pop.name + "'";
    if (std::holds_alternative<PointPopulation<neurons::spike_replay>>(pop.state)) {
      throw InvalidParameter(what + ": it replays recorded spikes already");
    }
    pop.clamp_first = duration_to_steps(c.start, net.dt, what + ": start");
    pop.clamp_stop = duration_to_steps(c.stop, net.dt, what + ": stop");
  }
}

}  // namespace

BuiltNetwork build_network(const Network& network, const SimulationOptions& options,
                           BuildInfo& info) {
  BuiltNetwork net;
  const double dt = network.dt();
  const std::uint32_t delay_limit = delay_limit_steps(network);
  net.dt = dt;
  net.seed = options.seed;
  for (const PopulationSpec& spec : network.populations()) {
    net.populations.push_back(make_population(spec, dt, options.seed));
  }
  GeneratedSynapses synapses =
      generate_projections(network, net.populations, options.seed, delay_limit);
  reorder_populations(network, net.populations, synapses.lists);
  // Delay range, which sizes the rings, which size the tiles, which shape the CSR.
  set_delay_range(net, synapses.lists, delay_limit, info);
  tile_populations(net, single_tile_populations(network));
  net.modulators = make_modulators(network.modulators(), net.populations, dt, net.min_delay);
  net.subspaces = make_subspaces(network, net);
  build_projections(network, net, synapses, info);
  allocate_rings(net);
  for (const InputSpec& spec : network.inputs()) {
    add_input(net.populations.at(spec.target.index), spec, dt);
  }
  for (std::size_t r = 0; r < network.state_recorders().size(); ++r) {
    net.recorders.push_back(make_recorder(network.state_recorders()[r], r, net.populations, dt));
  }
  apply_clamps(network, net);
  return net;
}

bool conductance_receptor(const PopulationRuntime& pop, int receptor) {
  const auto receptors = receptors_of(pop.state);
  return receptor >= 0 && static_cast<std::size_t>(receptor) < receptors.size() &&
         receptors[static_cast<std::size_t>(receptor)].kind == neurons::ReceptorKind::conductance_exp;
}

int recordable_index(const PopulationRuntime& pop, const std::string& variable,
                   const std::string& what) {
  return std::visit(
      [&](const auto& pp) {
        using M = typename std::decay_t<decltype(pp)>::model;
        std::string names;
        for (std::size_t k = 0; k < M::recordables.size(); ++k) {
          if (M::recordables[k].name == variable) return static_cast<int>(k);
          names += (names.empty() ? "'" : ", '") + std::string(M::recordables[k].name) + "'";
        }
        throw NotFound(what + ": model " + std::string(M::name) + " of population '" +
                       pop.name + "' has no state variable '" + variable + "'" +
                       (names.empty() ? std::string(" (it has none)") : "; it has " + names));
      },
      pop.state);
}

}  // namespace spikeq::detail
