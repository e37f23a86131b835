#pragma once
// `--set KEY.PATH=VALUE`: replacing any value of a model from the command line.
#include <string>

#include "tree.hpp"

namespace spikeq::io::yaml {

/// Applies one "KEY.PATH=VALUE" to the document. Path segments are map keys, list items
/// by `name` (populations.exc.params.tau_m) or by index (projections.2.weight or
/// projections[2].weight); the last key may be new. VALUE is YAML ("15 ms",
/// "{uniform: [1 ms, 5 ms]}"). ModelError (file "--set") if the path does not exist.
void apply_override(Node& doc, const std::string& assignment);

}  // namespace spikeq::io::yaml
