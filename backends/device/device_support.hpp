#pragma once
// The device backends' limits and how they cut time, decided on the host before any
// device memory is allocated (device_support.cpp). Shared by the CUDA backend and its
// emulation, so both accept the same networks and say the same words about the others.
#include <string>

#include "spikeq/backends/host_state.hpp"

namespace spikeq::detail::device {

/// Throws CapacityError for a limit of the device layout that `net`, run in slices of
/// `slice` steps, passes, naming the population and the backend. (Every feature of a
/// network runs on the device.)
void check_device_support(const BuiltNetwork& net, const std::string& backend, Step slice);

/// Steps per device slice: min_delay, or fewer where a slice's spike buffers (12 B per
/// neuron and step) would pass kSpikeBufferBytes. Shorter slices change no result (every
/// spike is still delivered before it is due) except where modulators read slices.
Step slice_steps(const BuiltNetwork& net);
inline constexpr std::uint64_t kSpikeBufferBytes = std::uint64_t{256} << 20;

/// How spikes are delivered: one thread per spike (row), one warp per (spike, tile) piece
/// (piece), or per projection by the mean piece length (automatic, the default).
enum class DeliveryMode { automatic, row, piece };
/// The mode the environment asks for: SPIKEQ_DEVICE_DELIVERY=auto|row|piece (for the
/// benchmarks that compare them); InvalidParameter for another value.
DeliveryMode delivery_mode();

}  // namespace spikeq::detail::device
