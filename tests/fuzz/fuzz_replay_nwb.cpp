// Fuzz target: an NWB units table (HDF5 /units), replayed to its end.
#include "replay_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("replay_nwb");
  return spikeq::fuzz::replay_input(file, spikeq::io::ReplayFormat::nwb, data, size);
}
