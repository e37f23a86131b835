// recorders: spikes (all, or a list of populations), state variables and weights; and the
// state recorders of a model stored in an output file.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load_state.hpp"
#include "model_params.hpp"
#include "recorders.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {

namespace {

void read_weight_recorders(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of weight recorders");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader m(item, {"projection", "interval"}, "a weight recorder");
    const Cursor proj_c = m.require("projection");
    const ProjectionId id = s.projection(proj_c);
    const std::string name = s.model.network.spec(id).name;
    for (const WeightRecorderSpec& other : s.model.network.weight_recorders()) {
      if (other.projection == id) {
        proj_c.fail("the weights of projection '" + name +
                    "' are recorded twice; record each projection once");
      }
    }
    const Cursor interval_c = m.require("interval");
    const double interval = read_quantity(interval_c, Dimension::time, s.parameters);
    if (!(interval > 0.0)) {
      interval_c.fail("interval must be > 0 ms (got " + spikeq::detail::format_number(interval) +
                      ")");
    }
    (void)s.model.network.record_weights(id, interval);
    s.locate("weight recorder of projection '" + name + "'", item);
  }
}

/// Sets `out` to the text of `key` in `item` (unchanged if the key is missing); false if
/// the value is not a scalar.
bool stored_scalar(const Node& item, std::string_view key, std::string& out) {
  const Node* value = item.find(key);
  if (value == nullptr) return true;
  if (!value->is_scalar()) return false;
  out = value->scalar;
  return true;
}


}  // namespace

void read_recorders(const Cursor& c, LoadState& s) {
  const MapReader r(c, {"spikes", "state", "weights"}, "recorders");
  if (auto sp = r.get("spikes")) {
    if (sp->node().is_scalar() && sp->node().scalar == "all") {
      for (const auto& [name, id] : s.populations) s.model.network.record_spikes(id);
    } else if (sp->node().is_sequence()) {
      for (std::size_t k = 0; k < sp->node().items.size(); ++k) {
        s.model.network.record_spikes(s.population(sp->item(k)));
      }
    } else if (sp->node().is_scalar()) {
      s.model.network.record_spikes(s.population(*sp));
    } else {
      sp->fail("expected 'all', a population name or a list of population names");
    }
  }
  if (auto st = r.get("state")) {
    if (!st->node().is_sequence()) st->fail("expected a list of state recorders");
    for (std::size_t k = 0; k < st->node().items.size(); ++k) {
      const Cursor item = st->item(k);
      const MapReader m(item, {"population", "variable", "neurons", "interval", "file"},
                        "a state recorder");
      const Cursor pop_c = m.require("population");
      const PopulationId pop = s.population(pop_c);
      const auto& spec = s.model.network.spec(pop);
      const Cursor var_c = m.require("variable");
      const std::string variable = read_string(var_c);
      const std::vector<std::string> known = recordables_of(spec.model);
      if (std::find(known.begin(), known.end(), variable) == known.end()) {
        var_c.fail("population '" + spec.name + "' has no state variable '" + variable + "'" +
                   did_you_mean(variable, known) +
                   (known.empty() ? std::string(" (its model records none)")
                                  : " (variables: " + quoted_list(known) + ")"));
      }
      StateReport report;
      report.population = spec.name;
      report.variable = variable;
      report.units = units_of(spec.model, variable);
      if (auto n = m.get("neurons")) {
        report.neurons = read_id_list(*n);
        for (std::size_t j = 0; j < report.neurons.size(); ++j) {
          if (report.neurons[j] >= spec.size) {
            n->item(j).fail("neuron " + std::to_string(report.neurons[j]) +
                            " is out of range for population '" + spec.name + "' of " +
                            std::to_string(spec.size));
          }
        }
      }
      report.interval = read_quantity(m.require("interval"), Dimension::time, s.parameters);
      if (auto f = m.get("file")) report.file = read_string(*f);
      for (const StateReport& other : s.model.reports) {
        if (other.population == report.population && other.variable == report.variable) {
          item.fail("'" + variable + "' of population '" + spec.name +
                    "' is recorded twice; record each variable of a population once");
        }
      }
      report.recorder = s.model.network.record_state(pop, variable, report.neurons, report.interval);
      if (report.neurons.empty()) {
        for (std::uint32_t i = 0; i < spec.size; ++i) report.neurons.push_back(i);
      }
      s.locate("state recorder " + std::to_string(report.recorder.index), item);
      s.model.reports.push_back(std::move(report));
    }
  }
  if (auto w = r.get("weights")) read_weight_recorders(*w, s);
}

std::optional<std::vector<StoredStateRecorder>> stored_state_recorders(
    const std::string& model_yaml) {
  if (model_yaml.empty()) return std::nullopt;
  Node doc;
  try {
    doc = parse(model_yaml, "model");
  } catch (const ModelError&) {
    return std::nullopt;
  }
  if (!doc.is_map()) return std::nullopt;
  std::vector<StoredStateRecorder> out;
  const Node* recorders = doc.find("recorders");
  if (recorders == nullptr || !recorders->is_map()) return out;
  const Node* state = recorders->find("state");
  if (state == nullptr || !state->is_sequence()) return out;
  for (const Node& item : state->items) {
    if (!item.is_map() || item.find("population") == nullptr || item.find("variable") == nullptr) {
      continue;
    }
    StoredStateRecorder r;
    // Not spikeq's layout from here on: whatever was recognised before stays.
    if (!stored_scalar(item, "population", r.population) ||
        !stored_scalar(item, "variable", r.variable) || !stored_scalar(item, "file", r.file)) {
      break;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace spikeq::io::yaml
