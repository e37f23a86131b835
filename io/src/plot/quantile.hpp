#pragma once
// Quantiles for the plot's bands (weights, state reports).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace spikeq::io::plot {

/// The q-quantile of `v`, interpolating linearly between order statistics (numpy's
/// default); reorders `v`. NaN for an empty `v`.
template <typename T>
double quantile(std::vector<T>& v, double q) {
  if (v.empty()) return std::nan("");
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto k = static_cast<std::size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  const double lo = v[k];
  if (k + 1 >= v.size()) return lo;
  // The next order statistic is the smallest of the values above position k.
  const double hi = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(k) + 1, v.end());
  return lo + (pos - static_cast<double>(k)) * (hi - lo);
}

}  // namespace spikeq::io::plot
