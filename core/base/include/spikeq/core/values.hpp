#pragma once
// A value that may differ per neuron or per synapse: a constant, a distribution
// drawn from the counter-based RNG, an explicit array (one entry per element) or a
// cyclic pattern indexed by the element's number.
//
// "Element n" is, for a parameter of a population, the neuron with user id n (before any
// reordering); for a projection's weight or delay, the n-th synapse in generation order
// (see SynapseSpec in synapses/connection.hpp for the order of each rule).
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace spikeq {

struct Uniform {
  double low;
  double high;
};

/// Normal distribution; draws outside [min, max] are clipped to the nearest bound.
struct Normal {
  double mean;
  double sd;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

/// exp(N(mu, sigma)): mu and sigma are those of the underlying normal.
struct Lognormal {
  double mu;
  double sigma;
};

/// A repeating pattern: element n takes values[(n / each) % values.size()], i.e. each
/// value `each` times in a row, then the next, wrapping around after the last. E.g. the
/// delays 1..20 ms five times each over the 100 synapses of a fixed_outdegree(100) row:
/// `Cycle{.values = {1, 2, ..., 20}, .each = 5}`. Needs at least one value and each >= 1.
struct Cycle {
  std::vector<double> values;
  std::uint64_t each = 1;

  /// The value of element n (values must not be empty, each must be >= 1).
  [[nodiscard]] double at(std::uint64_t n) const {
    return values[static_cast<std::size_t>((n / each) % values.size())];
  }
};

class Value {
 public:
  using Variant = std::variant<double, Uniform, Normal, Lognormal, std::vector<double>, Cycle>;

  Value() : v_(0.0) {}
  template <typename T>
    requires std::is_arithmetic_v<T>
  Value(T v) : v_(static_cast<double>(v)) {}  // NOLINT: implicit by design, `p.V_th = -50;`
  Value(Uniform u) : v_(u) {}                 // NOLINT
  Value(Normal n) : v_(n) {}                  // NOLINT
  Value(Lognormal n) : v_(n) {}               // NOLINT
  Value(std::vector<double> a) : v_(std::move(a)) {}  // NOLINT
  Value(Cycle c) : v_(std::move(c)) {}                 // NOLINT

  [[nodiscard]] const Variant& variant() const { return v_; }
  [[nodiscard]] bool is_constant() const { return std::holds_alternative<double>(v_); }
  [[nodiscard]] double constant() const { return std::get<double>(v_); }
  [[nodiscard]] bool is_array() const { return std::holds_alternative<std::vector<double>>(v_); }
  [[nodiscard]] const std::vector<double>& array() const {
    return std::get<std::vector<double>>(v_);
  }
  [[nodiscard]] bool is_cycle() const { return std::holds_alternative<Cycle>(v_); }
  [[nodiscard]] const Cycle& cycle() const { return std::get<Cycle>(v_); }
  /// Drawn from the random streams (Uniform, Normal, Lognormal), as opposed to given
  /// outright (a constant, an array or a cycle).
  [[nodiscard]] bool is_random() const { return !is_constant() && !is_array() && !is_cycle(); }

  /// Smallest and largest value this can produce (infinite for unbounded distributions).
  [[nodiscard]] std::pair<double, double> range() const;
  /// A short description for error messages, e.g. "uniform(1, 20)".
  [[nodiscard]] std::string describe() const;

 private:
  Variant v_;
};

}  // namespace spikeq
