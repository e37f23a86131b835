#pragma once
// The state of a built network in host memory: what the build phase produces, what
// the host backends (serial, threads) advance in place, and what a device backend
// copies from. Per-neuron data is structure-of-arrays; rings hold fixed-point input.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/detail/tiles.hpp"
#include "spikeq/core/inputs.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/neurons/registry.hpp"
#include "spikeq/plasticity/detail/plastic_state.hpp"
#include "spikeq/plasticity/subspace.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail {

/// State columns, derived constants and tables of one population of model M.
template <typename M>
struct PointPopulation {
  using model = M;
  typename M::derived derived{};
  std::array<std::vector<double>, M::n_real> real;
  std::array<std::vector<std::int32_t>, M::n_int> ints;
  neurons::ModelTables tables;

  [[nodiscard]] typename M::view view() {
    typename M::view v{};
    for (int c = 0; c < M::n_real; ++c) v.real[c] = real[c].data();
    for (int c = 0; c < M::n_int; ++c) v.ints[c] = ints[c].data();
    return v;
  }
  /// For reading only (M::read): the view type is shared with the kernels that write.
  [[nodiscard]] typename M::view view() const {
    return const_cast<PointPopulation*>(this)->view();
  }
  [[nodiscard]] std::size_t bytes() const {
    std::size_t b = tables.i64.size() * 8 + tables.u64.size() * 8;
    for (const auto& c : real) b += c.size() * sizeof(double);
    for (const auto& c : ints) b += c.size() * sizeof(std::int32_t);
    return b;
  }
};

/// An ELM population: the output columns of its model type, plus the trained model's
/// tables and every neuron's traces and memory, in the chosen precision.
template <typename T>
struct ElmEngine {
  neurons::ElmTables<T> tables;
  neurons::ElmState<T> state;
  std::vector<std::vector<T>> scratch;  // per tile: a tile's owner uses only its own
};

struct ElmPopulation : PointPopulation<neurons::elm> {
  std::variant<ElmEngine<float>, ElmEngine<double>> engine;

  [[nodiscard]] std::size_t bytes() const {
    return PointPopulation<neurons::elm>::bytes() +
           std::visit([](const auto& e) { return e.tables.bytes() + e.state.bytes(); }, engine);
  }
};

/// The host state of a population of kernel M (the registry's kernels).
template <typename M>
struct host_population {
  using type = PointPopulation<M>;
};
template <>
struct host_population<neurons::elm> {
  using type = ElmPopulation;
};
template <typename... Ms>
using host_population_variant = std::variant<typename host_population<Ms>::type...>;
/// One alternative per kernel of the model registry (neurons/registry.hpp).
using PopulationState =
    typename neurons::apply_list<host_population_variant, neurons::Kernels>::type;

/// Receptors a point-neuron population may have (the update kernel keeps one ring row
/// pointer per receptor on the stack).
inline constexpr int kMaxPointReceptors = 8;

/// Independent Poisson trains into one receptor.
struct PoissonDrive {
  std::uint32_t stream;
  double lambda;             // expected count per step
  double exp_minus_lambda;
  Accum weight;
  int receptor;
  std::vector<std::uint32_t> neurons;  // internal ids, sorted; empty = all
  PoissonTable table;  // inversion sums of lambda (rng.hpp); made per call where missing
};

/// Noise current drawn afresh every step: mean + sd z, z standard normal or
/// unit_variance_uniform (rng.hpp) of the same stream's first uniform.
struct NoiseDrive {
  std::uint32_t stream;
  double mean;
  double sd;
  std::vector<std::uint32_t> neurons;  // internal ids, sorted; empty = all
  NoiseDistribution distribution = NoiseDistribution::normal;
};

/// A piecewise-constant current change: from update `step` on, add `delta` pA.
struct CurrentChange {
  Step step;
  double delta;
  std::uint32_t subset;  // index into PopulationRuntime::current_subsets, or kAll
};
inline constexpr std::uint32_t kAllNeurons = 0xffffffffu;

/// How far a range of neurons has applied the current changes: the next change due and
/// the current every neuron gets. Each tile keeps its own, so tiles advance through the
/// changes independently and still add the same deltas in the same order.
struct CurrentCursor {
  std::size_t next = 0;
  double all = 0.0;  // pA on every neuron now
};

/// The recorded spikes a replaying population emits in a window of steps: those stamped
/// first + k are neurons[offsets[k] .. offsets[k + 1]), sorted, each once.
struct ReplayWindow {
  Step first = 0;
  std::vector<std::uint64_t> offsets{0};
  std::vector<std::uint32_t> neurons;
};

