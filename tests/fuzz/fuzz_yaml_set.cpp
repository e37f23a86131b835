// Fuzz target: `--set KEY.PATH=VALUE` overrides, one per line of the input, applied to a
// fixed model that has every section (yaml_set_base.yaml) and then validated, as
// `spikeq validate base.yaml --set ... --set ...` does.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/model_file.hpp"

namespace {

const std::string& base_model() {
  static const std::string text = [] {
    std::ifstream in(SPIKEQ_FUZZ_DIR "/yaml_set_base.yaml");
    if (!in) std::abort();
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spikeq::io::ModelFileOptions options;
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(lines, line);) options.set.push_back(line);
  spikeq::fuzz::expect_success_or_error([&] {
    const spikeq::io::LoadedModel model =
        spikeq::io::load_model_text(base_model(), "yaml_set_base.yaml", options);
    (void)spikeq::validate(model.network, model.options);
  });
  return 0;
}
