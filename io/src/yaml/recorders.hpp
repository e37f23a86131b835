#pragma once
// The state recorders of a model as stored in an output file, for readers of that output
// (the plot finds a run's report files through them). read_recorders (load_state.hpp)
// reads the same `recorders.state` entries when a model is loaded.
#include <optional>
#include <string>
#include <vector>

namespace spikeq::io::yaml {

/// One `recorders.state` entry: what names its report file.
struct StoredStateRecorder {
  std::string population;
  std::string variable;
  std::string file;  ///< as given ("" = derived from the spike file's name)
};

/// The state recorders of a stored model's YAML text (RunMetadata::model_yaml), in file
/// order; nullopt if the text is not a model (empty, not YAML, or not a mapping). Lenient:
/// entries without a population or variable are skipped, and reading stops at the first
/// entry that does not follow spikeq's layout.
std::optional<std::vector<StoredStateRecorder>> stored_state_recorders(
    const std::string& model_yaml);

}  // namespace spikeq::io::yaml
