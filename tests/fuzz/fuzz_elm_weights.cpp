// Fuzz target: a trained ELM neuron's weight file (HDF5 /config, /params, /routing).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "spikeq/io/elm_weights.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("elm_weights");
  const std::string& path = file.write(data, size);
  spikeq::fuzz::expect_success_or_error([&] { (void)spikeq::io::read_elm_weights(path); });
  spikeq::fuzz::check_hdf5_objects_closed();
  return 0;
}
