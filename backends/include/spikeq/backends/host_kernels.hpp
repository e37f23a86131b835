#pragma once
// Per-step work on host memory, written once for every host backend. Each function
// works on a range of neurons [i0, i1) of one population, so a threaded backend can
// hand out fixed tiles while the serial backend passes the whole population.
#include <cstdint>

#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/host_state.hpp"
#include "spikeq/backends/ring_input.hpp"

namespace spikeq::detail {

/// Applies the current changes due at update u to neurons [i0, i1), whose progress
/// through the changes `cursor` tracks; call once per range and step, before the update.
void begin_step(PopulationRuntime& pop, CurrentCursor& cursor, Step u, std::uint32_t i0,
                std::uint32_t i1);

/// Adds this step's Poisson input (into the ring slot of u) and noise current for
/// neurons [i0, i1).
void apply_drives(PopulationRuntime& pop, std::uint64_t seed, Step u, std::uint32_t slots,
                  std::uint32_t i0, std::uint32_t i1);

/// Advances neurons [i0, i1) by update u, consuming and clearing their ring slot; sets
/// pop.fired[i] to 1 for each neuron that spiked.
void update_neurons(PopulationRuntime& pop, const CurrentCursor& cursor, std::uint64_t seed,
                    Step u, std::uint32_t slots, std::uint32_t i0, std::uint32_t i1);

/// Appends the neurons of [i0, i1) that fired in update u, in id order.
void collect_spikes(const PopulationRuntime& pop, Step u, std::uint32_t i0, std::uint32_t i1,
                    SliceOutput::Spikes& out);

/// Samples every recorder of population `p` that is due after update u.
void sample_recorders(const BuiltNetwork& net, std::uint32_t p, Step u, SliceOutput& out);

/// Whether a recorder samples after update u.
inline bool sample_due(const StateRecorderRuntime& rec, Step u) {
  return (u + 1) % rec.interval == 0;
}

/// Writes the values of `neurons` (internal ids of one population) to row[columns[k]].
void sample_neurons(const PopulationRuntime& pop, int variable, const std::uint32_t* neurons,
                    const std::uint32_t* columns, std::size_t n, double* row);

/// Delivers spikes [begin, end) of the projection's source into target tile t. Spikes
/// come sorted by step.
void deliver_tile(const ProjectionRuntime& proj, PopulationRuntime& target, std::uint32_t t,
                  const Step* steps, const std::uint32_t* ids, std::size_t n,
                  std::uint32_t slots);

/// Delivers every spike in `spikes` (of the projection's source) into the target's rings.
void deliver_projection(const ProjectionRuntime& proj, PopulationRuntime& target,
                        const SliceOutput::Spikes& spikes, std::uint32_t slots);

/// Points the models' table views at their storage (after the state has moved).
void bind_tables(BuiltNetwork& net);

}  // namespace spikeq::detail
