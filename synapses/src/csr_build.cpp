#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/generate.hpp"

namespace spikeq::detail {

ProjectionCsr build_csr(const SynapseCoo& list, std::uint32_t n_source, std::uint32_t n_target,
                        const std::string& name) {
  ProjectionCsr csr;
  csr.n_source = n_source;
  csr.n_target = n_target;
  const std::uint64_t n = list.size();

  // Counting sort by source keeps generation order inside each row.
  csr.row_ptr.assign(static_cast<std::size_t>(n_source) + 1, 0);
  for (std::uint32_t s : list.sources) ++csr.row_ptr[s + 1];
  for (std::uint32_t s = 0; s < n_source; ++s) {
    if (csr.row_ptr[s + 1] > std::numeric_limits<std::uint32_t>::max()) {
      throw CapacityError("projection '" + name + "': source neuron " + std::to_string(s) +
                          " has more than 2^32 - 1 synapses, the row length limit");
    }
    csr.row_ptr[s + 1] += csr.row_ptr[s];
  }
  std::vector<std::uint64_t> order(n);
  {
    std::vector<std::uint64_t> fill(csr.row_ptr.begin(), csr.row_ptr.end() - 1);
    for (std::uint64_t k = 0; k < n; ++k) order[fill[list.sources[k]]++] = k;
  }
  // Inside a row: by (delay, target), ties by generation order (already in place).
  for (std::uint32_t s = 0; s < n_source; ++s) {
    auto b = order.begin() + static_cast<std::ptrdiff_t>(csr.row_ptr[s]);
    auto e = order.begin() + static_cast<std::ptrdiff_t>(csr.row_ptr[s + 1]);
    std::stable_sort(b, e, [&](std::uint64_t x, std::uint64_t y) {
      if (list.delays[x] != list.delays[y]) return list.delays[x] < list.delays[y];
      return list.targets[x] < list.targets[y];
    });
  }

  csr.targets.resize(n);
  for (std::uint64_t k = 0; k < n; ++k) csr.targets[k] = list.targets[order[k]];

  const bool same_weight =
      n > 0 && std::all_of(list.weights.begin(), list.weights.end(), [&](float w) {
        return std::bit_cast<std::uint32_t>(w) == std::bit_cast<std::uint32_t>(list.weights[0]);
      });
  csr.homogeneous_weight = same_weight;
  if (same_weight) {
    csr.weight0 = list.weights[0];
  } else {
    csr.weights.resize(n);
    for (std::uint64_t k = 0; k < n; ++k) csr.weights[k] = list.weights[order[k]];
  }

  const bool same_delay =
      std::all_of(list.delays.begin(), list.delays.end(),
                  [&](DelaySteps d) { return d == list.delays[0]; });
  csr.uniform_delay = same_delay;
  csr.delay0 = n > 0 ? list.delays[0] : 1;
  if (!same_delay) {
    csr.group_ptr.assign(static_cast<std::size_t>(n_source) + 1, 0);
    for (std::uint32_t s = 0; s < n_source; ++s) {
      const std::uint64_t b = csr.row_ptr[s];
      const std::uint64_t e = csr.row_ptr[s + 1];
      for (std::uint64_t k = b; k < e; ++k) {
        const DelaySteps d = list.delays[order[k]];
        const bool last = k + 1 == e || list.delays[order[k + 1]] != d;
        if (last) {
          csr.group_delay.push_back(d);
          csr.group_end.push_back(static_cast<std::uint32_t>(k + 1 - b));
        }
      }
      csr.group_ptr[s + 1] = csr.group_delay.size();
    }
  }
  return csr;
}

}  // namespace spikeq::detail
