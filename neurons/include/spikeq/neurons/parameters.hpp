#pragma once
// The one table of a model's parameters. Each model header declares
//   static constexpr std::array parameters{...};
// of Param<params> entries (key, member, dimension, check, description). The YAML
// reader, `spikeq info`, the docs' parameter tables, error suggestions and the checks of
// derive() all read it, so a parameter is declared once. Defaults are those of the
// params struct's member initialisers (`params{}`), never written twice.
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "spikeq/core/dimension.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/checks.hpp"

namespace spikeq::neurons {

/// What derive() requires of a scalar parameter.
enum class Check { none, finite, positive, non_negative };

enum class ParamKind {
  scalar,               ///< one number for the population (double)
  per_neuron,           ///< a Value: constant, distribution, array, expression
  optional_per_neuron,  ///< a Value with a computed default (e.g. u_init = b v_init)
  choice,               ///< one of a list of names (an enum)
  custom,               ///< read by the model's own reader (file names, spike lists, ...)
};

template <typename P>
struct Param {
  std::string_view key;
  ParamKind kind = ParamKind::custom;
  Dimension dimension = Dimension::none;
  Check check = Check::none;
  std::string_view description;
  double P::*scalar = nullptr;
  Value P::*value = nullptr;
  std::optional<Value> P::*optional = nullptr;
  std::span<const std::string_view> choices{};
  int (*get_choice)(const P&) = nullptr;
  void (*set_choice)(P&, int) = nullptr;
  std::string_view default_text{};  ///< for optional and custom parameters
  std::string_view type_text{};     ///< for custom parameters: "file name", ...
  // A custom parameter may name its member (scalar) so that its default is the struct's.

  [[nodiscard]] constexpr bool varies_per_neuron() const {
    return kind == ParamKind::per_neuron || kind == ParamKind::optional_per_neuron;
  }
};

template <typename P>
constexpr Param<P> scalar(std::string_view key, double P::*member, Dimension d, Check check,
                          std::string_view description) {
  Param<P> p{.key = key, .kind = ParamKind::scalar, .dimension = d, .check = check};
  p.description = description;
  p.scalar = member;
  return p;
}

template <typename P>
constexpr Param<P> per_neuron(std::string_view key, Value P::*member, Dimension d,
                              std::string_view description) {
  Param<P> p{.key = key, .kind = ParamKind::per_neuron, .dimension = d};
  p.description = description;
  p.value = member;
  return p;
}

template <typename P>
constexpr Param<P> optional_per_neuron(std::string_view key, std::optional<Value> P::*member,
                                       Dimension d, std::string_view default_text,
                                       std::string_view description) {
  Param<P> p{.key = key, .kind = ParamKind::optional_per_neuron, .dimension = d};
  p.description = description;
  p.optional = member;
  p.default_text = default_text;
  return p;
}

/// A key the model's reader handles itself; `names` lists the words it accepts, if any.
template <typename P>
constexpr Param<P> custom(std::string_view key, std::string_view type_text,
                          std::string_view default_text, std::string_view description,
                          std::span<const std::string_view> names = {}) {
  Param<P> p{.key = key, .kind = ParamKind::custom};
  p.description = description;
  p.default_text = default_text;
  p.type_text = type_text;
  p.choices = names;
  return p;
}

/// A custom key backed by a double member (read by the model's reader, e.g. a probability).
template <typename P>
constexpr Param<P> custom_scalar(std::string_view key, double P::*member,
                                 std::string_view type_text, std::string_view description) {
  Param<P> p = custom<P>(key, type_text, "", description);
  p.scalar = member;
  return p;
}

namespace param_detail {
template <typename M>
struct member_traits;
template <typename C, typename T>
struct member_traits<T C::*> {
  using owner = C;
  using type = T;
};
}  // namespace param_detail

/// An enum member chosen by name; `names[k]` is the enumerator of value k.
template <auto Member>
constexpr auto choice(std::string_view key, std::span<const std::string_view> names,
                      std::string_view description) {
  using P = typename param_detail::member_traits<decltype(Member)>::owner;
  using E = typename param_detail::member_traits<decltype(Member)>::type;
  Param<P> p{.key = key, .kind = ParamKind::choice};
  p.description = description;
  p.choices = names;
  p.get_choice = [](const P& x) { return static_cast<int>(x.*Member); };
  p.set_choice = [](P& x, int k) { x.*Member = static_cast<E>(k); };
  return p;
}

/// Joins parameter tables (shared blocks and a model's own entries).
template <typename T, std::size_t A, std::size_t B>
constexpr std::array<T, A + B> join(const std::array<T, A>& a, const std::array<T, B>& b) {
  std::array<T, A + B> out{};
  for (std::size_t k = 0; k < A; ++k) out[k] = a[k];
  for (std::size_t k = 0; k < B; ++k) out[A + k] = b[k];
  return out;
}

/// Applies the table's checks to the scalar parameters, in table order; each failure
/// names the population, the parameter and its unit.
template <typename P, std::size_t N>
void check_parameters(const std::array<Param<P>, N>& table, const P& p,
                      const std::string& population) {
  for (const Param<P>& q : table) {
    if (q.kind != ParamKind::scalar) continue;
    const double v = p.*q.scalar;
    const std::string_view unit = dimension_unit(q.dimension);
    switch (q.check) {
      case Check::none: break;
      case Check::finite: checks::finite(population, q.key, v, unit); break;
      case Check::positive: checks::positive(population, q.key, v, unit); break;
      case Check::non_negative: checks::non_negative(population, q.key, v, unit); break;
    }
  }
}

}  // namespace spikeq::neurons
