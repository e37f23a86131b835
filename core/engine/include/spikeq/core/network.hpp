#pragma once
// A network description: populations, projections, inputs and recorders. It holds no
// simulation state; a Simulation is built from it. Building validates everything and
// throws a typed spikeq::Error naming the object and parameter at fault.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spikeq/core/inputs.hpp"
#include "spikeq/core/replay.hpp"
#include "spikeq/neurons/all.hpp"
#include "spikeq/plasticity/modulators.hpp"
#include "spikeq/synapses/connection.hpp"

namespace spikeq {

struct PopulationId {
  std::uint32_t index;
  friend bool operator==(PopulationId, PopulationId) = default;
};
struct ProjectionId {
  std::uint32_t index;
  friend bool operator==(ProjectionId, ProjectionId) = default;
};
struct RecorderId {
  std::uint32_t index;
  friend bool operator==(RecorderId, RecorderId) = default;
};
struct ModulatorId {
  std::uint32_t index;
  friend bool operator==(ModulatorId, ModulatorId) = default;
};
struct WeightRecorderId {
  std::uint32_t index;
  friend bool operator==(WeightRecorderId, WeightRecorderId) = default;
};
struct SubspaceId {
  std::uint32_t index;
  friend bool operator==(SubspaceId, SubspaceId) = default;
};

/// A subspace of a population's activity that plastic projections from it keep their
/// learning out of (HLOP, docs/continual-learning.md): a rule whose PlasticitySpec names
/// it in `projection` replaces its presynaptic traces x by x − H₀ᵀH₀x, H₀ the subspace's
/// orthonormal rows (one value per neuron of `population`). The rows start empty; each
/// consolidation (at the times `consolidate_at`, or Simulation::consolidate) adds the
/// directions of `learned_by`'s weight vectors that H₀ does not hold yet: the lateral
/// neurons of a projection from `population` learning by oja_subspace or sanger.
struct SubspaceSpec {
  std::string name;
  PopulationId population;
  std::optional<ProjectionId> learned_by;
  std::vector<double> consolidate_at;  // ms, increasing
};

/// Neuron-id relabelling applied at build time for memory locality. Results, recorded
/// ids and random draws are the same with or without it; only the memory layout changes.
enum class Reordering { none, cuthill_mckee };

struct PopulationSpec {
  std::string name;
  std::uint32_t size;
  NeuronModel model;
  Reordering reordering = Reordering::none;
};

struct ProjectionSpec {
  std::string name;
  PopulationId source;
  PopulationId target;
  ConnectionRule rule;
  SynapseSpec synapse;
};

struct InputSpec {
  std::string name;
  PopulationId target;
  Input input;
};

/// Snapshots of every weight of a projection, every `interval` ms (first at `interval`).
struct WeightRecorderSpec {
  ProjectionId projection;
  double interval;  // ms, a multiple of dt
};

/// Recorded spikes drive `population` during [start, stop) ms: its neurons fire exactly
/// when the source says (replay times are simulation times; spikes outside the window
/// are ignored), their own dynamics stand still and the input reaching them is consumed
/// unused, while their outgoing synapses, and plasticity on either side, work as always.
struct ClampSpec {
  PopulationId population;
  std::shared_ptr<const ReplaySource> source;
  double start;  // ms
  double stop;   // ms
};

struct StateRecorderSpec {
  PopulationId population;
  std::string variable;
  std::vector<std::uint32_t> neurons;  // empty: all
  double interval;                     // ms, a multiple of dt
};

class Network {
 public:
  /// dt in ms.
  explicit Network(double dt = 0.1) : dt_(dt) {}

  void set_dt(double dt) { dt_ = dt; }
  [[nodiscard]] double dt() const { return dt_; }

  /// Largest delay (ms) the model may use; longer delays are an error naming the
  /// projection. Unset: the longest delay of the model, up to the hard limit.
  void set_max_delay(double ms) { max_delay_ = ms; }
  [[nodiscard]] std::optional<double> max_delay() const { return max_delay_; }

  PopulationId add_population(std::string name, std::uint32_t size, NeuronModel model);
  /// Name defaults to "source->target" (with a suffix when repeated).
  ProjectionId connect(PopulationId source, PopulationId target, ConnectionRule rule,
                       SynapseSpec synapse = {}, std::string name = {});
  void add_input(PopulationId target, Input input, std::string name = {});
  void record_spikes(PopulationId population);
  /// Samples `variable` (see the model's recordables) every `interval` ms, at the end
  /// of the step; the first sample is at time `interval`.
  RecorderId record_state(PopulationId population, std::string variable,
                          std::vector<std::uint32_t> neurons, double interval);
  void set_reordering(PopulationId population, Reordering r);
  /// Declares a neuromodulator that plastic projections name in their rule.
  ModulatorId add_modulator(ModulatorSpec spec);
  WeightRecorderId record_weights(ProjectionId projection, double interval);
  /// Declares a subspace that plastic projections from its population name in
  /// PlasticitySpec::projection.
  SubspaceId add_subspace(SubspaceSpec spec);
  /// Drives `population` by recorded spikes during [start, stop) ms (ClampSpec); one
  /// clamp per population.
  void clamp(PopulationId population, std::shared_ptr<const ReplaySource> source, double start,
             double stop);

  [[nodiscard]] PopulationId population(const std::string& name) const;
  [[nodiscard]] ModulatorId modulator(const std::string& name) const;
  [[nodiscard]] ProjectionId projection(const std::string& name) const;

  [[nodiscard]] const std::vector<PopulationSpec>& populations() const { return pops_; }
  [[nodiscard]] const std::vector<ProjectionSpec>& projections() const { return projs_; }
  [[nodiscard]] const std::vector<InputSpec>& inputs() const { return inputs_; }
  [[nodiscard]] const std::vector<StateRecorderSpec>& state_recorders() const {
    return state_recs_;
  }
  [[nodiscard]] const std::vector<bool>& spike_recording() const { return record_spikes_; }
  [[nodiscard]] const std::vector<ModulatorSpec>& modulators() const { return mods_; }
  [[nodiscard]] const std::vector<WeightRecorderSpec>& weight_recorders() const {
    return weight_recs_;
  }
  [[nodiscard]] const std::vector<ClampSpec>& clamps() const { return clamps_; }
  [[nodiscard]] const std::vector<SubspaceSpec>& subspaces() const { return subspaces_; }

  [[nodiscard]] const PopulationSpec& spec(PopulationId p) const;
  [[nodiscard]] const ProjectionSpec& spec(ProjectionId p) const;

 private:
  double dt_;
  std::optional<double> max_delay_;
  std::vector<PopulationSpec> pops_;
  std::vector<ProjectionSpec> projs_;
  std::vector<InputSpec> inputs_;
  std::vector<StateRecorderSpec> state_recs_;
  std::vector<bool> record_spikes_;
  std::vector<ModulatorSpec> mods_;
  std::vector<WeightRecorderSpec> weight_recs_;
  std::vector<ClampSpec> clamps_;
  std::vector<SubspaceSpec> subspaces_;
};

}  // namespace spikeq
