// Fuzz target: a Spiking Heidelberg Digits file (HDF5, one variable-length spike list per
// sample), replayed to its end, and the schedule of its samples.
#include "replay_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("replay_shd");
  return spikeq::fuzz::replay_input(file, spikeq::io::ReplayFormat::shd, data, size);
}
