// populations: name, model, size, params (with parameter_set and variates), reordering.
#include <algorithm>
#include <cctype>

#include "load_state.hpp"
#include "model_params.hpp"
#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {

void check_name(const Cursor& c, const std::string& name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
  });
  if (!ok) {
    c.fail("'" + name + "' is not a usable name: use letters, digits, '_' or '-' (names are "
           "--set paths and file names)");
  }
}

PopulationId LoadState::population(const Cursor& c) const {
  const std::string name = read_string(c);
  if (auto it = populations.find(name); it != populations.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, id] : populations) names.push_back(n);
  c.fail("no population named '" + name + "'" + did_you_mean(name, names) +
         " (populations: " + quoted_list(names) + ")");
}

namespace {

/// The population's params: its parameter_set(s), then its own params on top.
std::optional<Node> merged_params(const MapReader& r, const LoadState& s) {
  std::optional<Node> out;
  if (auto set = r.get("parameter_set")) {
    std::vector<Cursor> names;
    if (set->node().is_sequence()) {
      for (std::size_t k = 0; k < set->node().items.size(); ++k) names.push_back(set->item(k));
    } else {
      names.push_back(*set);
    }
    for (const Cursor& n : names) {
      const std::string name = read_string(n);
      std::vector<std::string> known;
      const Node* found = nullptr;
      if (s.parameter_sets) {
        for (const Entry& e : s.parameter_sets->node().entries) {
          known.push_back(e.key);
          if (e.key == name) found = &e.value;
        }
      }
      if (!found) {
        n.fail("no parameter set named '" + name + "'" + did_you_mean(name, known) +
               (known.empty() ? " (the file defines none)" : " (sets: " + quoted_list(known) + ")"));
      }
      if (!out) out = *found; else merge(*out, *found);
    }
  }
  if (auto own = r.get("params")) {
    if (!out) out = own->node(); else merge(*out, own->node());
  }
  return out;
}

}  // namespace

void read_populations(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence() || c.node().items.empty()) {
    c.fail("expected a list of populations (each with name, model and size)");
  }
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader r(item, {"name", "model", "size", "params", "parameter_set", "variates",
                             "reordering"},
                      "a population");
    const Cursor name_c = r.require("name");
    const std::string name = read_string(name_c);
    check_name(name_c, name);
    if (s.populations.count(name)) name_c.fail("population '" + name + "' is defined twice");
    const auto size =
        static_cast<std::uint32_t>(read_integer(r.require("size"), 1, 0xfffffffeu, &s.parameters));
    const Cursor model_c = r.require("model");
    const std::string model = read_string(model_c);

    // Per-neuron values may use the population's variates, i and N.
    Scope scope = s.parameters;
    scope.neurons = size;
    if (auto v = r.get("variates")) {
      const MapReader vars(*v, [&] {
        std::vector<std::string> keys;
        for (const Entry& e : v->node().entries) keys.push_back(e.key);
        return keys;
      }(), "variates");
      for (const Entry& e : v->node().entries) {
        const Cursor vc = v->entry(e);
        const bool taken = e.key == "i" || e.key == "N" ||
                           std::find(s.parameters.names.begin(), s.parameters.names.end(), e.key) !=
                               s.parameters.names.end();
        if (taken) {
          vc.fail("the variate name '" + e.key + "' is taken (by a parameter, or i and N, the "
                  "neuron index and population size)");
        }
        Scope plain = s.parameters;  // a variate's distribution is not per neuron itself
        const Value dist = read_value(vc, Dimension::none, plain);
        scope.variate_names.push_back(e.key);
        scope.variates.push_back(detail::realize_per_element(
            dist, size, s.model.options.seed,
            detail::stream_id("variate:" + name + ":" + e.key), "variate '" + e.key + "'"));
      }
    }
    std::optional<Node> params_node = merged_params(r, s);
    std::optional<Cursor> params;
    if (params_node) {
      params.emplace(*params_node, item.path() + ".params");
    }
    NeuronModel neuron = read_neuron_model(model_c, model, params, size, scope);
    const PopulationId id = s.model.network.add_population(name, size, std::move(neuron));
    if (auto re = r.get("reordering")) {
      s.model.network.set_reordering(
          id, read_choice<Reordering>(*re, {{"none", Reordering::none},
                                            {"cuthill_mckee", Reordering::cuthill_mckee}}));
    }
    s.populations[name] = id;
    s.locate("population '" + name + "'", item);
  }
}

}  // namespace spikeq::io::yaml
