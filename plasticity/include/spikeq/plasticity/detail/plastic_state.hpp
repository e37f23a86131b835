#pragma once
// Runtime state of plastic projections and neuromodulators in host memory.
//
// Every write a plastic synapse needs happens in the tile that owns its postsynaptic
// neuron: presynaptic arrivals are queued per target tile at delivery and processed in the
// update that consumes them; postsynaptic spikes walk a backward index (target -> synapse
// indices) of the tile's own neurons; periodic weight updates walk the same index. So the
// threads never share a synapse, and each synapse sees its events in time order whatever
// the schedule: results are identical on every backend and thread count.
//
// Modulators are replicated: every work unit (a tile, or a whole population on the serial
// backend) keeps its own ModulatorState and advances it through the same jumps at the same
// steps, so reading a level needs no synchronisation.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "spikeq/core/config.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/plasticity/rules.hpp"

namespace spikeq::detail {

/// A Decay's table where it lies now (host memory, or a device's copy of it): exp(-k dt /
/// tau) for lags k below kDecayTable, and spikeq::math::exp beyond, so that host and
/// device give the same bits for every lag.
inline constexpr std::uint64_t kDecayTable = 4096;
struct DecayView {
  const double* table;
  double rate;  // dt / tau
  SPIKEQ_HD double operator()(Step k) const {
    return static_cast<std::uint64_t>(k) < kDecayTable ? table[k]
                                                       : math::exp(-static_cast<double>(k) * rate);
  }
};

/// exp(-k dt / tau) for a lag of k steps; a table serves lags up to a few thousand steps.
class Decay {
 public:
  Decay() = default;
  Decay(double dt, double tau) : rate_(std::isinf(tau) ? 0.0 : dt / tau) {
    table_.resize(kDecayTable);
    for (std::size_t k = 0; k < kDecayTable; ++k) table_[k] = std::exp(-static_cast<double>(k) * rate_);
  }
  [[nodiscard]] double operator()(Step k) const { return view()(k); }
  [[nodiscard]] double rate() const { return rate_; }  // dt / tau
  [[nodiscard]] DecayView view() const { return {table_.data(), rate_}; }
  [[nodiscard]] const std::vector<double>& table() const { return table_; }

 private:
  double rate_ = 0.0;
  std::vector<double> table_;
};

inline constexpr Step kNever = std::numeric_limits<Step>::min() / 4;

/// A change of a modulator at the start of update `step`: m += amount, or m = amount.
struct ModulatorJump {
  Step step;
  double amount;
  bool set = false;
};

/// One replica of a modulator's time course.
struct ModulatorState {
  double m = 0.0;      // the decaying part, at step `since`
  Step since = 0;
  std::vector<ModulatorJump> pending;  // by step; equal steps in arrival order
  std::vector<Step> last_first;        // per PairReward source: last spike of `first`
  std::uint64_t rewards = 0;           // PairReward rewards scheduled so far

  void schedule(const ModulatorJump& j);
  [[nodiscard]] bool due(Step u) const { return !pending.empty() && pending.front().step <= u; }
};

struct ModulatorRuntime {
  std::string name;
  double baseline = 0.0;
  Decay decay;
  struct SpikeSource {
    std::uint32_t population;
    std::vector<std::uint8_t> member;  // by internal id; empty: every neuron
    double amount;
    Step delay;
  };
  struct RewardSource {
    std::uint32_t first_population, first;    // internal id
    std::uint32_t second_population, second;  // internal id
    Step window, latency_min, latency_max;
    double amount;
    std::uint32_t stream;
  };
  std::vector<SpikeSource> spike_sources;
  std::vector<RewardSource> reward_sources;
  ModulatorState initial;

