// Fuzz target: a SONATA spike file (HDF5 /spikes/<population>), replayed to its end.
#include "replay_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("replay_sonata");
  return spikeq::fuzz::replay_input(file, spikeq::io::ReplayFormat::sonata, data, size);
}