struct PopulationRuntime {
  std::string name;
  std::uint32_t size = 0;
  std::uint32_t stream = 0;  // random stream of the population's own dynamics
  PopulationState state;
  int receptors = 0;
  // Inputs each neuron reads from the rings: 1 for point neurons; an ELM neuron has one
  // per trained input, and projections target input slots i * inputs_per_neuron + k.
  std::uint32_t inputs_per_neuron = 1;
  std::vector<Accum> rings;  // [receptor][slot][input slot]

  std::vector<PoissonDrive> poisson;
  std::vector<NoiseDrive> noise;
  std::vector<CurrentChange> current_changes;                // sorted by step
  std::vector<std::vector<std::uint32_t>> current_subsets;   // internal ids, sorted
  CurrentCursor current;               // of the whole population (serial backend)
  std::vector<double> current_static;  // pA per neuron from subset currents (may be empty)
  std::vector<double> current_step;    // scratch: static + noise of this step (may be empty)

  std::vector<std::uint32_t> user_of_internal;  // empty: ids are not reordered
  std::vector<std::uint32_t> internal_of_user;
  std::vector<std::uint8_t> fired;              // scratch flags of one step
  ReplayWindow replay;                          // spike_replay populations: this window
  // Updates [clamp_first, clamp_stop) replay `replay` instead of running the dynamics.
  Step clamp_first = 0;
  Step clamp_stop = 0;
  Tiling tiles;                                 // see tiles.hpp

  [[nodiscard]] std::uint32_t user_id(std::uint32_t i) const {
    return user_of_internal.empty() ? i : user_of_internal[i];
  }
  [[nodiscard]] std::uint32_t internal_id(std::uint32_t u) const {
    return internal_of_user.empty() ? u : internal_of_user[u];
  }
  /// Input slots of a ring row.
  [[nodiscard]] std::uint64_t ring_width() const {
    return std::uint64_t{size} * inputs_per_neuron;
  }
  /// The tiles in input-slot space, which a projection into this population is cut by:
  /// tile t of the neurons owns the input slots of tile t here.
  [[nodiscard]] Tiling input_tiles() const {
    return Tiling{size * inputs_per_neuron, tiles.tile * inputs_per_neuron, tiles.count};
  }
  [[nodiscard]] Accum* ring_row(int receptor, std::uint32_t slot, std::uint32_t slots) {
    return rings.data() + (static_cast<std::uint64_t>(receptor) * slots + slot) * ring_width();
  }
};

struct ProjectionRuntime {
  std::string name;
  std::uint32_t source = 0;  // population index
  std::uint32_t target = 0;
  int receptor = 0;
  ProjectionCsr csr;
  std::optional<PlasticProjection> plastic;  // set when the synapses learn
};

struct StateRecorderRuntime {
  std::uint32_t population = 0;
  int variable = 0;
  std::vector<std::uint32_t> neurons;  // internal ids, in the user's order
  Step interval = 1;                   // steps
};

/// A subspace of a population's activity (SubspaceSpec): its consolidated rows, one
/// column per neuron of the population in internal order, which learners read.
struct SubspaceRuntime {
  std::string name;
  std::uint32_t population = 0;
  int learned_by = -1;          // projection index
  std::vector<Step> consolidate_at;  // steps, increasing
  plasticity::Subspace basis;   // every row consolidated
  std::vector<double> columns;  // basis transposed: per neuron, its rows() values

  /// Transposes the basis into `columns` (after it changed).
  void refresh_columns() {
    const std::size_t rows = basis.rows(), n = basis.n();
    columns.assign(rows * n, 0.0);
    for (std::size_t q = 0; q < rows; ++q) {
      for (std::size_t j = 0; j < n; ++j) columns[j * rows + q] = basis.matrix()[q * n + j];
    }
  }
};

struct BuiltNetwork {
  double dt = 0.1;
  std::uint64_t seed = 1;
  Step min_delay = 1;
  Step max_delay = 1;
  std::uint32_t slots = 1;  // ring slots per receptor
  std::vector<PopulationRuntime> populations;
  std::vector<ProjectionRuntime> projections;
  std::vector<StateRecorderRuntime> recorders;
  std::vector<ModulatorRuntime> modulators;
  std::vector<std::vector<std::uint32_t>> plastic_into;  // per population: plastic projections
  std::vector<SubspaceRuntime> subspaces;
};

}  // namespace spikeq::detail
