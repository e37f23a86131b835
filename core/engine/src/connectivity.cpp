// Connectivity statistics of a built network: in- and out-degrees per neuron (counted
// with Boost.Graph), their summaries and histograms, and the matrix bandwidth that
// Cuthill-McKee relabelling reduces.
#include "connectivity.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "spikeq/synapses/detail/graph.hpp"

namespace spikeq {

std::vector<std::uint64_t> ConnectivityStats::in_histogram() const {
  std::vector<std::uint64_t> h(max_in + 1, 0);
  for (auto d : in_degree) ++h[d];
  return h;
}

std::vector<std::uint64_t> ConnectivityStats::out_histogram() const {
  std::vector<std::uint64_t> h(max_out + 1, 0);
  for (auto d : out_degree) ++h[d];
  return h;
}

namespace detail {
namespace {

/// Mean, standard deviation, minimum and maximum of the degrees `d` (left as they are
/// when `d` is empty).
void summarise(const std::vector<std::uint64_t>& d, double& mean, double& sd, std::uint64_t& lo,
               std::uint64_t& hi) {
  if (d.empty()) return;
  double sum = 0, sum2 = 0;
  for (auto x : d) {
    sum += static_cast<double>(x);
    sum2 += static_cast<double>(x) * static_cast<double>(x);
  }
  mean = sum / static_cast<double>(d.size());
  sd = std::sqrt(std::max(0.0, sum2 / static_cast<double>(d.size()) - mean * mean));
  auto [a, b] = std::minmax_element(d.begin(), d.end());
  lo = *a;
  hi = *b;
}

}  // namespace

ConnectivityStats connectivity_of(const BuiltNetwork& net, std::uint32_t projection) {
  const auto& proj = net.projections[projection];
  std::vector<std::uint64_t> in_internal;
  std::vector<std::uint64_t> out_internal;
  degrees(proj.csr, in_internal, out_internal);
  ConnectivityStats s;
  const auto& src = net.populations[proj.source];
  const auto& tgt = net.populations[proj.target];
  s.in_degree.resize(in_internal.size());
  s.out_degree.resize(out_internal.size());
  for (std::uint32_t u = 0; u < tgt.size; ++u) s.in_degree[u] = in_internal[tgt.internal_id(u)];
  for (std::uint32_t u = 0; u < src.size; ++u) s.out_degree[u] = out_internal[src.internal_id(u)];
  summarise(s.in_degree, s.mean_in, s.sd_in, s.min_in, s.max_in);
  summarise(s.out_degree, s.mean_out, s.sd_out, s.min_out, s.max_out);
  return s;
}

std::uint64_t bandwidth_of(const BuiltNetwork& net, std::uint32_t population) {
  std::uint64_t bw = 0;
  for (const auto& proj : net.projections) {
    if (proj.source != population || proj.target != population) continue;
    for_each_synapse(proj.csr,
                     [&](std::uint32_t s, std::uint32_t t, DelaySteps, std::uint64_t) {
                       bw = std::max<std::uint64_t>(bw, s > t ? s - t : t - s);
                     });
  }
  return bw;
}

}  // namespace detail
}  // namespace spikeq
