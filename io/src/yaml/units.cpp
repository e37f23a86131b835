#include "units.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace spikeq::io::yaml {
namespace {

struct Unit {
  std::string_view symbol;
  Dimension dimension;
  double factor;  ///< to the internal unit
};

constexpr std::array<Unit, 22> kUnits{{
    {"ms", Dimension::time, 1.0},          {"s", Dimension::time, 1e3},
    {"us", Dimension::time, 1e-3},         {"min", Dimension::time, 6e4},
    {"h", Dimension::time, 3.6e6},         {"mV", Dimension::voltage, 1.0},
    {"V", Dimension::voltage, 1e3},        {"uV", Dimension::voltage, 1e-3},
    {"pA", Dimension::current, 1.0},       {"nA", Dimension::current, 1e3},
    {"uA", Dimension::current, 1e6},       {"fA", Dimension::current, 1e-3},
    {"nS", Dimension::conductance, 1.0},   {"pS", Dimension::conductance, 1e-3},
    {"uS", Dimension::conductance, 1e3},   {"mS", Dimension::conductance, 1e6},
    {"pF", Dimension::capacitance, 1.0},   {"nF", Dimension::capacitance, 1e3},
    {"uF", Dimension::capacitance, 1e6},   {"Hz", Dimension::rate, 1.0},
    {"kHz", Dimension::rate, 1e3},         {"mHz", Dimension::rate, 1e-3},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* dimension_name(Dimension d) {
  switch (d) {
    case Dimension::none: return "a plain number";
    case Dimension::time: return "a time";
    case Dimension::voltage: return "a voltage";
    case Dimension::current: return "a current";
    case Dimension::conductance: return "a conductance";
    case Dimension::capacitance: return "a capacitance";
    case Dimension::rate: return "a rate";
  }
  return "?";
}

const char* internal_unit(Dimension d) {
  return dimension_unit(d).data();  // the literals of dimension.hpp end in '\0'
}

std::string accepted_units(Dimension d) {
  std::string s;
  for (const Unit& u : kUnits) {
    if (u.dimension != d) continue;
    if (!s.empty()) s += ", ";
    s += u.symbol;
  }
  return s.empty() ? "no unit" : s;
}

std::optional<Quantity> parse_quantity(std::string_view text) {
  const std::string t(trim(text));
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || !std::isfinite(v)) return std::nullopt;
  const std::string_view unit = trim(std::string_view(end));
  if (unit.empty()) return Quantity{v, Dimension::none};
  for (const Unit& u : kUnits) {
    if (u.symbol == unit) return Quantity{v * u.factor, u.dimension};
  }
  return std::nullopt;
}

}  // namespace spikeq::io::yaml
