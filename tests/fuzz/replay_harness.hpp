#pragma once
// The replay harnesses (fuzz_replay_*.cpp): the input as a recorded-spike file of one
// format, opened as a spike_replay population opens it and read to its end, in windows of
// growing length as a run reads it, so every chunk of the stream is parsed and checked.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "fuzz_support.hpp"
#include "spikeq/core/replay.hpp"
#include "spikeq/io/replay.hpp"

namespace spikeq::fuzz {

inline void replay_to_the_end(const io::ReplayOptions& options) {
  constexpr double kDt = 0.1;                  // ms
  constexpr std::uint32_t kNeurons = 1u << 16;  // every SHD unit (uint16) fits
  const auto source = io::open_replay(options);
  const auto cursor = source->open(kDt, kNeurons);
  std::vector<ReplayEvent> events;
  // Windows double from 1024 steps to the end of time: stamps far apart and stamps
  // beyond any window both come through.
  for (Step end = 1024; end < std::numeric_limits<Step>::max() / 2; end *= 2) {
    cursor->read(end, events);
    events.clear();
  }
  cursor->read(std::numeric_limits<Step>::max(), events);
}

/// The body of each replay harness: `data` as a file of `format`.
inline int replay_input(InputFile& file, io::ReplayFormat format, const std::uint8_t* data,
                        std::size_t size) {
  const io::ReplayOptions options{.path = file.write(data, size), .format = format};
  expect_success_or_error([&] {
    replay_to_the_end(options);
    if (format == io::ReplayFormat::shd) (void)io::shd_schedule(options);
  });
  check_hdf5_objects_closed();
  return 0;
}

}  // namespace spikeq::fuzz
