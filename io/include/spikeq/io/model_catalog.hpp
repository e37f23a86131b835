#pragma once
// What every neuron model accepts and records, read from the model registry and each
// model's parameter table (neurons/registry.hpp, neurons/parameters.hpp): for
// `spikeq models`, the docs' parameter tables and error suggestions.
#include <string>
#include <vector>

namespace spikeq::io {

struct ParameterInfo {
  std::string key;
  std::string type;           ///< "voltage", "time", "plain", "`published` or `euler`", ...
  std::string default_value;  ///< "-70 mV", "published", "b * v_init", "required"
  bool per_neuron = false;    ///< accepts the per-neuron forms (distributions, arrays, ...)
  std::string description;
};

struct RecordableInfo {
  std::string name;
  std::string unit;  ///< "" for a plain number
};

struct ModelInfo {
  std::string name;
  std::vector<ParameterInfo> parameters;
  std::vector<RecordableInfo> recordables;
  std::vector<std::string> receptors;  ///< "ex (pA)", ...
};

/// Every model of the registry, in registry order.
[[nodiscard]] std::vector<ModelInfo> model_catalog();

/// The parameter tables as Markdown, one per model: the block docs/yaml-reference.md
/// embeds (a test keeps the two equal).
[[nodiscard]] std::string model_catalog_markdown();

/// One model's parameters as plain text for the terminal (`spikeq models NAME`).
[[nodiscard]] std::string model_summary_text(const ModelInfo& model);

}  // namespace spikeq::io
