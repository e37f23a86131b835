#pragma once
// The `params:` of each neuron model: names, dimensions and defaults, read into the
// model's params struct.
#include <string>
#include <vector>

#include "reader.hpp"
#include "spikeq/neurons/all.hpp"

namespace spikeq::io::yaml {

/// Names accepted after `model:`.
std::vector<std::string> model_names();

/// Reads the parameters of a population of `model` with `size` neurons. `params` may be
/// absent (all defaults); `scope` carries the model parameters and the population's
/// variates for per-neuron expressions.
NeuronModel read_neuron_model(const Cursor& model_cursor, const std::string& model,
                              const std::optional<Cursor>& params, std::uint32_t size,
                              const Scope& scope);

/// Names of the receptors of a model and the dimension their weights have.
struct ReceptorDimension {
  std::string name;
  Dimension dimension;
};
std::vector<ReceptorDimension> receptors_of(const NeuronModel& model);

}  // namespace spikeq::io::yaml

namespace spikeq::io::yaml {

/// The recordable state variables of a model.
std::vector<std::string> recordables_of(const NeuronModel& model);
/// Unit of a recordable variable, for SONATA reports ("mV", "pA", "nS" or "").
std::string units_of(const NeuronModel& model, const std::string& variable);

}  // namespace spikeq::io::yaml
