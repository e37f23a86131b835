#pragma once
// Graph algorithms on connectivity, through Boost.Graph.
#include <cstdint>
#include <vector>

#include "spikeq/synapses/detail/csr.hpp"
#include "spikeq/synapses/detail/generate.hpp"

namespace spikeq::detail {

/// In-degree of every target and out-degree of every source of one projection.
void degrees(const ProjectionCsr& csr, std::vector<std::uint64_t>& in_degree,
             std::vector<std::uint64_t>& out_degree);

/// Reverse Cuthill-McKee order of a population's neurons from the synapses of its
/// recurrent projections (treated as undirected): result[user id] = new internal id.
std::vector<std::uint32_t> cuthill_mckee_order(std::uint32_t n,
                                               const std::vector<const SynapseCoo*>& recurrent);

}  // namespace spikeq::detail
