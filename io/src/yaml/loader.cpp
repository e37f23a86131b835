// The top level of a model file: variants, overrides, parameters, simulation, output;
// the sections are read by populations.cpp, projections.cpp (with plasticity.cpp),
// inputs.cpp, modulators.cpp, recorders.cpp.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "load_state.hpp"
#include "overrides.hpp"
#include "replay.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/model_file.hpp"
#include "suggest.hpp"
#include "tree.hpp"

namespace spikeq::io {

using spikeq::detail::format_number;
namespace yaml {
namespace {

const std::vector<std::string> kTopLevel{"spikeq",     "description", "include",
                                         "parameters", "parameter_sets", "variants",
                                         "variant",    "simulation",  "populations",
                                         "projections", "inputs",     "modulators",
                                         "clamps",     "recorders",  "output",
                                         "continual",  "subspaces"};

/// Merges the chosen variant over the document and drops the variant keys.
void apply_variant(Node& doc, const std::optional<std::string>& requested) {
  std::optional<std::string> name = requested;
  SourceLocation where{"--variant", 0, 0, "variant"};
  if (!name) {
    if (const Node* v = doc.find("variant")) {
      if (!v->is_scalar()) throw ModelError(v->location, "variant: expected a variant name");
      name = v->scalar;
      where = v->location;
      where.path = "variant";
    }
  }
  const Node* variants = doc.find("variants");
  if (name) {
    std::vector<std::string> known;
    const Node* chosen = nullptr;
    if (variants && variants->is_map()) {
      for (const Entry& e : variants->entries) {
        known.push_back(e.key);
        if (e.key == *name) chosen = &e.value;
      }
    }
    if (!chosen) {
      throw ModelError(where, "no variant named '" + *name + "'" + did_you_mean(*name, known) +
                                  (known.empty() ? " (the model defines none)"
                                                 : " (variants: " + quoted_list(known) + ")"));
    }
    const Node over = *chosen;
    merge(doc, over);
  }
  std::erase_if(doc.entries, [](const Entry& e) { return e.key == "variants" || e.key == "variant"; });
}

void read_parameters(const Cursor& c, Scope& scope) {
  if (!c.node().is_map()) c.fail("expected a map of named values");
  for (const Entry& e : c.node().entries) {
    const Cursor v = c.entry(e);
    if (std::find(scope.names.begin(), scope.names.end(), e.key) != scope.names.end()) {
      v.fail("parameter '" + e.key + "' is defined twice");
    }
    // Any dimension: a quantity converts to its internal unit; otherwise an expression
    // of the parameters defined above it.
    double value = 0;
    if (v.node().is_scalar()) {
      const auto q = parse_quantity(v.node().scalar);
      value = q ? q->value : read_quantity(v, Dimension::none, scope);
    } else {
      v.fail("expected a number, a quantity or an expression");
    }
    scope.names.push_back(e.key);
    scope.values.push_back(value);
    const auto q = v.node().is_scalar() ? parse_quantity(v.node().scalar) : std::nullopt;
    scope.dimensions.push_back(q ? q->dimension : Dimension::none);
  }
}

void read_simulation(const Cursor& c, LoadState& s, const ModelFileOptions& options) {
  const MapReader r(c, {"dt", "duration", "seed", "backend", "threads", "max_delay"},
                    "the simulation");
  const Scope& ps = s.parameters;
  if (auto dt = r.get("dt")) {
    const double v = read_quantity(*dt, Dimension::time, ps);
    if (!(v > 0.0)) dt->fail("dt must be > 0 ms (got " + format_number(v) + ")");
    s.model.network.set_dt(v);
  }
  if (auto d = r.get("duration")) {
    const double v = read_quantity(*d, Dimension::time, ps);
    if (!(v >= 0.0)) d->fail("duration must be >= 0 ms (got " + format_number(v) + ")");
    try {
      (void)duration_to_steps(v, s.model.network.dt(), "duration");
    } catch (const InvalidParameter& e) {
      d->fail(e.what());
    }
    s.model.duration = v;
  }
  if (auto seed = r.get("seed")) s.model.options.seed = read_integer(*seed, 0, ~0ull);
  if (options.seed) s.model.options.seed = *options.seed;
  if (auto b = r.get("backend")) {
    // The backends of this build (the engine's registry); cuda or mpi where built in.
    const std::vector<std::string> names = available_backends();
    std::string name = read_string(*b);
    if (std::find(names.begin(), names.end(), name) == names.end()) fail_choice(*b, name, names);
    s.model.options.backend = std::move(name);
  }
  if (auto t = r.get("threads")) s.model.options.threads = static_cast<int>(read_integer(*t, 1, 4096));
  if (auto m = r.get("max_delay")) s.model.network.set_max_delay(read_quantity(*m, Dimension::time, ps));
}

LoadedModel load(Node doc, const std::string& file, const ModelFileOptions& options) {
  if (!doc.is_map()) {
    throw ModelError(SourceLocation{file, doc.location.line, doc.location.column, {}},
                     "expected a model: a map with populations, projections, ...");
  }
  apply_variant(doc, options.variant);
  for (const std::string& assignment : options.set) apply_override(doc, assignment);

  LoadState s;
  s.model.file = file;
  const Cursor root(doc, "");
  const MapReader top(root, kTopLevel, "a model");
  if (auto v = top.get("spikeq")) {
    if (read_integer(*v, 0, 1000) != 1) v->fail("this spikeq reads model format 1");
  }
  if (auto d = top.get("description")) s.model.description = read_string(*d);
  if (auto p = top.get("parameters")) read_parameters(*p, s.parameters);
  if (auto ps = top.get("parameter_sets")) {
    if (!ps->node().is_map()) ps->fail("expected a map of named parameter sets");
    s.parameter_sets = ps;
  }
  // The seed comes first: per-neuron variates are drawn while populations are read.
  if (auto sim = top.get("simulation")) {
    read_simulation(*sim, s, options);
  } else if (options.seed) {
    s.model.options.seed = *options.seed;
  }
  if (auto c = top.get("continual")) {
    read_continual(*c, s);
    if (s.model.duration) {
      const MapReader sim(top.require("simulation"), {"dt", "duration", "seed", "backend", "threads", "max_delay"},
                          "the simulation");
      sim.require("duration").fail("a model with a continual: section runs until its tasks are "
                                   "done; it has no duration");
    }
  }
  read_populations(top.require("populations"), s);
  if (auto p = top.get("projections")) read_projections(*p, s);
  if (auto i = top.get("inputs")) read_inputs(*i, s);
  // Modulators come after inputs, so that a spikes source may name the population of a
  // spike_array input; the names projections use are checked once all are known.
  if (auto m = top.get("modulators")) read_modulators(*m, s);
  check_modulator_uses(s);
  if (auto sub = top.get("subspaces")) read_subspaces(*sub, s);
  check_subspace_uses(s);
  if (auto c = top.get("clamps")) read_clamps(*c, s);
  if (auto r = top.get("recorders")) read_recorders(*r, s);
  // Spikes are what a run is for: without a `spikes:` entry every population records.
  const auto rec = top.get("recorders");
  if (!rec || !rec->node().find("spikes")) {
    for (const auto& [name, id] : s.populations) s.model.network.record_spikes(id);
  }
  finish_continual(s);
  if (auto o = top.get("output")) {
    const MapReader out(*o, {"file"}, "the output");
    if (auto f = out.get("file")) s.model.output = read_string(*f);
  }
  s.model.resolved_yaml = emit(doc);
  return std::move(s.model);
}

}  // namespace
}  // namespace yaml

LoadedModel load_model_file(const std::string& path, const ModelFileOptions& options) {
  return yaml::load(yaml::load_with_includes(path), path, options);
}

LoadedModel load_model_text(const std::string& text, const std::string& name,
                            const ModelFileOptions& options) {
  return yaml::load(yaml::parse(text, name), name, options);
}

std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

double parse_time(const std::string& text, const std::string& what) {
  const auto q = yaml::parse_quantity(text);
  if (!q || (q->dimension != yaml::Dimension::none && q->dimension != yaml::Dimension::time)) {
    throw ModelError(SourceLocation{what, 0, 0, {}},
                     "expected a time like \"2 s\" or \"500 ms\" (" +
                         yaml::accepted_units(yaml::Dimension::time) + "), got '" + text + "'");
  }
  return q->value;
}

ModelError locate(const Error& error, const LoadedModel& model) {
  const std::string message = error.what();
  // Core messages start with the object they are about: "projection 'x': ...".
  for (const auto& [object, where] : model.locations) {
    if (message.rfind(object + ":", 0) == 0) {
      return ModelError(where, message);
    }
  }
  return ModelError(SourceLocation{model.file, 0, 0, {}}, message);
}

}  // namespace spikeq::io
