// Fuzz target: the text of a model file, read as `spikeq validate MODEL.yaml` reads it
// (parsed, loaded into a Network, then every check a run makes, nothing large built).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  spikeq::fuzz::expect_success_or_error([&] {
    const spikeq::io::LoadedModel model = spikeq::io::load_model_text(text, "fuzz.yaml");
    (void)spikeq::validate(model.network, model.options);
  });
  return 0;
}
