// Sorting a generated synapse list into the tiled CSR of csr.hpp. A counting sort puts
// every synapse into its (target tile, source) row; rows are then sorted by their packed
// entries, i.e. by (delay, target), in parallel over tiles. The result depends only on
// the synapse list, never on the thread count.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <limits>

#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/generate.hpp"

namespace spikeq::detail {
namespace {

bool all_same_weight(const std::vector<float>& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [&](float x) {
    return std::bit_cast<std::uint32_t>(x) == std::bit_cast<std::uint32_t>(w[0]);
  });
}

/// Sorts one row by entry; with weights, ties (multapses) by weight bits so the order
/// is a function of the synapses alone.
void sort_row(SynapseEntry* entries, float* weights, std::uint64_t n,
              std::vector<std::uint64_t>& scratch) {
  if (n < 2) return;
  if (weights == nullptr) {
    std::sort(entries, entries + n);
    return;
  }
  scratch.resize(n);
  for (std::uint64_t k = 0; k < n; ++k) {
    scratch[k] = (std::uint64_t{entries[k]} << 32) | std::bit_cast<std::uint32_t>(weights[k]);
  }
  std::sort(scratch.begin(), scratch.end());
  for (std::uint64_t k = 0; k < n; ++k) {
    entries[k] = static_cast<SynapseEntry>(scratch[k] >> 32);
    weights[k] = std::bit_cast<float>(static_cast<std::uint32_t>(scratch[k]));
  }
}

}  // namespace

ProjectionCsr build_csr(const SynapseCoo& list, std::uint32_t n_source, std::uint32_t n_target,
                        const std::string& name) {
  ProjectionCsr csr;
  csr.n_source = n_source;
  csr.n_target = n_target;
  csr.tiles = tiling_of(n_target);
  const Tiling& tiles = csr.tiles;
  const std::uint64_t n = list.size();
  const std::uint64_t rows = std::uint64_t{tiles.count} * n_source;

  // Row r = tile * n_source + source; start[r] is where row r begins.
  std::vector<std::uint64_t> start(rows + 1, 0);
  for (std::uint64_t k = 0; k < n; ++k) {
    ++start[std::uint64_t{tiles.tile_of(list.targets[k])} * n_source + list.sources[k] + 1];
  }
  for (std::uint64_t r = 0; r < rows; ++r) start[r + 1] += start[r];

  csr.tile_start.resize(tiles.count + 1);
  for (std::uint32_t t = 0; t <= tiles.count; ++t) {
    csr.tile_start[t] = start[std::uint64_t{t} * n_source];
  }
  for (std::uint32_t t = 0; t < tiles.count; ++t) {
    if (csr.tile_start[t + 1] - csr.tile_start[t] > std::numeric_limits<std::uint32_t>::max()) {
      throw CapacityError("projection '" + name + "': target neurons " +
                          std::to_string(tiles.begin(t)) + " to " +
                          std::to_string(tiles.end(t) - 1) +
                          " receive more than 2^32 - 1 synapses, the limit per tile of " +
                          std::to_string(tiles.tile) + " neurons");
    }
  }

  csr.homogeneous_weight = all_same_weight(list.weights);
  csr.weight0 = n > 0 ? list.weights[0] : 0.0f;
  csr.delay0 = n > 0 ? list.delays[0] : 1;
  csr.uniform_delay = std::all_of(list.delays.begin(), list.delays.end(),
                                  [&](DelaySteps d) { return d == csr.delay0; });

  csr.entries.resize(n);
  if (!csr.homogeneous_weight) csr.weights.resize(n);
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::uint64_t k = 0; k < n; ++k) {
      const std::uint32_t target = list.targets[k];
      const std::uint32_t tile = tiles.tile_of(target);
      const std::uint64_t at = fill[std::uint64_t{tile} * n_source + list.sources[k]]++;
      csr.entries[at] = pack_entry(list.delays[k], target - tiles.begin(tile));
      if (!csr.homogeneous_weight) csr.weights[at] = list.weights[k];
    }
  }

  csr.row_ptr.resize(std::uint64_t{tiles.count} * (n_source + 1));
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, tiles.count, 1),
                    [&](const tbb::blocked_range<std::uint32_t>& range) {
    std::vector<std::uint64_t> scratch;
    for (std::uint32_t t = range.begin(); t != range.end(); ++t) {
      const std::uint64_t tile0 = csr.tile_start[t];
      std::uint32_t* ptr = csr.row_ptr.data() + std::uint64_t{t} * (n_source + 1);
      for (std::uint32_t s = 0; s <= n_source; ++s) {
        ptr[s] = static_cast<std::uint32_t>(start[std::uint64_t{t} * n_source + s] - tile0);
      }
      for (std::uint32_t s = 0; s < n_source; ++s) {
        const std::uint64_t b = tile0 + ptr[s];
        sort_row(csr.entries.data() + b,
                 csr.homogeneous_weight ? nullptr : csr.weights.data() + b, ptr[s + 1] - ptr[s],
                 scratch);
      }
    }
  });
  return csr;
}

}  // namespace spikeq::detail
