// subspaces: HLOP subspaces of a population's activity, learned by lateral neurons and
// named by plastic projections (`projection:` in their plasticity).
#include <string>
#include <vector>

#include "load_state.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {

namespace {

/// `learned_by:` a projection declared under `projections:`, by name.
ProjectionId read_projection_name(const Cursor& c, const LoadState& s) {
  const std::string name = read_string(c);
  std::vector<std::string> names;
  const auto& projections = s.model.network.projections();
  for (std::uint32_t k = 0; k < projections.size(); ++k) {
    if (projections[k].name == name) return ProjectionId{k};
    names.push_back(projections[k].name);
  }
  c.fail("no projection named '" + name + "'" + did_you_mean(name, names) +
         (names.empty() ? std::string(" (the model declares none)") : " (projections: " + quoted_list(names) + ")"));
}

}  // namespace

void read_subspaces(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of subspaces");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader r(item, {"name", "population", "learned_by", "consolidate_at"}, "a subspace");
    const Cursor name_c = r.require("name");
    SubspaceSpec spec;
    spec.name = read_string(name_c);
    check_name(name_c, spec.name);
    spec.population = s.population(r.require("population"));
    if (auto l = r.get("learned_by")) spec.learned_by = read_projection_name(*l, s);
    if (auto at = r.get("consolidate_at")) {
      spec.consolidate_at = read_quantity_list(*at, Dimension::time, s.parameters);
    }
    const std::string name = spec.name;
    s.locate("subspace '" + name + "'", item);
    try {
      s.model.network.add_subspace(std::move(spec));
    } catch (const InvalidParameter& e) {
      item.fail(e.what());
    }
  }
}

void check_subspace_uses(const LoadState& s) {
  std::vector<std::string> known;
  for (const SubspaceSpec& sub : s.model.network.subspaces()) known.push_back(sub.name);
  check_names_used(s.subspace_uses, known, "subspace", "subspaces");
}

}  // namespace spikeq::io::yaml
