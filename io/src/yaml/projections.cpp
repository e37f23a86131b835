// projections: source, target, rule, weight, delay, receptor, autapses, multapses,
// plasticity (plasticity.cpp).
#include "load_state.hpp"
#include "model_params.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {
namespace {

ConnectionRule read_rule(const Cursor& c, const LoadState& s) {
  const std::vector<std::string> rules{"all_to_all", "one_to_one", "fixed_probability",
                                       "fixed_indegree", "fixed_outdegree", "explicit"};
  if (c.node().is_scalar()) {
    const std::string r = c.node().scalar;
    if (r == "all_to_all") return connect::AllToAll{};
    if (r == "one_to_one") return connect::OneToOne{};
    if (r == "fixed_probability" || r == "fixed_indegree" || r == "fixed_outdegree" ||
        r == "explicit") {
      c.fail("the rule '" + r + "' needs a value, e.g. {" + r + ": ...}");
    }
    fail_choice(c, r, rules);
  }
  if (!c.node().is_map() || c.node().entries.size() != 1) {
    c.fail("expected a rule: all_to_all, one_to_one, {fixed_probability: p}, "
           "{fixed_indegree: k}, {fixed_outdegree: k} or {explicit: {sources: [...], targets: [...]}}");
  }
  const MapReader m(c, rules, "a connection rule");
  if (auto p = m.get("fixed_probability")) return connect::FixedProbability{read_probability(*p, s.parameters)};
  if (auto k = m.get("fixed_indegree")) return connect::FixedIndegree{read_integer(*k, 0, 1ull << 40, &s.parameters)};
  if (auto k = m.get("fixed_outdegree")) return connect::FixedOutdegree{read_integer(*k, 0, 0xffffffffu, &s.parameters)};
  if (auto e = m.get("explicit")) {
    const MapReader lists(*e, {"sources", "targets"}, "an explicit connection list");
    return connect::Explicit{read_id_list(lists.require("sources")),
                             read_id_list(lists.require("targets"))};
  }
  if (m.has("all_to_all")) return connect::AllToAll{};
  return connect::OneToOne{};
}

}  // namespace

Dimension weight_dimension(const Cursor& at, const NeuronModel& target, const std::string& receptor,
                           const std::string& target_name) {
  const auto receptors = receptors_of(target);
  if (receptors.empty()) {
    at.fail("population '" + target_name + "' is a spike source and cannot receive synapses");
  }
  if (receptor.empty()) return receptors.front().dimension;
  std::vector<std::string> names;
  for (const auto& r : receptors) {
    if (r.name == receptor) return r.dimension;
    names.push_back(r.name);
  }
  at.fail("population '" + target_name + "' has no receptor '" + receptor + "'" +
          did_you_mean(receptor, names) + " (receptors: " + quoted_list(names) + ")");
}

ProjectionId LoadState::projection(const Cursor& c) const {
  const std::string name = read_string(c);
  std::vector<std::string> names;
  const auto& projections = model.network.projections();
  for (std::uint32_t k = 0; k < projections.size(); ++k) {
    if (projections[k].name == name) return ProjectionId{k};
    names.push_back(projections[k].name);
  }
  c.fail("no projection named '" + name + "'" + did_you_mean(name, names) +
         (names.empty() ? std::string(" (the model has none)")
                        : " (projections: " + quoted_list(names) + ")"));
}

void read_projections(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of projections");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader r(item, {"name", "source", "target", "rule", "weight", "delay", "receptor",
                             "autapses", "multapses", "plasticity"},
                      "a projection");
    const PopulationId source = s.population(r.require("source"));
    const Cursor target_c = r.require("target");
    const PopulationId target = s.population(target_c);
    std::string name;
    if (auto n = r.get("name")) {
      name = read_string(*n);
      check_name(*n, name);
    }
    SynapseSpec syn;
    if (auto rc = r.get("receptor")) syn.receptor = read_string(*rc);
    const auto& target_spec = s.model.network.spec(target);
    const Dimension wdim = weight_dimension(r.get("receptor").value_or(target_c), target_spec.model,
                                            syn.receptor, target_spec.name);
    syn.weight = read_value(r.require("weight"), wdim, s.parameters);
    syn.delay = read_value(r.require("delay"), Dimension::time, s.parameters);
    if (auto a = r.get("autapses")) syn.allow_autapses = read_bool(*a);
    if (auto m = r.get("multapses")) syn.allow_multapses = read_bool(*m);
    if (auto p = r.get("plasticity")) syn.plasticity = read_plasticity(*p, wdim, s);
    const ConnectionRule rule = read_rule(r.require("rule"), s);
    if (!name.empty()) {
      for (const auto& p : s.model.network.projections()) {
        if (p.name == name) r.require("name").fail("projection '" + name + "' is defined twice");
      }
    }
    const ProjectionId id = s.model.network.connect(source, target, rule, std::move(syn), name);
    s.locate("projection '" + s.model.network.spec(id).name + "'", item);
  }
}

}  // namespace spikeq::io::yaml
