#pragma once
// Build phase: validates a Network and turns it into host state for a backend.
#include "spikeq/backends/host_state.hpp"
#include "spikeq/core/network.hpp"
#include "spikeq/core/simulation.hpp"

namespace spikeq::detail {

BuiltNetwork build_network(const Network& network, const SimulationOptions& options,
                           BuildInfo& info);

/// Throws CapacityError if `bytes` would not fit in this machine's memory.
void check_allocation(double bytes, const std::string& what);

}  // namespace spikeq::detail
