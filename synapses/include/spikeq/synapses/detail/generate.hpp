#pragma once
// Building a projection's synapses: the connection rule gives (source, target) pairs,
// each with a weight and a delay; the result is then sorted into CSR.
#include <cstdint>
#include <string>
#include <vector>

#include "spikeq/synapses/connection.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail {

/// Synapses in generation order (coordinate list), ids are user ids.
struct SynapseCoo {
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
  std::vector<DelaySteps> delays;
  [[nodiscard]] std::uint64_t size() const { return sources.size(); }
};

struct ProjectionContext {
  std::string name;  // for messages: "projection 'exc->inh'"
  std::uint32_t n_source = 0;
  std::uint32_t n_target = 0;
  bool same_population = false;
  double dt = 0.1;
  std::uint64_t seed = 1;
  std::uint32_t max_delay_steps = kMaxDelaySteps;
  bool max_delay_from_user = false;  // for the hint in the message
  bool weights_non_negative = false;  // conductance receptors
  std::string weight_unit;
};

/// Expected number of synapses (for memory checks before anything is allocated).
double expected_synapses(const ConnectionRule& rule, const ProjectionContext& ctx);

/// Every check generate_synapses makes before drawing anything (rule parameters, ids,
/// weight and delay values, delay range): for validating a model without building it.
void check_projection(const ConnectionRule& rule, const SynapseSpec& syn,
                      const ProjectionContext& ctx);

/// Draws the synapses of one projection; throws InvalidParameter / InvalidConnection /
/// CapacityError naming the projection.
SynapseCoo generate_synapses(const ConnectionRule& rule, const SynapseSpec& syn,
                              const ProjectionContext& ctx);

/// Sorts synapses (internal ids) into the tiled CSR: per target tile, rows by source,
/// each row by (delay, target).
ProjectionCsr build_csr(const SynapseCoo& list, std::uint32_t n_source,
                        const Tiling& target_tiles, const std::string& name);

}  // namespace spikeq::detail
