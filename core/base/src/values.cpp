#include "spikeq/core/values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "spikeq/core/detail/overloaded.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/errors.hpp"

namespace spikeq {

namespace {
using detail::overloaded;
/// Smallest and largest entry; (0, 0) for none.
std::pair<double, double> min_max(const std::vector<double>& a) {
  if (a.empty()) return std::pair{0.0, 0.0};
  auto [lo, hi] = std::minmax_element(a.begin(), a.end());
  return std::pair{*lo, *hi};
}

}  // namespace

std::pair<double, double> Value::range() const {
  return std::visit(
      overloaded{
          [](double c) { return std::pair{c, c}; },
          [](const Uniform& u) { return std::pair{u.low, u.high}; },
          [](const Normal& n) {
            return n.sd == 0.0 ? std::pair{std::clamp(n.mean, n.min, n.max),
                                           std::clamp(n.mean, n.min, n.max)}
                               : std::pair{n.min, n.max};
          },
          [](const Lognormal&) { return std::pair{0.0, std::numeric_limits<double>::infinity()}; },
          [](const std::vector<double>& a) { return min_max(a); },
          [](const Cycle& c) { return min_max(c.values); }},
      v_);
}

std::string Value::describe() const {
  std::ostringstream s;
  std::visit(overloaded{[&](double c) { s << c; },
                        [&](const Uniform& u) { s << "uniform(" << u.low << ", " << u.high << ")"; },
                        [&](const Normal& n) {
                          s << "normal(mean " << n.mean << ", sd " << n.sd;
                          if (std::isfinite(n.min)) s << ", min " << n.min;
                          if (std::isfinite(n.max)) s << ", max " << n.max;
                          s << ")";
                        },
                        [&](const Lognormal& n) {
                          s << "lognormal(mu " << n.mu << ", sigma " << n.sigma << ")";
                        },
                        [&](const std::vector<double>& a) { s << "array of " << a.size(); },
                        [&](const Cycle& c) {
                          // "cycle(1, 2, 3, ..., 20; 20 values, each 5)"
                          constexpr std::size_t kShown = 3;
                          s << "cycle(";
                          for (std::size_t i = 0; i < c.values.size() && i < kShown; ++i) {
                            s << (i ? ", " : "") << c.values[i];
                          }
                          if (c.values.size() > kShown + 1) s << ", ...";
                          if (c.values.size() > kShown) s << ", " << c.values.back();
                          s << "; " << c.values.size() << (c.values.size() == 1 ? " value" : " values")
                            << ", each " << c.each << ")";
                        }},
             v_);
  return s.str();
}

namespace detail {

void check_value(const Value& v, const std::string& what) {
  std::visit(overloaded{[&](double c) {
                          if (!std::isfinite(c)) throw InvalidParameter(what + " must be finite");
                        },
                        [&](const Uniform& u) {
                          if (!std::isfinite(u.low) || !std::isfinite(u.high) || u.low > u.high) {
                            throw InvalidParameter(what + ": uniform bounds must be finite with low <= high (got " +
                                                   v.describe() + ")");
                          }
                        },
                        [&](const Normal& n) {
                          if (!std::isfinite(n.mean) || !(n.sd >= 0.0) || !std::isfinite(n.sd) ||
                              n.min > n.max) {
                            throw InvalidParameter(what + ": normal needs a finite mean, sd >= 0 and min <= max (got " +
                                                   v.describe() + ")");
                          }
                        },
                        [&](const Lognormal& n) {
                          if (!std::isfinite(n.mu) || !(n.sigma >= 0.0) || !std::isfinite(n.sigma)) {
                            throw InvalidParameter(what + ": lognormal needs a finite mu and sigma >= 0 (got " +
                                                   v.describe() + ")");
                          }
                        },
                        [&](const std::vector<double>& a) {
                          for (std::size_t i = 0; i < a.size(); ++i) {
                            if (!std::isfinite(a[i])) {
                              throw InvalidParameter(what + ": element " + std::to_string(i) +
                                                     " is not finite");
                            }
                          }
                        },
                        [&](const Cycle& c) {
                          if (c.values.empty()) {
                            throw InvalidParameter(what + ": a cycle needs at least one value");
                          }
                          if (c.each < 1) {
                            throw InvalidParameter(what + ": a cycle needs each >= 1 (got " +
                                                   std::to_string(c.each) + ")");
                          }
                          for (std::size_t i = 0; i < c.values.size(); ++i) {
                            if (!std::isfinite(c.values[i])) {
                              throw InvalidParameter(what + ": cycle value " + std::to_string(i) +
                                                     " is not finite");
                            }
                          }
                        }},
             v.variant());
}

double draw_value(const Value& v, DrawStream& draws) {
  return std::visit(overloaded{[](double c) { return c; },
                               [&](const Uniform& u) {
                                 return u.low + (u.high - u.low) * draws.uniform();
                               },
                               [&](const Normal& n) {
                                 return std::clamp(n.mean + n.sd * draws.normal(), n.min, n.max);
                               },
                               [&](const Lognormal& n) {
                                 return std::exp(n.mu + n.sigma * draws.normal());
                               },
                               [](const std::vector<double>&) -> double {
                                 throw Error("internal: draw_value called on an array");
                               },
                               [](const Cycle&) -> double {
                                 throw Error("internal: draw_value called on a cycle");
                               }},
                    v.variant());
}

std::vector<double> realize_per_element(const Value& v, std::uint64_t n, std::uint64_t seed,
                                        std::uint32_t stream, const std::string& what) {
  check_value(v, what);
  if (v.is_array()) {
    if (v.array().size() != n) {
      throw InvalidParameter(what + " has " + std::to_string(v.array().size()) +
                             " values for " + std::to_string(n) + " elements");
    }
    return v.array();
  }
  if (v.is_constant()) return std::vector<double>(n, v.constant());
  std::vector<double> out(n);
  if (v.is_cycle()) {
    for (std::uint64_t i = 0; i < n; ++i) out[i] = v.cycle().at(i);
    return out;
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    DrawStream draws(CounterRng(seed, stream, static_cast<std::uint32_t>(i)), 0);
    out[i] = draw_value(v, draws);
  }
  return out;
}

}  // namespace detail
}  // namespace spikeq
