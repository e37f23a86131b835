#pragma once
// What the section readers of a model file share while it is being read.
#include <map>
#include <string>
#include <vector>

#include "reader.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::io::yaml {

struct LoadState {
  LoadedModel model;
  Scope parameters;                        ///< top-level `parameters:`, for expressions
  std::optional<Cursor> parameter_sets;    ///< top-level `parameter_sets:`
  std::map<std::string, PopulationId> populations;
  /// Modulator names that plastic projections use, checked once `modulators:` is read.
  struct ModulatorUse {
    std::string name;
    Cursor at;
  };
  std::vector<ModulatorUse> modulator_uses;
  std::vector<ModulatorUse> subspace_uses;  // `projection:` of plastic projections
  /// The `continual:` section, whose learning rules are read once projections exist.
  std::optional<Cursor> continual;

  /// The population named by `c` (a scalar), or an error suggesting the closest name.
  PopulationId population(const Cursor& c) const;
  /// The projection named by `c`, or an error suggesting the closest name.
  ProjectionId projection(const Cursor& c) const;
  void locate(const std::string& object, const Cursor& c) {
    model.locations[object] = c.where();
  }
};

void read_populations(const Cursor& c, LoadState& s);
/// `continual:` (before populations: it declares the input population).
void read_continual(const Cursor& c, LoadState& s);
/// Its learning rules and the spike recording it needs, once everything else is read.
void finish_continual(LoadState& s);
void read_projections(const Cursor& c, LoadState& s);
void read_inputs(const Cursor& c, LoadState& s);
void read_recorders(const Cursor& c, LoadState& s);
void read_modulators(const Cursor& c, LoadState& s);
/// `subspaces:` (after projections: learned_by names one).
void read_subspaces(const Cursor& c, LoadState& s);
/// Every `projection:` names a declared subspace.
void check_subspace_uses(const LoadState& s);
/// Fails at the place of every modulator name a projection uses that `modulators:` does
/// not declare.
void check_modulator_uses(const LoadState& s);
/// Fails at the first use of a name `known` lacks ("no KIND named ..., (SECTION: ...)").
void check_names_used(const std::vector<LoadState::ModulatorUse>& uses,
                      const std::vector<std::string>& known, const std::string& kind,
                      const std::string& section);

/// The `plasticity:` map of a projection whose weights have dimension `weight`.
plasticity::PlasticitySpec read_plasticity(const Cursor& c, Dimension weight, LoadState& s);

/// read_quantity, or +-infinity for `inf`, `.inf` or `infinity` (any case, optional sign).
double read_quantity_or_infinity(const Cursor& c, Dimension dim, const Scope& scope);

/// The dimension of weights arriving at `receptor` of a target model (empty receptor:
/// the model's first; all receptors of a model share a dimension); fails at `at` if the
/// target has no such receptor.
Dimension weight_dimension(const Cursor& at, const NeuronModel& target, const std::string& receptor,
                           const std::string& target_name);

/// Names may not contain '.', '[' or ']' (they are --set path separators) or spaces.
void check_name(const Cursor& c, const std::string& name);

}  // namespace spikeq::io::yaml
