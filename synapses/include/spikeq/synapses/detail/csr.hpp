#pragma once
// Compact synapse storage of one projection: rows by source neuron, each row sorted by
// (delay, target) and cut into delay groups, so a spike writes each group into one
// ring-buffer row. Structure of arrays: a 32-bit target and a 32-bit weight per synapse;
// the delay is stored once per group. Two fast paths keep static projections small:
// a projection whose weights are all equal stores one weight, and one whose delays are
// all equal stores no group table.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace spikeq::detail {

using DelaySteps = std::uint16_t;
/// Longest delay the group table can hold, in steps.
inline constexpr std::uint32_t kMaxDelaySteps = 65535;

struct ProjectionCsr {
  std::uint32_t n_source = 0;
  std::uint32_t n_target = 0;
  std::vector<std::uint64_t> row_ptr;  // n_source + 1 offsets into targets/weights
  std::vector<std::uint32_t> targets;  // internal ids of the target population
  std::vector<float> weights;          // empty when homogeneous_weight
  float weight0 = 0.0f;
  bool homogeneous_weight = false;
  bool uniform_delay = true;
  DelaySteps delay0 = 1;                   // the delay when uniform_delay
  std::vector<std::uint64_t> group_ptr;    // n_source + 1 offsets into the group arrays
  std::vector<DelaySteps> group_delay;     // delay of each group
  std::vector<std::uint32_t> group_end;    // end of each group, relative to its row start

  [[nodiscard]] std::uint64_t size() const { return targets.size(); }
  [[nodiscard]] float weight(std::uint64_t k) const {
    return homogeneous_weight ? weight0 : weights[k];
  }
  [[nodiscard]] std::size_t bytes() const {
    return row_ptr.size() * sizeof(std::uint64_t) + targets.size() * sizeof(std::uint32_t) +
           weights.size() * sizeof(float) + group_ptr.size() * sizeof(std::uint64_t) +
           group_delay.size() * sizeof(DelaySteps) + group_end.size() * sizeof(std::uint32_t);
  }
};

}  // namespace spikeq::detail
