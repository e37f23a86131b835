#include "reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/model_file.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {

using spikeq::detail::format_number;

SourceLocation Cursor::where() const {
  SourceLocation w = node_->location;
  w.path = path_;
  return w;
}

void Cursor::fail(const std::string& message) const { throw ModelError(where(), message); }

Cursor Cursor::item(std::size_t i) const {
  return Cursor(node_->items.at(i), path_ + "[" + std::to_string(i) + "]");
}

Cursor Cursor::entry(const Entry& e) const {
  return Cursor(e.value, path_.empty() ? e.key : path_ + "." + e.key);
}

MapReader::MapReader(const Cursor& c, std::vector<std::string> allowed, std::string_view what)
    : c_(c), what_(what) {
  if (!c.node().is_map()) {
    c.fail("expected a map of " + std::string(what) + " settings, got " + c.node().kind_name());
  }
  for (const Entry& e : c.node().entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end()) {
      SourceLocation where = e.key_location;
      where.path = c.path().empty() ? e.key : c.path() + "." + e.key;
      throw ModelError(where, "unknown key '" + e.key + "' for " + std::string(what) +
                                  did_you_mean(e.key, allowed) +
                                  (closest(e.key, allowed).empty()
                                       ? " (known keys: " + quoted_list(allowed) + ")"
                                       : std::string{}));
    }
  }
}

std::optional<Cursor> MapReader::get(std::string_view key) const {
  for (const Entry& e : c_.node().entries) {
    if (e.key == key) return c_.entry(e);
  }
  return std::nullopt;
}

Cursor MapReader::require(std::string_view key) const {
  if (auto c = get(key)) return *c;
  c_.fail("missing key '" + std::string(key) + "' for " + what_);
}

std::string read_string(const Cursor& c) {
  if (!c.node().is_scalar()) c.fail("expected a word or text, got " + std::string(c.node().kind_name()));
  return c.node().scalar;
}

bool read_bool(const Cursor& c) {
  std::string s = c.node().is_scalar() ? c.node().scalar : std::string{};
  const std::string given = s;
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  c.fail("expected true or false, got " +
         (c.node().is_scalar() ? "'" + given + "'" : std::string(c.node().kind_name())));
}

std::uint64_t read_integer(const Cursor& c, std::uint64_t min, std::uint64_t max,
                           const Scope* scope) {
  const std::string s = c.node().is_scalar() ? c.node().scalar : std::string{};
  auto refuse = [&](const std::string& why) {
    c.fail("expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
           ", got " + (c.node().is_scalar() ? "'" + s + "'" : std::string(c.node().kind_name())) +
           why);
  };
  // Digits are read exactly (a seed of 2^53 + 1 stays itself); anything else goes through
  // a double, which must then hold it exactly.
  if (const auto exact = parse_whole_number(s); exact && c.node().is_scalar()) {
    if (*exact < min || *exact > max) refuse("");
    return *exact;
  }
  std::optional<double> v;
  std::string why;
  if (const auto q = parse_quantity(s); q && q->dimension == Dimension::none) {
    v = q->value;
  } else if (scope && c.node().is_scalar() && !q) {
    try {
      v = Expression::compile(s, scope->names).evaluate(scope->values.data());
      why = " = " + format_number(*v);
    } catch (const ExpressionError& e) {
      why = " (" + e.message + ")";
    }
  }
  constexpr double kExact = 9007199254740992.0;  // 2^53: every whole number below is a double
  if (!v || *v != std::nearbyint(*v) || *v < static_cast<double>(min) ||
      *v > static_cast<double>(max) || !(*v < kExact)) {
    refuse(why);
  }
  return static_cast<std::uint64_t>(*v);
}

