#pragma once
// Small arithmetic expressions for values that are computed rather than given:
//   c: "-65 + 15 * r^2"        (r: a per-neuron random variate)
//   weight: "-g * J"           (g, J: model parameters)
// Numbers, names, + - * / ^ (right-associative), unary minus, parentheses and the
// functions exp, log, sqrt, abs, sin, cos, floor, ceil, round, min, max, pow. An integer
// constant exponent is computed by repeated multiplication (r^2 is exactly r * r).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spikeq::io::yaml {

/// A parse error at a 1-based column of the expression text.
/// Limits of an expression's text and of its nesting (parentheses, signs and powers):
/// beyond them it is an error, never a deep recursion.
inline constexpr std::size_t kMaxExpressionLength = 65536;
inline constexpr std::size_t kMaxExpressionDepth = 200;

struct ExpressionError {
  std::size_t column;
  std::string message;
};

class Expression {
 public:
  /// Compiles `text`; every name must be one of `names` (the value of names[k] is read
  /// from slot k when evaluating). Throws ExpressionError.
  static Expression compile(std::string_view text, const std::vector<std::string>& names);

  [[nodiscard]] double evaluate(const double* slots) const;
  /// Whether slot k is read at all.
  [[nodiscard]] bool uses(std::size_t slot) const;
  /// The slot if the whole expression is one name ("J"), for dimension checks.
  [[nodiscard]] std::optional<std::size_t> single_name() const;

  struct Op {
    enum class Code { constant, slot, neg, add, sub, mul, div, pow, ipow, fn1, fn2 } code;
    double value = 0.0;      // constant
    std::size_t index = 0;   // slot, function id or integer exponent (as int via value)
  };

 private:
  std::vector<Op> code_;  // reverse Polish
};

}  // namespace spikeq::io::yaml
