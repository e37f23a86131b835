#pragma once
// Saving and restoring the mutable state of a built network (checkpoint.hpp).
#include <vector>

#include "spikeq/backends/host_state.hpp"
#include "spikeq/core/checkpoint.hpp"
#include "spikeq/core/errors.hpp"

namespace spikeq::detail {

/// Walks every population's state and rings, every projection's weights and plasticity
/// state, and the modulators, through `archive` (saving or restoring).
void transfer_state(BuiltNetwork& net, std::vector<ModulatorState>& mods, StateArchive& archive);

}  // namespace spikeq::detail
