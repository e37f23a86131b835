#pragma once
// How a projection is wired (connection rules) and what its synapses carry.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spikeq/core/values.hpp"
#include "spikeq/plasticity/rules.hpp"

namespace spikeq {

namespace connect {
/// Every source to every target.
struct AllToAll {};
/// Source i to target i; both populations must have the same size.
struct OneToOne {};
/// Each (source, target) pair independently with probability p.
struct FixedProbability {
  double p;
};
/// Every target receives exactly k synapses from sources drawn uniformly.
struct FixedIndegree {
  std::uint64_t k;
};
/// Every source sends exactly k synapses to targets drawn uniformly.
struct FixedOutdegree {
  std::uint64_t k;
};
/// Synapse n connects sources[n] to targets[n].
struct Explicit {
  std::vector<std::uint32_t> sources;
  std::vector<std::uint32_t> targets;
};
}  // namespace connect

using ConnectionRule = std::variant<connect::AllToAll, connect::OneToOne,
                                    connect::FixedProbability, connect::FixedIndegree,
                                    connect::FixedOutdegree, connect::Explicit>;

/// The synapses of one projection. Arrays given for weight or delay have one entry per
/// synapse, and a Cycle gives synapse n its Cycle::at(n), where n counts the synapses in
/// generation order from 0. Neurons are numbered by user id (before any reordering);
/// "ascending" is by that id:
///   - Explicit: n is the entry's index in the lists.
///   - OneToOne: n is the source (= target).
///   - AllToAll: source by source, targets ascending; n = s * n_target + t, or without
///     autapses within a population s * (n_target - 1) + (t < s ? t : t - 1).
///   - FixedOutdegree{k}: source by source, k synapses each; the j-th synapse of source
///     s (j < k) is n = s * k + j. Its targets are ascending without multapses, in draw
///     order with them. So a Cycle whose period values.size() * each divides k gives
///     every source the same values: k / values.size() synapses of each.
///   - FixedIndegree{k}: target by target; the j-th synapse of target t is n = t * k + j,
///     its sources ascending without multapses, in draw order with them.
///   - FixedProbability: source by source, targets ascending; rows vary in length, so
///     where a row starts depends on the draws of the rows before it.
struct SynapseSpec {
  /// pA, nS or mV, as the target receptor expects. Stored as 32-bit floats.
  Value weight = 1.0;
  /// ms; rounded to whole steps once, at build time.
  Value delay = 1.0;
  /// Receptor of the target model ("ex", "in", ...). Empty: the only receptor of
  /// single-receptor models; otherwise chosen once for the whole projection from the
  /// range of its weights: "ex" if none is negative, "in" if none is positive (conductance
  /// receptors: always "ex"). A projection whose weights take both signs must name it.
  std::string receptor;
  bool allow_autapses = true;   ///< a neuron may connect to itself (same population)
  bool allow_multapses = true;  ///< a pair may be connected more than once
  /// Set: the weights learn by this rule (plasticity/rules.hpp) within its bounds.
  std::optional<plasticity::PlasticitySpec> plasticity;
};

}  // namespace spikeq
