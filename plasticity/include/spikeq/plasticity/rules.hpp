#pragma once
// Synaptic plasticity rules of a projection: what a synapse learns from (pre- and
// postsynaptic spikes, a neuromodulator, an error) and how the change reaches its weight.
//
// Timing (docs/architecture.md, "Plasticity"): a synapse of delay d splits it into an
// axonal part d - dendritic_delay and a dendritic part dendritic_delay. A presynaptic spike
// stamped S reaches the synapse at P = S + d - dendritic_delay; a postsynaptic spike
// stamped Q reaches it at Q + dendritic_delay. A pair with lag
// Δ = (Q + dendritic_delay) - P >= 0 potentiates with exp(-Δ/tau_plus); Δ < 0 depresses
// with exp(Δ/tau_minus). A postsynaptic spike in the very update that consumes the input
// (Δ = 0) counts as caused by it. The default dendritic_delay = 0 is the axonal convention
// of Izhikevich's spnet and Brian2; NEST treats the whole delay as dendritic.
#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "spikeq/plasticity/hebbian.hpp"

namespace spikeq::plasticity {

/// Which spike pairs interact.
enum class Pairing {
  all_to_all,  ///< traces add 1 at each spike: every earlier spike pairs
  nearest,     ///< traces reset to 1: only the nearest earlier spike pairs (symmetric NN)
};

/// How a change scales with the current weight w (bounds [w_min, w_max]).
enum class WeightDependence {
  additive,        ///< f+ = f- = 1
  multiplicative,  ///< soft bounds: f+ = w_max - w, f- = w - w_min
  power_law,       ///< Gütig et al. 2003: f+ = W (1 - x)^mu_plus, f- = W x^mu_minus,
                   ///< x = (w - w_min)/W, W = w_max - w_min
};

/// Pair-based STDP with exponential traces (Morrison, Diesmann & Gerstner 2008):
/// at a presynaptic arrival Δw = -A_minus f-(w) x_post, at a postsynaptic spike
/// Δw = +A_plus f+(w) x_pre, where the traces jump by 1 (or reset to 1) at spikes.
struct Stdp {
  static constexpr std::string_view name = "stdp";    ///< YAML `rule:` (the default)
  static constexpr std::string_view label = "stdp";   ///< in messages: "stdp plasticity"
  /// The YAML keys of the rule, besides those every rule has (PlasticitySpec's).
  static constexpr std::array<std::string_view, 9> keys{
      "A_plus", "A_minus", "tau_plus", "tau_minus", "pairing", "weight_dependence",
      "mu_plus", "mu_minus", "modulator"};
  double A_plus = 0.01;
  double A_minus = 0.0105;
  double tau_plus = 20.0;   // ms, presynaptic trace
  double tau_minus = 20.0;  // ms, postsynaptic trace
  Pairing pairing = Pairing::all_to_all;
  WeightDependence dependence = WeightDependence::additive;
  double mu_plus = 1.0;   // power_law only
  double mu_minus = 1.0;  // power_law only
};

/// Error-modulated Hebbian readout (three factors: error x presynaptic trace x gate).
/// For each synapse, every `interval`: Δw = eta * interval * gate(t) * (target(t) - y(t))
/// * x_pre(t), where y is the postsynaptic neuron's activity trace (jumps by 1 at each of
/// its spikes, decays with tau_post), x_pre the presynaptic trace at the synapse (jumps by
/// 1, decays with tau_pre), target the level of the modulator named `target` and gate the
/// level of the modulator named `gate` (1 when empty).
struct ErrorRule {
  static constexpr std::string_view name = "error";
  static constexpr std::string_view label = "error-rule";
  static constexpr std::array<std::string_view, 5> keys{"eta", "tau_pre", "tau_post",
                                                        "target", "gate"};
  double eta = 0.01;        // per ms
  double tau_pre = 20.0;    // ms
  double tau_post = 20.0;   // ms
  std::string target;       // modulator giving the desired activity
  std::string gate;         // modulator gating learning (empty: always on)
};

/// Inhibitory STDP of Vogels, Sprekeler et al. (2011, Science 334:1569): a symmetric
/// window that balances excitation. Traces jump by 1 and decay with tau; at a presynaptic
/// arrival Δw = eta (x_post - alpha), at a postsynaptic spike Δw = eta x_pre, with
/// alpha = 2 rho0 tau (the depression per presynaptic spike that sets the target rate
/// rho0 of the postsynaptic neuron). Changes apply at once. With bounds w_max <= 0
/// (current-based inhibition, negative weights) the rule acts on |w|.
struct VogelsSprekeler {
  static constexpr std::string_view name = "vogels_sprekeler";
  static constexpr std::string_view label = "vogels_sprekeler";
  static constexpr std::array<std::string_view, 3> keys{"eta", "tau", "rho0"};
  double eta = 0.001;  // weight units per pairing
  double tau = 20.0;   // ms
  double rho0 = 5.0;   // Hz, target postsynaptic rate
};

/// The YAML name and message label of each Hebbian rule, by hebbian::HebbianRule.
struct HebbianNames {
  std::string_view name, label;
};
inline constexpr std::array<HebbianNames, 3> hebbian_names{{{"oja", "oja-rule"},
                                                            {"oja_subspace", "oja-subspace-rule"},
                                                            {"sanger", "sanger-rule"}}};

/// The Hebbian rules that find principal components, driven by pre- and postsynaptic
/// traces: y_i is target i's trace (jumps by 1 at each of its spikes, decays with
/// tau_post), x_j the presynaptic trace at synapse j -> i (jumps by 1, decays with
/// tau_pre). For each synapse, every `interval` (every step with `update: immediate`):
///
///   oja           Δw_ij = eta T y_i (scale x_j - w_ij y_i)               (Oja 1982)
///   oja_subspace  Δw_ij = eta T y_i (scale x_j - Σ_k w_kj y_k)           (Oja 1989)
///   sanger        Δw_ij = eta T y_i (scale x_j - Σ_{k<=i} w_kj y_k)      (Sanger 1989)
///
/// with T the interval in ms, the sums over the targets k of source j's synapses in this
/// projection, and k <= i in the order of the target population's neuron ids. On
/// u = w / scale these are hebbian.hpp's rules: Oja's weight vector turns towards the
/// first principal component of its inputs at length `scale`; the subspace rule's
/// targets span the principal subspace together, Sanger's find the components in order.
/// The reconstruction Σ_k w_kj y_k couples a projection's targets, so a population that
/// learns by oja_subspace or sanger is updated as one tile (at most 65536 neurons).
/// tests/plasticity/test_subspace_rules.cpp runs these updates on samples of a known
/// covariance (hebbian.hpp's schedule): below 1 degree to the true principal subspace after
/// 600000 (oja), 40000 (oja_subspace) and 400000 (sanger) samples.
template <hebbian::HebbianRule Form>
struct Hebbian {
  static constexpr hebbian::HebbianRule form = Form;
  static constexpr std::string_view name = hebbian_names[static_cast<std::size_t>(Form)].name;
  static constexpr std::string_view label = hebbian_names[static_cast<std::size_t>(Form)].label;
  static constexpr std::array<std::string_view, 4> keys{"eta", "tau_pre", "tau_post", "scale"};
  double eta = 0.001;      // per ms
  double tau_pre = 20.0;   // ms
  double tau_post = 20.0;  // ms
  double scale = 1.0;      // weight unit: the length a weight vector settles at
};
using OjaRule = Hebbian<hebbian::HebbianRule::oja>;
using OjaSubspaceRule = Hebbian<hebbian::HebbianRule::oja_subspace>;
using SangerRule = Hebbian<hebbian::HebbianRule::sanger>;

/// Every pairing changes the weight at once (classical STDP).
struct Immediate {};

/// Izhikevich's derivative accumulator: pairings add to sd; every `interval` ms,
/// w <- clip(w + bias + f sd) and sd <- decay sd, where f is the modulator's level when
/// the rule has one (daspnet: bias 0, f = 0.002 + DA) and 1 otherwise (spnet: bias 0.01).
struct Interval {
  double interval = 1000.0;  // ms
  double bias = 0.0;
  double decay = 0.0;
};

/// Eligibility trace: pairings add to c, which decays with tau_c; the weight follows
/// dw/dt = c(t) M(t), with M the modulator's level, integrated exactly between events
/// (NEST stdp_dopamine_synapse, models.md §3).
struct Eligibility {
  double tau_c = 1000.0;  // ms
};

/// The rule registry: every learning rule, in the order the YAML reader lists them. A rule
/// is its struct (name, label, keys, parameters), one alternative here, its kernels
/// (backends/host/plastic_*.cpp) and its YAML reader overload (io/src/yaml/plasticity.cpp).
using Rule = std::variant<Stdp, ErrorRule, VogelsSprekeler, OjaRule, OjaSubspaceRule, SangerRule>;

/// A rule's name, message label and YAML keys, read from its struct.
struct RuleInfo {
  std::string_view name;
  std::string_view label;
  const std::string_view* keys;
  std::size_t key_count;
};

template <typename... Rs>
constexpr std::array<RuleInfo, sizeof...(Rs)> rule_infos(const std::variant<Rs...>*) {
  return {RuleInfo{Rs::name, Rs::label, Rs::keys.data(), Rs::keys.size()}...};
}
/// Every rule of the registry, in `Rule`'s order (info k describes alternative k).
inline constexpr auto rule_registry = rule_infos(static_cast<const Rule*>(nullptr));
using Application = std::variant<Immediate, Interval, Eligibility>;

struct PlasticitySpec {
  Rule rule = Stdp{};
  Application apply = Immediate{};
  /// Third factor of Stdp with Interval or Eligibility (required for Eligibility).
  std::string modulator;
  double w_min = 0.0;
  double w_max = std::numeric_limits<double>::infinity();
  double dendritic_delay = 0.0;  // ms; see the timing note above
  /// HLOP: the name of a subspace of the source population (Network::add_subspace). The
  /// presynaptic factor of the error rule and of STDP's potentiation becomes the projected
  /// trace x − H₀ᵀH₀x of each target's synapses; empty: the traces as they are.
  std::string projection;
};

/// Whether a rule couples the targets of its projection (the subspace rules' shared
/// reconstruction), so that its target population must be updated as one tile.
inline bool couples_targets(const PlasticitySpec& spec) {
  return std::holds_alternative<OjaSubspaceRule>(spec.rule) ||
         std::holds_alternative<SangerRule>(spec.rule);
}

}  // namespace spikeq::plasticity