  /// The level just after time t (steps), jumps scheduled at t included.
  [[nodiscard]] double level(const ModulatorState& s, Step t) const {
    double m = s.m;
    Step at = s.since;
    for (const ModulatorJump& j : s.pending) {
      if (j.step > t) break;
      m = j.set ? j.amount : m * decay(j.step - at) + j.amount;
      at = j.step;
    }
    return baseline + m * decay(t - at);
  }
};

/// Applies the jumps due at update u (call at the start of the update).
void apply_jumps(const ModulatorRuntime& mod, ModulatorState& s, Step u);

/// Spikes of one population in one slice, in any order.
struct SpikeSpan {
  const Step* steps = nullptr;
  const std::uint32_t* ids = nullptr;
  std::size_t n = 0;
};

/// Turns the spikes of one slice (updates [first, first + count), per population) into
/// future jumps of every modulator; the result does not depend on the spikes' order.
void ingest_spikes(const std::vector<ModulatorRuntime>& mods, std::vector<ModulatorState>& states,
                   const std::vector<SpikeSpan>& spikes, Step first, Step count,
                   std::uint64_t seed);

struct PlasticProjection {
  enum class Kind : std::uint8_t { stdp, error, symmetric, hebbian };
  enum class Mode : std::uint8_t { immediate, interval, eligibility };
  Kind kind = Kind::stdp;
  Mode mode = Mode::immediate;
  plasticity::Pairing pairing = plasticity::Pairing::all_to_all;
  plasticity::WeightDependence dependence = plasticity::WeightDependence::additive;
  double A_plus = 0, A_minus = 0, mu_plus = 1, mu_minus = 1;
  double alpha = 0;  // symmetric (Vogels-Sprekeler): depression per presynaptic spike
  double sign = 1;   // symmetric: -1 when the weights are negative (the rule acts on |w|)
  double w_min = 0, w_max = 0;
  Decay pre_decay, post_decay, c_decay;
  double tau_c = 0, dt = 0;      // ms (eligibility integration)
  Step interval = 0;             // steps (interval mode, error rule)
  double bias = 0, acc_decay = 0;
  double eta_step = 0;           // error and Oja rules: eta * interval in ms
  double scale = 1;              // Hebbian rules: the weight vector's length
  plasticity::hebbian::HebbianRule form = plasticity::hebbian::HebbianRule::oja;  // Kind::hebbian
  int modulator = -1, target = -1, gate = -1;  // modulator indices
  Step dendritic = 0;            // steps

  /// What a synapse learns with, beyond its weight: one cache line holds it all.
  struct Trace {
    float x_pre = 0.0f;  // presynaptic trace at the synapse, at step `last`
    float acc = 0.0f;    // sd (interval) or eligibility c (eligibility)
    Step last = 0;       // when x_pre (and c) were last brought up to date
  };
  // Per synapse, by target: the synapses of target i are positions
  // post_ptr[i] .. post_ptr[i + 1], so a postsynaptic spike walks contiguous traces.
  std::vector<std::uint64_t> post_ptr;
  std::vector<std::uint32_t> post_syn;  // position -> CSR index (weights, entries)
  std::vector<Trace> traces;            // by position
  std::vector<std::uint32_t> position;  // CSR index -> position
  // Oja's subspace and Sanger's rules only: per source neuron (internal id), its synapses'
  // positions src_pos[src_ptr[j] .. src_ptr[j + 1]) and targets src_target[...], in the
  // order of the targets' user ids (Sanger's k <= i). Empty for the other rules.
  std::vector<std::uint64_t> src_ptr;
  std::vector<std::uint32_t> src_pos;
  std::vector<std::uint32_t> src_target;
  // HLOP projection (PlasticitySpec::projection): the subspace's index, each position's
  // source neuron (internal id), and per target scratch of the subspace's row count.
  int subspace = -1;
  std::vector<std::uint32_t> pos_source;
  std::vector<double> coeff;
  // Per target neuron (internal id), in synapse time.
  std::vector<double> x_post;
  std::vector<Step> post_last;

  /// Synapses [begin, end) of one spike's piece that share a delay.
  struct Arrival {
    std::uint32_t begin, end;
  };
  /// Per target tile: synapses whose presynaptic spike reaches them in update u, by
  /// u mod slots; and the tile's spiking neurons of the last `dendritic + 1` updates.
  struct TileQueue {
    std::vector<std::vector<Arrival>> arrivals;
    std::vector<std::vector<std::uint32_t>> posts;
  };
  std::vector<TileQueue> queues;

  [[nodiscard]] std::size_t bytes() const;
};

}  // namespace spikeq::detail
