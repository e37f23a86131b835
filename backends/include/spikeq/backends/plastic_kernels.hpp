#pragma once
// Per-step plasticity work on host memory, for every host backend. Like the neuron
// kernels, each function covers neurons [i0, i1) of one population, whole target tiles.
#include <cstdint>
#include <vector>

#include "spikeq/backends/host_state.hpp"
#include "spikeq/plasticity/detail/learner.hpp"
#include "spikeq/plasticity/modulators.hpp"

namespace spikeq::detail {

/// Queues the presynaptic spikes [0, n) of a plastic projection for target tile t: each
/// synapse is processed in the update its spike reaches it (plastic_before).
void enqueue_tile(ProjectionRuntime& proj, std::uint32_t t, const Step* steps,
                  const std::uint32_t* ids, std::size_t n, std::uint32_t slots);

/// Start of update u for neurons [i0, i1) of population p: applies the modulator jumps
/// due (bringing eligibility traces up to the jump first), then processes the plastic
/// synapses reached in this update and adds their weights to the rings.
void plastic_before(BuiltNetwork& net, std::uint32_t p, std::uint32_t i0, std::uint32_t i1,
                    Step u, std::vector<ModulatorState>& mods);

/// End of update u: postsynaptic events of the neurons `fired` (the n ids of [i0, i1) that
/// spiked in update u, ascending, as collect_spikes lists them) and periodic weight updates.
void plastic_after(BuiltNetwork& net, std::uint32_t p, std::uint32_t i0, std::uint32_t i1,
                   Step u, const std::vector<ModulatorState>& mods, const std::uint32_t* fired,
                   std::size_t n);

/// The modulator state projection `pl`'s eligibility traces read in replica `mods` (zero
/// for a rule without a modulator), its decay table the host's.
ModulatorView modulator_of(const PlasticProjection& pl, const BuiltNetwork& net,
                           const std::vector<ModulatorState>& mods);

/// What a periodic update at step t reads of the modulators: the error rule's target and
/// gate (none when the gate is closed), or the accumulator rules' factor.
struct PeriodicLevels {
  bool error_rule = false;
  bool hebbian = false;  // the Hebbian rules: no levels to read
  bool closed = false;  // the error rule's gate is 0: nothing to do
  double target = 0.0;
  double gate = 1.0;
  double factor = 1.0;
};
PeriodicLevels periodic_levels(const PlasticProjection& pl, const BuiltNetwork& net,
                               const std::vector<ModulatorState>& mods, Step t);

/// Synapse k's weight at step t: what is stored, plus, for an eligibility trace, the
/// change its trace has made since the synapse was last touched (weights are brought up
/// to date lazily). Reads only, so looking does not change a run.
float weight_now(const BuiltNetwork& net, const ProjectionRuntime& proj, std::uint64_t k, Step t,
                 const std::vector<ModulatorState>& mods);

/// Builds the runtime of a plastic projection (after its CSR; the rule has passed
/// check_plasticity); throws InvalidParameter naming the projection for a rule the
/// synapses cannot follow (initial weights outside the bounds, axonal delays too short).
PlasticProjection make_plastic(const plasticity::PlasticitySpec& spec, ProjectionCsr& csr,
                               const BuiltNetwork& net, const PopulationRuntime& target,
                               const std::string& projection);

/// Makes `pl` (synapses `csr`) project its presynaptic traces out of subspace s (HLOP):
/// the subspace's index and each synapse's source, which the projection reads.
void project_out_of(PlasticProjection& pl, const ProjectionCsr& csr, std::size_t s);

/// Subspace s's rows changed (consolidation, a checkpoint): its columns and the scratch of
/// every projection that reads it follow.
void subspace_changed(BuiltNetwork& net, std::size_t s);

/// Consolidates subspace s: the weight vectors of its learned_by projection (one row per
/// lateral neuron, one column per source neuron) join its rows, made orthonormal to them
/// and to each other; a vector inside their span adds nothing (plasticity::Subspace).
void consolidate_subspace(BuiltNetwork& net, std::size_t s);

/// Checks a rule's parameters (without synapses), for validate() and the build.
void check_plasticity(const plasticity::PlasticitySpec& spec,
                      const std::vector<std::string>& modulators, double dt,
                      const std::string& projection);

/// Builds the modulators of a network (schedules, sources, replicas' initial state).
std::vector<ModulatorRuntime> make_modulators(const std::vector<ModulatorSpec>& specs,
                                              const std::vector<PopulationRuntime>& pops,
                                              double dt, Step min_delay);

}  // namespace spikeq::detail