namespace {

std::string unit_hint(Dimension dim) {
  return dim == Dimension::none
             ? std::string("a number")
             : std::string(dimension_name(dim)) + " (" + accepted_units(dim) +
                   "; a bare number is taken in " + internal_unit(dim) + ")";
}

/// Names and slot values of a scope, global part only or with the per-neuron part.
std::vector<std::string> scope_names(const Scope& scope, bool per_neuron) {
  std::vector<std::string> names = scope.names;
  if (per_neuron) {
    names.insert(names.end(), scope.variate_names.begin(), scope.variate_names.end());
    names.emplace_back("i");
    names.emplace_back("N");
  }
  return names;
}

Expression compile_or_fail(const Cursor& c, const std::string& text, Dimension dim,
                           const std::vector<std::string>& names) {
  try {
    return Expression::compile(text, names);
  } catch (const ExpressionError& e) {
    c.fail("expected " + unit_hint(dim) + " or an expression; '" + text + "': " + e.message +
           " (at character " + std::to_string(e.column) + ")");
  }
}

void check_finite(const Cursor& c, double v, const std::string& text,
                  const std::string& where = {}) {
  if (!std::isfinite(v)) {
    c.fail("'" + text + "' evaluates to " + format_number(v) + where + ", not a finite number");
  }
}

/// "20 parsecs": a number followed by a word that is not a unit is a unit mistake, not an
/// expression.
void fail_on_unknown_unit(const Cursor& c, const std::string& text, Dimension dim) {
  char* end = nullptr;
  (void)std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return;
  std::string rest(end);
  rest.erase(0, rest.find_first_not_of(" \t"));
  if (rest.empty() || !std::isalpha(static_cast<unsigned char>(rest[0]))) return;
  if (rest.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
      std::string::npos) {
    return;
  }
  c.fail("unknown unit '" + rest + "' in '" + text + "'; expected " + unit_hint(dim));
}

/// A scalar: quantity, bare number, or expression of global parameters.
double scalar_quantity(const Cursor& c, Dimension dim, const Scope& scope) {
  const std::string& text = c.node().scalar;
  if (auto q = parse_quantity(text)) {
    if (q->dimension != Dimension::none && q->dimension != dim) {
      c.fail("expected " + unit_hint(dim) + ", got '" + text + "', " + dimension_name(q->dimension));
    }
    return q->value;
  }
  fail_on_unknown_unit(c, text, dim);
  const Expression e = compile_or_fail(c, text, dim, scope_names(scope, false));
  // Expressions carry no units; a lone parameter given with a unit can still be checked.
  if (const auto slot = e.single_name(); slot && *slot < scope.dimensions.size()) {
    const Dimension given = scope.dimensions[*slot];
    if (given != Dimension::none && given != dim) {
      c.fail("expected " + unit_hint(dim) + ", but parameter '" + scope.names[*slot] + "' is " +
             dimension_name(given));
    }
  }
  const double v = e.evaluate(scope.values.data());
  check_finite(c, v, text);
  return v;
}

std::pair<double, double> read_pair(const Cursor& c, Dimension dim, const Scope& scope,
                                    const char* what) {
  if (!c.node().is_sequence() || c.node().items.size() != 2) {
    c.fail(std::string("expected [") + what + "], a list of two values");
  }
  return {read_quantity(c.item(0), dim, scope), read_quantity(c.item(1), dim, scope)};
}

/// {cycle: [v0, v1, ...], each: k}: element n takes v[(n / k) % size], k = 1 if not given.
Value read_cycle(const Cursor& c, Dimension dim, const Scope& scope) {
  const MapReader m(c, {"cycle", "each"}, "a cycle");
  const Cursor list = m.require("cycle");
  if (!list.node().is_sequence()) {
    list.fail("expected a list of " + unit_hint(dim) + " to repeat, got " + list.node().kind_name());
  }
  if (list.node().items.empty()) list.fail("a cycle needs at least one value");
  Cycle out{read_quantity_list(list, dim, scope), 1};
  if (auto each = m.get("each")) out.each = read_integer(*each, 1, 0xffffffffu, &scope);
  return out;
}

Value read_distribution(const Cursor& c, Dimension dim, const Scope& scope) {
  if (c.node().find("cycle") || c.node().find("each")) return read_cycle(c, dim, scope);
  if (c.node().entries.size() != 1) {
    c.fail("expected one distribution: {uniform: [low, high]}, {normal: {mean, sd, min, max}}, "
           "{lognormal: {mu, sigma}}, {constant: x}, {array: [...]} or {cycle: [...], each: k}");
  }
  const MapReader m(c, {"uniform", "normal", "lognormal", "constant", "array", "cycle"},
                    "a distribution");
  if (auto u = m.get("uniform")) {
    auto [lo, hi] = read_pair(*u, dim, scope, "low, high");
    if (lo > hi) u->fail("uniform needs low <= high (got " + format_number(lo) + ", " + format_number(hi) + ")");
    return Uniform{lo, hi};
  }
  if (auto n = m.get("normal")) {
    if (n->node().is_sequence()) {
      auto [mean, sd] = read_pair(*n, dim, scope, "mean, sd");
      if (sd < 0) n->fail("normal needs sd >= 0");
      return Normal{mean, sd};
    }
    const MapReader r(*n, {"mean", "sd", "min", "max"}, "a normal distribution");
    Normal out{read_quantity(r.require("mean"), dim, scope), read_quantity(r.require("sd"), dim, scope)};
    if (auto lo = r.get("min")) out.min = read_quantity(*lo, dim, scope);
    if (auto hi = r.get("max")) out.max = read_quantity(*hi, dim, scope);
    if (out.sd < 0) r.require("sd").fail("normal needs sd >= 0");
    if (out.min > out.max) n->fail("normal needs min <= max");
    return out;
  }
  if (auto l = m.get("lognormal")) {
    const MapReader r(*l, {"mu", "sigma"}, "a lognormal distribution");
    Lognormal out{read_quantity(r.require("mu"), Dimension::none, scope),
                  read_quantity(r.require("sigma"), Dimension::none, scope)};
    if (out.sigma < 0) r.require("sigma").fail("lognormal needs sigma >= 0");
    return out;
  }
  if (auto k = m.get("constant")) return read_quantity(*k, dim, scope);
  return read_quantity_list(*m.get("array"), dim, scope);
}

}  // namespace

