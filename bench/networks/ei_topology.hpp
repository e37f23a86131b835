#pragma once
// The Vogels-Abbott topology shared by CUBA and COBA.
#include <cstdint>

#include "networks.hpp"

namespace spikeq_bench {

/// Population sizes as the peers compute them: NE = int(0.8 N), NI = N - NE.
struct EiSizes {
  std::uint32_t exc;
  std::uint32_t inh;
};
EiSizes ei_sizes(std::uint32_t n);

/// Brian's `connect('i<NE', p=80/N)` and `connect('i>=NE', p=80/N)` on one group of N
/// neurons, with the group split in two populations: every ordered pair (autapses
/// included, at most one synapse each) independently with p = 80/N, so four
/// FixedProbability projections. Brian has no delay (a spike acts in the next step);
/// spikeq's shortest delay is one step, dt.
void connect_ei(BenchNetwork& b, spikeq::PopulationId exc, spikeq::PopulationId inh,
                std::uint32_t n, const spikeq::SynapseSpec& from_exc,
                const spikeq::SynapseSpec& from_inh);

}  // namespace spikeq_bench
