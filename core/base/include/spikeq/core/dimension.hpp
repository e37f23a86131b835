#pragma once
// Physical dimensions of spikeq's quantities and their internal units (ms, mV, pA, nS,
// pF, Hz). Model parameter tables name a dimension per parameter; the YAML reader
// converts "20 ms" or "0.5 nA" into the internal unit from it.
#include <string_view>

namespace spikeq {

enum class Dimension { none, time, voltage, current, conductance, capacitance, rate };

/// The internal unit of a dimension, e.g. "ms" ("" for a plain number).
constexpr std::string_view dimension_unit(Dimension d) {
  switch (d) {
    case Dimension::none: return "";
    case Dimension::time: return "ms";
    case Dimension::voltage: return "mV";
    case Dimension::current: return "pA";
    case Dimension::conductance: return "nS";
    case Dimension::capacitance: return "pF";
    case Dimension::rate: return "Hz";
  }
  return "";
}

}  // namespace spikeq
