#pragma once
// How a neuron update reads its input, written once for the host kernels and the device
// kernels (SPIKEQ_HD): the ring slot update u consumes, the neuron's input in it, and one
// point neuron's step that consumes (clears) its slot for the step max_delay ahead.
#include <cstdint>
#include <tuple>
#include <type_traits>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/neurons/model.hpp"

namespace spikeq::detail {

/// Ring slot consumed by update `u`.
SPIKEQ_HD inline std::uint32_t slot_of(Step u, std::uint32_t slots) {
  return static_cast<std::uint32_t>(u % static_cast<Step>(slots));
}

/// The input of neuron i this step: its ring slot of each receptor, read in place.
struct RingInput {
  Accum* const* rows;
  std::uint32_t i;
  SPIKEQ_HD double operator[](int receptor) const { return from_fixed(rows[receptor][i]); }
};

/// A model's receptor count as a constant device code may use (std::array::size is a host
/// function to nvcc).
template <typename M>
inline constexpr int receptor_count =
    static_cast<int>(std::tuple_size_v<std::remove_cvref_t<decltype(M::receptors)>>);

/// Advances neuron i of a point model by one step with external current i_ext, reading
/// its slot of each receptor's row and clearing it; true if it fired.
template <typename M>
SPIKEQ_HD inline bool step_neuron(const typename M::derived& d, const typename M::view& v,
                                  Accum* const* rows, std::uint32_t i, double i_ext,
                                  const neurons::StepContext& ctx) {
  const bool spiked = M::step(d, v, i, RingInput{rows, i}, i_ext, ctx);
  for (int c = 0; c < receptor_count<M>; ++c) rows[c][i] = 0;
  return spiked;
}

}  // namespace spikeq::detail
