#pragma once
// What every point-neuron model provides. A model is a small type with only static
// members: user `params`, host-computed `derived` constants, state stored as
// structure-of-arrays columns, and one `step()` usable from host and device code.
// step(derived, columns, i, input, i_ext, ctx) advances neuron i by one step; `input[r]`
// is the weight sum arriving at receptor r this step, `i_ext` the external current (pA).
// Backends own memory and scheduling; they never contain model maths.
#include <array>
#include <cstddef>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "spikeq/core/config.hpp"
#include "spikeq/core/time.hpp"

namespace spikeq::neurons {

/// How a receptor turns delivered weights into an effect on the neuron.
enum class ReceptorKind {
  voltage_jump,      ///< delta synapse: weight in mV added to V
  current_pulse,     ///< current (pA) lasting one step (Izhikevich 2003)
  current_exp,       ///< exponentially decaying current, weight = peak in pA
  current_alpha,     ///< alpha-shaped current, weight = peak in pA
  conductance_exp,   ///< exponentially decaying conductance, weight in nS
  input_slot,        ///< spike count into one input of a multi-input neuron (ELM);
                     ///< the weight is dimensionless, 1 = one spike
};

struct ReceptorInfo {
  std::string_view name;
  ReceptorKind kind;
  std::string_view weight_unit;
};

/// A variable a state recorder can sample, with the unit its values are reported in.
struct Recordable {
  std::string_view name;
  std::string_view unit;  ///< "mV", "pA", "nS", "pA/ms", or "" for a plain number
};

/// A list of model types (the registry, and the kernels a model builds into).
template <typename... Ms>
struct ModelList {
  static constexpr std::size_t size = sizeof...(Ms);
};

/// Raw pointers to a population's state columns; cheap to copy into kernels.
template <int NReal, int NInt>
struct Columns {
  double* real[NReal > 0 ? NReal : 1];
  std::int32_t* ints[NInt > 0 ? NInt : 1];
};

/// Per-step information a model may need (random draws for spike sources).
struct StepContext {
  Step step;                   ///< index u of the update (from u*dt to (u+1)*dt)
  std::uint64_t seed;
  std::uint32_t stream;        ///< the population's random stream
  const std::uint32_t* user_id;  ///< user id of internal neuron i, or nullptr if identical
  SPIKEQ_HD std::uint32_t id_of(std::uint32_t i) const { return user_id ? user_id[i] : i; }
};

template <typename M>
concept PointNeuronModel = requires {
  { M::name } -> std::convertible_to<std::string_view>;
  typename M::params;
  typename M::derived;
  { M::n_real } -> std::convertible_to<int>;
  { M::n_int } -> std::convertible_to<int>;
  M::receptors;
  M::recordables;
  M::real_names;
  M::parameters;
  requires std::same_as<typename std::remove_cvref_t<decltype(M::recordables)>::value_type,
                        Recordable>;
} && requires(const typename M::params& p, const typename M::derived& d,
              const Columns<M::n_real, M::n_int>& c, const double* in, StepContext ctx) {
  { M::derive(p, 0.1, std::string{}) } -> std::same_as<typename M::derived>;
  { M::step(d, c, std::uint32_t{}, in, 0.0, ctx) } -> std::same_as<bool>;
  { M::read(d, c, 0, std::uint32_t{}) } -> std::same_as<double>;
};

}  // namespace spikeq::neurons
