// Fuzz target: a checkpoint file, restored as `spikeq resume` restores it (attributes,
// then every state array into the network of checkpoint_model.yaml, checked against the
// checksum), then run for a few steps.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "spikeq/io/model_file.hpp"

namespace {

const spikeq::io::LoadedModel& checkpointed_model() {
  static const spikeq::io::LoadedModel model =
      spikeq::io::load_model_file(SPIKEQ_FUZZ_DIR "/checkpoint_model.yaml");
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static spikeq::fuzz::InputFile file("checkpoint");
  const spikeq::io::LoadedModel& model = checkpointed_model();
  const std::string& path = file.write(data, size);
  spikeq::fuzz::expect_success_or_error([&] {
    spikeq::Simulation sim = spikeq::io::restore_checkpoint(path, model.network, model.options);
    sim.run(1.0);  // ms: a state that was accepted also steps
  });
  spikeq::fuzz::check_hdf5_objects_closed();
  return 0;
}
