// spikeq models: the neuron models this build knows, with their parameters (key, default,
// per neuron or not, meaning), recordables and receptors, all read from the registry.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "spikeq/io/model_catalog.hpp"

namespace spikeq::cli {

int models_command(const ModelsArgs& args) {
  const auto catalog = io::model_catalog();
  if (args.markdown) {
    std::fputs(io::model_catalog_markdown().c_str(), stdout);
    return kOk;
  }
  if (args.name.empty()) {
    for (const io::ModelInfo& m : catalog) std::printf("%s\n", m.name.c_str());
    return kOk;
  }
  for (const io::ModelInfo& m : catalog) {
    if (m.name == args.name) {
      std::fputs(io::model_summary_text(m).c_str(), stdout);
      return kOk;
    }
  }
  std::string names;
  for (const io::ModelInfo& m : catalog) names += (names.empty() ? "" : ", ") + m.name;
  std::fprintf(stderr, "error: unknown model '%s' (known: %s)\n", args.name.c_str(),
               names.c_str());
  return kInvalid;
}

}  // namespace spikeq::cli
