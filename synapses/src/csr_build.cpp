// Sorting a generated synapse list into the CSR of csr.hpp. A counting sort puts every
// synapse into its source's row; rows are then sorted by (target tile, delay, target),
// in parallel. The result depends only on the synapse list, never on the thread count.
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

/// Sort key of a synapse in its row: tile, then the packed entry (delay, offset), then
/// the weight's bits, so that even the order of multapses is a function of the synapses.
struct RowKey {
  std::uint64_t tile_entry;
  std::uint32_t weight_bits;
  friend bool operator<(const RowKey& a, const RowKey& b) {
    return a.tile_entry != b.tile_entry ? a.tile_entry < b.tile_entry
                                        : a.weight_bits < b.weight_bits;
  }
};

/// Sorts row s and records where each tile's piece ends.
void sort_row(ProjectionCsr& csr, const std::vector<std::uint32_t>& tile_of_synapse,
              std::uint32_t s, std::vector<RowKey>& scratch) {
  const std::uint64_t b = csr.row_ptr[s];
  const std::uint64_t n = csr.row_ptr[s + 1] - b;
  const bool weighted = !csr.homogeneous_weight;
  scratch.resize(n);
  for (std::uint64_t k = 0; k < n; ++k) {
    scratch[k] = {(std::uint64_t{tile_of_synapse[b + k]} << 32) | csr.entries[b + k],
                  weighted ? std::bit_cast<std::uint32_t>(csr.weights[b + k]) : 0u};
  }
  std::sort(scratch.begin(), scratch.end());
  std::uint32_t* ends = csr.piece_end.data() + std::uint64_t{s} * csr.tiles.count;
  std::uint32_t tile = 0;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto t = static_cast<std::uint32_t>(scratch[k].tile_entry >> 32);
    while (tile < t) ends[tile++] = static_cast<std::uint32_t>(k);
    csr.entries[b + k] = static_cast<SynapseEntry>(scratch[k].tile_entry);
    if (weighted) csr.weights[b + k] = std::bit_cast<float>(scratch[k].weight_bits);
  }
  while (tile < csr.tiles.count) ends[tile++] = static_cast<std::uint32_t>(n);
}

}  // namespace

ProjectionCsr build_csr(const SynapseCoo& list, std::uint32_t n_source,
                        const Tiling& target_tiles, const std::string& name) {
  ProjectionCsr csr;
  csr.n_source = n_source;
  csr.tiles = target_tiles;
  const Tiling& tiles = csr.tiles;
  const std::uint64_t n = list.size();

  csr.row_ptr.assign(static_cast<std::size_t>(n_source) + 1, 0);
  for (std::uint32_t s : list.sources) ++csr.row_ptr[s + 1];
  for (std::uint32_t s = 0; s < n_source; ++s) {
    if (csr.row_ptr[s + 1] > std::numeric_limits<std::uint32_t>::max()) {
      throw CapacityError("projection '" + name + "': source neuron " + std::to_string(s) +
                          " has more than 2^32 - 1 synapses, the row length limit");
    }
    csr.row_ptr[s + 1] += csr.row_ptr[s];
  }

  csr.homogeneous_weight = all_same_weight(list.weights);
  csr.weight0 = n > 0 ? list.weights[0] : 0.0f;
  csr.delay0 = n > 0 ? list.delays[0] : 1;
  csr.uniform_delay = std::all_of(list.delays.begin(), list.delays.end(),
                                  [&](DelaySteps d) { return d == csr.delay0; });

  // Counting sort by source; the tile of each synapse rides along for the row sort.
  csr.entries.resize(n);
  if (!csr.homogeneous_weight) csr.weights.resize(n);
  std::vector<std::uint32_t> tile_of_synapse(n);
  {
    std::vector<std::uint64_t> fill(csr.row_ptr.begin(), csr.row_ptr.end() - 1);
    for (std::uint64_t k = 0; k < n; ++k) {
      const std::uint32_t target = list.targets[k];
      const std::uint32_t tile = tiles.tile_of(target);
      const std::uint64_t at = fill[list.sources[k]]++;
      csr.entries[at] = pack_entry(list.delays[k], target - tiles.begin(tile));
      tile_of_synapse[at] = tile;
      if (!csr.homogeneous_weight) csr.weights[at] = list.weights[k];
    }
  }

  csr.piece_end.resize(std::uint64_t{n_source} * tiles.count);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n_source, 256),
                    [&](const tbb::blocked_range<std::uint32_t>& range) {
                      std::vector<RowKey> scratch;
                      for (std::uint32_t s = range.begin(); s != range.end(); ++s) {
                        sort_row(csr, tile_of_synapse, s, scratch);
                      }
                    });
  return csr;
}

}  // namespace spikeq::detail
