#pragma once
// Reading the document tree against spikeq's schema: every value is read through a
// Cursor that knows its key path, so each error says where it is and what was expected.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expression.hpp"
#include "spikeq/core/values.hpp"
#include "tree.hpp"
#include "units.hpp"

namespace spikeq::io::yaml {

/// A node and its key path ("projections[2].delay").
class Cursor {
 public:
  Cursor(const Node& node, std::string path) : node_(&node), path_(std::move(path)) {}

  [[nodiscard]] const Node& node() const { return *node_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] SourceLocation where() const;
  [[noreturn]] void fail(const std::string& message) const;

  [[nodiscard]] Cursor item(std::size_t i) const;
  [[nodiscard]] Cursor entry(const Entry& e) const;

 private:
  const Node* node_;
  std::string path_;
};

/// A map whose keys must all be among `allowed`; unknown keys are errors with a
/// suggestion, missing required keys are errors naming the key.
class MapReader {
 public:
  MapReader(const Cursor& c, std::vector<std::string> allowed, std::string_view what);

  [[nodiscard]] std::optional<Cursor> get(std::string_view key) const;
  [[nodiscard]] Cursor require(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return get(key).has_value(); }
  [[nodiscard]] const Cursor& cursor() const { return c_; }

 private:
  Cursor c_;
  std::string what_;
};

/// Names an expression may use, with their values: model parameters, and for per-neuron
/// values the population's variates plus i (neuron index) and N (population size).
struct Scope {
  std::vector<std::string> names;
  std::vector<double> values;
  std::vector<Dimension> dimensions;  ///< of each name given as a quantity ("0.1 mV")
  std::uint32_t neurons = 0;  ///< > 0 where per-neuron values are being read
  std::vector<std::string> variate_names;
  std::vector<std::vector<double>> variates;  ///< one value per neuron each
};

std::string read_string(const Cursor& c);
bool read_bool(const Cursor& c);
/// A whole number in [min, max]; with a scope, also an expression of its parameters.
std::uint64_t read_integer(const Cursor& c, std::uint64_t min, std::uint64_t max,
                           const Scope* scope = nullptr);
/// A number of `dim`: a quantity ("20 ms"), a bare number in the internal unit, or an
/// expression of the scope's parameters.
double read_quantity(const Cursor& c, Dimension dim, const Scope& scope);
/// A number in [0, 1] (probabilities).
double read_probability(const Cursor& c, const Scope& scope);
/// A value per element: a quantity, an expression (per neuron when the scope has
/// neurons), a list of quantities, a distribution map (uniform, normal, lognormal,
/// constant, array) or a cycle ({cycle: [...], each: k}).
Value read_value(const Cursor& c, Dimension dim, const Scope& scope);
std::vector<double> read_quantity_list(const Cursor& c, Dimension dim, const Scope& scope);
std::vector<std::uint32_t> read_id_list(const Cursor& c);
/// A file name; a relative one is taken relative to the model file that gives it.
std::string read_path(const Cursor& c);

/// One of a fixed set of words.
template <typename E>
E read_choice(const Cursor& c, std::initializer_list<std::pair<std::string_view, E>> choices);

/// The index of the word a key holds among `names` (a model table's choices, the rule
/// registry's names); else the same error as read_choice.
std::size_t read_choice_index(const Cursor& c, std::span<const std::string_view> names);

/// Implementation of read_choice's error (not templated).
[[noreturn]] void fail_choice(const Cursor& c, const std::string& got,
                              const std::vector<std::string>& names);

template <typename E>
E read_choice(const Cursor& c, std::initializer_list<std::pair<std::string_view, E>> choices) {
  const std::string word = read_string(c);
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (name == word) return value;
    names.emplace_back(name);
  }
  fail_choice(c, word, names);
}

}  // namespace spikeq::io::yaml
