#pragma once
// Degree statistics and matrix bandwidth of a built network's synapses (connectivity.cpp),
// behind Simulation::connectivity and Simulation::bandwidth.
#include <cstdint>

#include "spikeq/backends/host_state.hpp"
#include "spikeq/core/simulation.hpp"

namespace spikeq::detail {

/// In- and out-degrees of projection `projection` by user id, and their summaries.
ConnectivityStats connectivity_of(const BuiltNetwork& net, std::uint32_t projection);

/// max |i - j| over the synapses of population `population` onto itself, internal ids.
std::uint64_t bandwidth_of(const BuiltNetwork& net, std::uint32_t population);

}  // namespace spikeq::detail