double read_quantity(const Cursor& c, Dimension dim, const Scope& scope) {
  if (!c.node().is_scalar()) {
    c.fail("expected " + unit_hint(dim) + ", got " + c.node().kind_name());
  }
  return scalar_quantity(c, dim, scope);
}

double read_probability(const Cursor& c, const Scope& scope) {
  const double p = read_quantity(c, Dimension::none, scope);
  if (!(p >= 0.0 && p <= 1.0)) c.fail("expected a probability in [0, 1], got " + format_number(p));
  return p;
}

Value read_value(const Cursor& c, Dimension dim, const Scope& scope) {
  const Node& n = c.node();
  if (n.is_sequence()) return read_quantity_list(c, dim, scope);
  if (n.is_map()) return read_distribution(c, dim, scope);
  if (!n.is_scalar()) c.fail("expected " + unit_hint(dim) + ", a distribution or a list, got nothing");
  if (parse_quantity(n.scalar) || scope.neurons == 0) return scalar_quantity(c, dim, scope);
  // A per-neuron expression: evaluate it for every neuron.
  const std::vector<std::string> names = scope_names(scope, true);
  const Expression e = compile_or_fail(c, n.scalar, dim, names);
  std::vector<double> slots(names.size(), 0.0);
  std::copy(scope.values.begin(), scope.values.end(), slots.begin());
  std::vector<double> out(scope.neurons);
  const std::size_t v0 = scope.values.size();
  for (std::uint32_t i = 0; i < scope.neurons; ++i) {
    for (std::size_t k = 0; k < scope.variates.size(); ++k) slots[v0 + k] = scope.variates[k][i];
    slots[names.size() - 2] = i;
    slots[names.size() - 1] = scope.neurons;
    out[i] = e.evaluate(slots.data());
    check_finite(c, out[i], n.scalar, " for neuron " + std::to_string(i));
  }
  return out;
}

std::vector<double> read_quantity_list(const Cursor& c, Dimension dim, const Scope& scope) {
  if (!c.node().is_sequence()) c.fail("expected a list of " + unit_hint(dim));
  std::vector<double> out;
  out.reserve(c.node().items.size());
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    out.push_back(read_quantity(c.item(k), dim, scope));
  }
  return out;
}

std::vector<std::uint32_t> read_id_list(const Cursor& c) {
  if (!c.node().is_sequence()) c.fail("expected a list of neuron ids");
  std::vector<std::uint32_t> out;
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    out.push_back(static_cast<std::uint32_t>(read_integer(c.item(k), 0, 0xfffffffeu)));
  }
  return out;
}

std::string read_path(const Cursor& c) {
  std::filesystem::path path(read_string(c));
  if (path.is_relative()) path = std::filesystem::path(c.node().location.file).parent_path() / path;
  return path.lexically_normal().string();
}

std::size_t read_choice_index(const Cursor& c, std::span<const std::string_view> names) {
  const std::string word = read_string(c);
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == word) return k;
  }
  fail_choice(c, word, std::vector<std::string>(names.begin(), names.end()));
}

void fail_choice(const Cursor& c, const std::string& got, const std::vector<std::string>& names) {
  c.fail("unknown value '" + got + "'" + did_you_mean(got, names) + " (expected one of " +
         quoted_list(names) + ")");
}

}  // namespace spikeq::io::yaml
