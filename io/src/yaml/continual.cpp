// continual: a dataset cut into tasks, shown to a spike_replay input population that
// this section declares, and the rules and subspaces that learn between samples
// (io/continual.hpp, docs/continual-learning.md).
#include <cmath>
#include <limits>

#include "load_state.hpp"
#include "spikeq/io/continual.hpp"
#include "spikeq/neurons/spike_replay.hpp"

namespace spikeq::io::yaml {

namespace {

const std::vector<std::string> kKeys{
    "dataset", "path",  "test_fraction", "train_samples", "test_samples", "input",
    "output",  "tasks", "epochs",        "batch",         "target",       "seed",
    "hlop",    "multitask", "subspaces", "learning"};

const std::vector<std::string> kSubspaceKeys{
    "name", "population", "lateral", "rule", "eta", "momentum", "clip", "iterations", "epochs",
    "batch", "orthonormalize"};

std::size_t read_count(const MapReader& r, std::string_view key, std::size_t fallback,
                       std::uint64_t min = 1) {
  const auto c = r.get(key);
  return c ? static_cast<std::size_t>(read_integer(*c, min, std::uint64_t{1} << 32)) : fallback;
}

double read_number(const MapReader& r, std::string_view key, double fallback, const Scope& scope) {
  const auto c = r.get(key);
  return c ? read_quantity(*c, Dimension::none, scope) : fallback;
}

std::shared_ptr<const Dataset> read_dataset(const MapReader& r, const Scope& scope) {
  const Cursor name_c = r.require("dataset");
  const std::string name = read_string(name_c);
  if (name != "digits" && name != "fashion_mnist") {
    fail_choice(name_c, name, {"digits", "fashion_mnist"});
  }
  const auto path = r.get("path");
  const double test_fraction = read_number(r, "test_fraction", 0.2, scope);
  if (!(test_fraction > 0 && test_fraction < 1)) r.require("test_fraction").fail("test_fraction must be in (0, 1)");
  try {
    if (name == "digits") {
      return std::make_shared<Dataset>(read_digits(path ? read_path(*path) : default_dataset_path(name),
                                                   test_fraction));
    }
    return std::make_shared<Dataset>(read_fashion_mnist(path ? read_path(*path) : default_dataset_path(name)));
  } catch (const Error& e) {
    (path ? *path : name_c).fail(e.what());
  }
}

ImageCoding read_coding(const MapReader& r, const Scope& scope) {
  ImageCoding coding;
  if (auto k = r.get("coding")) {
    coding.kind = read_choice<ImageCoding::Kind>(*k, {{"rate", ImageCoding::Kind::rate},
                                                      {"latency", ImageCoding::Kind::latency}});
  }
  if (auto m = r.get("max_rate")) coding.max_rate = read_quantity(*m, Dimension::rate, scope);
  coding.present = read_quantity(r.require("present"), Dimension::time, scope);
  if (auto rest = r.get("rest")) coding.rest = read_quantity(*rest, Dimension::time, scope);
  if (auto t = r.get("threshold")) coding.threshold = read_probability(*t, scope);
  return coding;
}

/// `input:` declares the spike_replay population the images drive, one neuron per pixel.
void read_input(const Cursor& c, LoadState& s, ContinualModel& m) {
  const MapReader r(c, {"name", "coding", "max_rate", "present", "rest", "threshold"}, "the continual input");
  const Cursor name_c = r.require("name");
  const std::string name = read_string(name_c);
  check_name(name_c, name);
  const ImageCoding coding = read_coding(r, s.parameters);
  const auto pixels = static_cast<std::uint32_t>(m.data->train.pixels);
  try {
    m.stream = std::make_shared<ImageStream>(coding, pixels, s.model.network.dt(), s.model.options.seed);
  } catch (const Error& e) {
    c.fail(e.what());
  }
  const PopulationId id =
      s.model.network.add_population(name, pixels, neurons::spike_replay::params{m.stream});
  s.populations[name] = id;
  s.locate("population '" + name + "'", c);
  m.spec.input = name;
}

TaskSchedule read_tasks(const Cursor& c, const Scope& scope) {
  const MapReader r(c, {"type", "count", "classes_per_task", "seed", "heads"}, "the tasks");
  TaskSchedule t;
  t.kind = read_choice<TaskSchedule::Kind>(r.require("type"), {{"permuted", TaskSchedule::Kind::permuted},
                                                               {"split", TaskSchedule::Kind::split}});
  t.count = read_count(r, "count", t.count);
  t.classes_per_task = read_count(r, "classes_per_task", t.classes_per_task);
  if (auto seed = r.get("seed")) t.seed = read_integer(*seed, 0, ~0ull, &scope);
  if (auto h = r.get("heads")) t.per_task_heads = read_choice<bool>(*h, {{"shared", false}, {"per_task", true}});
  return t;
}

std::vector<std::size_t> read_lateral(const Cursor& c) {
  std::vector<std::size_t> out;
  if (c.node().is_sequence()) {
    for (std::size_t k = 0; k < c.node().items.size(); ++k) {
      out.push_back(static_cast<std::size_t>(read_integer(c.item(k), 0, 1u << 24)));
    }
    if (out.empty()) c.fail("expected at least one count of lateral neurons");
  } else {
    out.push_back(static_cast<std::size_t>(read_integer(c, 0, 1u << 24)));
  }
  return out;
}

SubspaceLearning read_subspace(const Cursor& c, const Scope& scope) {
  const MapReader r(c, kSubspaceKeys, "a subspace");
  SubspaceLearning s;
  const Cursor name_c = r.require("name");
  s.name = read_string(name_c);
  check_name(name_c, s.name);
  s.population = read_string(r.require("population"));
  s.lateral = read_lateral(r.require("lateral"));
  if (auto rule = r.get("rule")) {
    using plasticity::hebbian::HebbianRule;
    s.options.rule = read_choice<HebbianRule>(*rule, {{"oja", HebbianRule::oja},
                                                      {"oja_subspace", HebbianRule::oja_subspace},
                                                      {"sanger", HebbianRule::sanger}});
  }
  s.options.eta = read_number(r, "eta", s.options.eta, scope);
  s.options.momentum = read_number(r, "momentum", s.options.momentum, scope);
  s.options.clip = read_number(r, "clip", s.options.clip, scope);
  s.options.iterations = static_cast<int>(read_count(r, "iterations", static_cast<std::size_t>(s.options.iterations)));
  s.epochs = read_count(r, "epochs", s.epochs);
  s.batch = read_count(r, "batch", s.batch);
  if (auto o = r.get("orthonormalize")) s.options.orthonormalize = read_bool(*o);
  return s;
}

/// One `learning:` entry, read once projections exist: eta and the bounds carry the
/// projection's weight unit (per spike²).
TrialLearning read_rule(const Cursor& c, LoadState& s) {
  const MapReader r(c, {"projection", "rule", "eta", "w_min", "w_max", "subspace", "feedback_sd",
                        "saturation", "silent"},
                    "a continual learning rule");
  TrialLearning l;
  const ProjectionId id = s.projection(r.require("projection"));
  const ProjectionSpec& p = s.model.network.spec(id);
  l.projection = p.name;
  const PopulationSpec& target = s.model.network.populations()[p.target.index];
  const Dimension w = weight_dimension(c, target.model, p.synapse.receptor, target.name);
  l.rule = read_choice<TrialLearning::Rule>(r.require("rule"), {{"error", TrialLearning::Rule::error},
                                                                {"feedback_alignment", TrialLearning::Rule::feedback_alignment}});
  l.eta = read_quantity(r.require("eta"), w, s.parameters);
  if (auto lo = r.get("w_min")) l.w_min = read_quantity_or_infinity(*lo, w, s.parameters);
  if (auto hi = r.get("w_max")) l.w_max = read_quantity_or_infinity(*hi, w, s.parameters);
  if (auto sub = r.get("subspace")) l.subspace = read_string(*sub);
  l.feedback_sd = read_number(r, "feedback_sd", l.feedback_sd, s.parameters);
  if (auto sat = r.get("saturation")) l.saturation = read_quantity_or_infinity(*sat, Dimension::none, s.parameters);
  l.g_silent = read_number(r, "silent", l.g_silent, s.parameters);
  s.locate("learning of projection '" + l.projection + "'", c);
  return l;
}

}  // namespace

void read_continual(const Cursor& c, LoadState& s) {
  const MapReader r(c, kKeys, "the continual section");
  auto m = std::make_shared<ContinualModel>();
  m->data = read_dataset(r, s.parameters);
  ContinualSpec& spec = m->spec;
  spec.train_samples = read_count(r, "train_samples", 0, 0);
  spec.test_samples = read_count(r, "test_samples", 0, 0);
  read_input(r.require("input"), s, *m);
  spec.tasks = read_tasks(r.require("tasks"), s.parameters);
  spec.epochs = read_count(r, "epochs", spec.epochs);
  spec.batch = read_count(r, "batch", spec.batch);
  spec.target = read_number(r, "target", spec.target, s.parameters);
  if (auto seed = r.get("seed")) spec.seed = read_integer(*seed, 0, ~0ull, &s.parameters);
  if (auto h = r.get("hlop")) spec.hlop = read_bool(*h);
  if (auto mt = r.get("multitask")) spec.multitask = read_bool(*mt);
  if (auto subs = r.get("subspaces")) {
    if (!subs->node().is_sequence()) subs->fail("expected a list of subspaces");
    for (std::size_t k = 0; k < subs->node().items.size(); ++k) {
      spec.subspaces.push_back(read_subspace(subs->item(k), s.parameters));
      s.locate("subspace '" + spec.subspaces.back().name + "'", subs->item(k));
    }
  }
  s.continual = c;
  s.locate("continual", c);
  s.model.continual = std::move(m);
}

void finish_continual(LoadState& s) {
  if (!s.continual) return;
  const MapReader r(*s.continual, kKeys, "the continual section");
  ContinualModel& m = *s.model.continual;
  const PopulationId out = s.population(r.require("output"));
  m.spec.output = s.model.network.populations()[out.index].name;
  s.model.network.record_spikes(out);
  if (auto subs = r.get("subspaces")) {
    for (std::size_t k = 0; k < subs->node().items.size(); ++k) {
      const MapReader sub(subs->item(k), kSubspaceKeys, "a subspace");
      s.model.network.record_spikes(s.population(sub.require("population")));
    }
  }
  const Cursor learning = r.require("learning");
  if (!learning.node().is_sequence() || learning.node().items.empty()) {
    learning.fail("expected a list of learning rules (projection, rule, eta)");
  }
  for (std::size_t k = 0; k < learning.node().items.size(); ++k) {
    m.spec.learning.push_back(read_rule(learning.item(k), s));
    const ProjectionSpec& p = s.model.network.spec(s.model.network.projection(m.spec.learning.back().projection));
    s.model.network.record_spikes(p.source);
    s.model.network.record_spikes(p.target);
  }
  // Everything run_continual checks, now, at the place of the object it names.
  try {
    check_continual(s.model.network, *m.data, m.spec);
  } catch (const InvalidParameter& e) {
    throw locate(e, s.model);
  }
}

}  // namespace spikeq::io::yaml
