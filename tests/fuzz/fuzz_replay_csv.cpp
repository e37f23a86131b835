// Fuzz target: a CSV spike list ("time,unit" lines), replayed to its end.
#include "replay_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("replay_csv");
  return spikeq::fuzz::replay_input(file, spikeq::io::ReplayFormat::csv, data, size);
}
