#pragma once
// An open SHD file: the sample arrays and labels, read one sample at a time. Shared by
// the SHD reader and shd_schedule.
#include <cstdint>
#include <string>
#include <vector>

#include "../hdf5/handle.hpp"
#include "spikeq/io/replay.hpp"

namespace spikeq::io::replay {

struct ShdFile {
  struct Sample {
    std::vector<double> t;  // ms from the sample's start, non-decreasing
    std::vector<std::uint64_t> unit;
  };

  explicit ShdFile(const ReplayOptions& o);  // checks the layout and the chosen samples
  [[nodiscard]] Sample read(std::uint64_t sample) const;
  [[nodiscard]] std::vector<std::int64_t> labels() const;  // one per sample of the file
  /// The time a sample occupies before the gap: sample_length, or its last spike.
  static double length(const Sample& s, const ReplayOptions& o);

  std::string path;
  hdf5::File file;
  hdf5::Dataset times, units;
  std::uint64_t samples = 0;
  std::vector<std::uint64_t> order;  // the samples replayed, in order
};

}  // namespace spikeq::io::replay
