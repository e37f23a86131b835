#pragma once
// A value that may differ per neuron or per synapse: a constant, a distribution
// drawn from the counter-based RNG, or an explicit array (one entry per element).
#include <concepts>
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

class Value {
 public:
  using Variant = std::variant<double, Uniform, Normal, Lognormal, std::vector<double>>;

  Value() : v_(0.0) {}
  template <typename T>
    requires std::is_arithmetic_v<T>
  Value(T v) : v_(static_cast<double>(v)) {}  // NOLINT: implicit by design, `p.V_th = -50;`
  Value(Uniform u) : v_(u) {}                 // NOLINT
  Value(Normal n) : v_(n) {}                  // NOLINT
  Value(Lognormal n) : v_(n) {}               // NOLINT
  Value(std::vector<double> a) : v_(std::move(a)) {}  // NOLINT

  [[nodiscard]] const Variant& variant() const { return v_; }
  [[nodiscard]] bool is_constant() const { return std::holds_alternative<double>(v_); }
  [[nodiscard]] double constant() const { return std::get<double>(v_); }
  [[nodiscard]] bool is_array() const { return std::holds_alternative<std::vector<double>>(v_); }
  [[nodiscard]] const std::vector<double>& array() const {
    return std::get<std::vector<double>>(v_);
  }

  /// Smallest and largest value this can produce (infinite for unbounded distributions).
  [[nodiscard]] std::pair<double, double> range() const;
  /// A short description for error messages, e.g. "uniform(1, 20)".
  [[nodiscard]] std::string describe() const;

 private:
  Variant v_;
};

}  // namespace spikeq
