#pragma once
// Build phase: validates a Network and turns it into host state for a backend.
#include "spikeq/backends/host_state.hpp"
#include "spikeq/core/network.hpp"
#include "spikeq/core/simulation.hpp"

namespace spikeq::detail {

BuiltNetwork build_network(const Network& network, const SimulationOptions& options,
                           BuildInfo& info);

ValidationReport validate_network(const Network& network, const SimulationOptions& options);

/// Index of `variable` among the population model's recordables; NotFound (prefixed by
/// `what`, listing the names there are) if it has none of that name.
int recordable_index(const PopulationRuntime& pop, const std::string& variable,
                     const std::string& what);

/// Whether receptor `receptor` of the population's model is a conductance (its weights
/// may not be negative).
bool conductance_receptor(const PopulationRuntime& pop, int receptor);

/// Throws CapacityError if `bytes` would not fit in this machine's memory.
void check_allocation(double bytes, const std::string& what);

}  // namespace spikeq::detail
