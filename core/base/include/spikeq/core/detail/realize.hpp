#pragma once
// Turning a Value into concrete numbers with the counter-based RNG.
#include <cstdint>
#include <string>
#include <vector>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/values.hpp"

namespace spikeq::detail {

/// One value per element; element i draws from (seed, stream, i) alone, so a value
/// does not depend on how many elements there are or on the order they are built in.
/// Arrays must have n entries; a cycle gives element i its entry Cycle::at(i).
/// `what` names the parameter in errors (e.g. "population 'exc': parameter 'V_th'").
std::vector<double> realize_per_element(const Value& v, std::uint64_t n, std::uint64_t seed,
                                        std::uint32_t stream, const std::string& what);

/// Throws InvalidParameter (prefixed by `what`) unless v is a usable value or distribution.
void check_value(const Value& v, const std::string& what);

/// The next value of a constant or a distribution from a sequential draw stream (not
/// for arrays and cycles, whose values depend on the element's index, not on draws).
double draw_value(const Value& v, DrawStream& draws);

}  // namespace spikeq::detail
