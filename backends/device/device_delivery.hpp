#pragma once
// Static delivery on the device: the spikes of one slice of a projection's source into its
// target's rings, by one of the two variants of kernels.hpp (docs/backends.md, "One
// slice"): one thread per spike walking its row (row), or one warp per (spike, target tile)
// piece (piece). Both add the same integers, so they give the same rings.
#include <cstdint>

#include "device_layout.hpp"
#include "device_support.hpp"
#include "spikeq/backends/device/kernels.hpp"

namespace spikeq::detail::device {

/// Fewest synapses per piece, on average, for which a warp per piece pays: half its lanes
/// busy or more.
inline constexpr std::uint64_t kPieceDeliveryMinSynapses = 16;

/// The variant a projection uses by default: piece where pieces are long enough to keep a
/// warp's lanes busy, row where they are short.
inline bool prefers_piece_delivery(const ProjectionCsr& csr) {
  const std::uint64_t pieces = std::uint64_t{csr.n_source} * csr.tiles.count;
  return pieces > 0 && csr.size() >= pieces * kPieceDeliveryMinSynapses;
}

/// Launches the delivery of the n spikes (steps, ids: device arrays) through `csr`, whose
/// device copy is `d`, into `ring` (the target receptor's rows, `stride` input slots apart).
template <typename Runtime>
void deliver_spikes(Runtime& rt, const ProjectionCsr& csr, const DeviceProjection<Runtime>& d,
                    const Step* steps, const std::uint32_t* ids, std::uint32_t n,
                    std::uint32_t slots, Accum* ring, std::uint64_t stride, DeliveryMode mode) {
  const DeliveryArgs a{
      TileSynapses{d.row_ptr.data(), d.piece_end.data(), 0, csr.tiles.count, d.entries.data(),
                   csr.homogeneous_weight ? nullptr : d.weights.data(), to_fixed(csr.weight0),
                   csr.delay0, csr.uniform_delay},
      csr.tiles,
      steps, ids, n, slots, ring, stride};
  const bool piece =
      mode == DeliveryMode::piece || (mode == DeliveryMode::automatic && d.piece_delivery);
  with_delivery_variant(csr, [&](auto homogeneous, auto uniform) {
    constexpr bool H = decltype(homogeneous)::value;
    constexpr bool U = decltype(uniform)::value;
    if (piece) {
      rt.launch("deliver_piece", grid_for(std::uint64_t{n} * csr.tiles.count * kWarp),
                DeliverPieceKernel<H, U>{a});
    } else {
      rt.launch("deliver_row", grid_for(n), DeliverRowKernel<H, U>{a});
    }
  });
}

}  // namespace spikeq::detail::device
