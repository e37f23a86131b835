#pragma once
// Quantities with units: "20 ms", "-65 mV", "5 Hz", "0.6 nS". Each parameter has a
// dimension; a value converts to spikeq's internal unit of that dimension (ms, mV, pA, nS,
// pF, Hz), a bare number is taken in that internal unit, and a unit of another dimension
// is an error.
#include <optional>
#include <string>
#include <string_view>

#include "spikeq/core/dimension.hpp"

namespace spikeq::io::yaml {

using spikeq::Dimension;

/// "a time", "a voltage", ... for messages.
const char* dimension_name(Dimension d);
/// The internal unit, e.g. "ms" (empty for none).
const char* internal_unit(Dimension d);
/// The units accepted for a dimension, e.g. "ms, s, us, min".
std::string accepted_units(Dimension d);

struct Quantity {
  double value;        ///< in the internal unit of its dimension
  Dimension dimension;  ///< none for a bare number
};

/// Parses "<number> [unit]"; nullopt if the text is not a number optionally followed by
/// a known unit (then it may be an expression). A known unit yields its dimension.
std::optional<Quantity> parse_quantity(std::string_view text);

}  // namespace spikeq::io::yaml
