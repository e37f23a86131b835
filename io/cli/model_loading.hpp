#pragma once
// Loading a model for a subcommand, with errors reported the same way everywhere.
#include <optional>
#include <string>

#include "commands.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::cli {

/// Prints "spikeq: error: <message>" to stderr.
void report_error(const std::string& message);

/// Loads and validates the model (every check a run makes, nothing large built); on a
/// mistake prints it with file, line and key path, and returns nullopt. `exit_code` (when
/// given) is then kInvalid, or kRuntimeFailure for a capacity limit such as memory.
std::optional<io::LoadedModel> load_checked(const ModelArgs& args,
                                            std::optional<ValidationReport>* report = nullptr,
                                            int* exit_code = nullptr);

}  // namespace spikeq::cli
