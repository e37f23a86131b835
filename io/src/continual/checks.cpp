// What a continual-learning run needs of its network and data, checked before any sample
// is shown, so that a mistake costs no training time.
#include <cmath>
#include <set>
#include <variant>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/continual.hpp"
#include "spikeq/neurons/registry.hpp"

namespace spikeq::io {

namespace {

/// Messages start with the object they are about, as io::locate expects: "continual",
/// "subspace 'x'" or "learning of projection 'x'".
[[noreturn]] void fail(const std::string& message) { throw InvalidParameter("continual: " + message); }
[[noreturn]] void fail_at(const std::string& object, const std::string& message) {
  throw InvalidParameter(object + ": " + message);
}

void check_positive(std::size_t v, const char* what) {
  if (v == 0) fail(std::string(what) + " must be at least 1");
}

void check_populations(const Network& net, const Dataset& data, const ContinualSpec& spec) {
  const PopulationSpec& in = net.populations()[net.population(spec.input).index];
  if (!std::holds_alternative<neurons::spike_replay::params>(in.model)) {
    fail("input population '" + spec.input + "' must be a spike_replay population (the images' spikes)");
  }
  if (in.size != data.train.pixels) {
    fail("input population '" + spec.input + "' has " + std::to_string(in.size) + " neurons for " +
         std::to_string(data.train.pixels) + " pixels of " + data.name);
  }
  const PopulationSpec& out = net.populations()[net.population(spec.output).index];
  if (out.size != data.classes) {
    fail("output population '" + spec.output + "' has " + std::to_string(out.size) +
         " neurons for " + std::to_string(data.classes) + " classes of " + data.name);
  }
}

void check_schedule(const Dataset& data, const ContinualSpec& spec) {
  check_positive(spec.tasks.count, "the number of tasks");
  // Every task is measured after every task: the matrix and its runs grow as count².
  if (spec.tasks.count > 1000) fail("at most 1000 tasks, got " + std::to_string(spec.tasks.count));
  check_positive(spec.epochs, "epochs");
  check_positive(spec.batch, "batch");
  if (!(spec.target > 0) || !std::isfinite(spec.target)) fail("target must be a positive number of spikes");
  if (spec.tasks.kind != TaskSchedule::Kind::split) return;
  const std::size_t per = spec.tasks.classes_per_task;
  check_positive(per, "classes_per_task");
  if (data.classes % per != 0 || spec.tasks.count > data.classes / per) {
    fail(std::to_string(spec.tasks.count) + " split tasks of " + std::to_string(per) +
         " classes do not fit the " + std::to_string(data.classes) + " classes of " + data.name);
  }
}

void check_rule(const Network& net, const ContinualSpec& spec, const TrialLearning& rule,
                const std::set<std::string>& subspaces) {
  const std::string where = "learning of projection '" + rule.projection + "'";
  const ProjectionSpec& p = net.projections()[net.projection(rule.projection).index];
  if (p.synapse.plasticity) fail_at(where, "it has plasticity of its own; learn it one way");
  if (!(rule.eta >= 0) || !std::isfinite(rule.eta)) fail_at(where, "eta must be finite and >= 0");
  if (!(rule.w_min <= rule.w_max)) fail_at(where, "w_min is above w_max");
  if (rule.rule == TrialLearning::Rule::error && net.populations()[p.target.index].name != spec.output) {
    fail_at(where, "the error rule learns projections onto the output population '" + spec.output + "'");
  }
  if (rule.subspace.empty()) return;
  if (subspaces.count(rule.subspace) == 0) fail_at(where, "no subspace named '" + rule.subspace + "'");
  for (const SubspaceLearning& s : spec.subspaces) {
    if (s.name == rule.subspace && s.population != net.populations()[p.source.index].name) {
      fail_at(where, "subspace '" + s.name + "' is of population '" + s.population +
           "', not of the projection's source '" + net.populations()[p.source.index].name + "'");
    }
  }
}

void check_subspace(const Network& net, const ContinualSpec& spec, const SubspaceLearning& s) {
  const std::string where = "subspace '" + s.name + "'";
  const std::uint32_t n = net.populations()[net.population(s.population).index].size;
  if (s.lateral.empty()) fail_at(where, "lateral needs at least one count");
  try {
    (void)plasticity::Subspace(n, s.options);  // its own checks of eta, momentum, clip, ...
  } catch (const InvalidParameter& e) {
    fail_at(where, e.what());
  }
  check_positive(s.epochs, "a subspace's epochs");
  check_positive(s.batch, "a subspace's batch");
  // Rows are added after every task but the last; together they must fit the fan-in.
  std::size_t rows = 0;
  for (std::size_t t = 0; t + 1 < spec.tasks.count; ++t) rows += s.lateral[std::min(t, s.lateral.size() - 1)];
  if (rows > n) {
    fail_at(where, std::to_string(rows) + " lateral neurons over " + std::to_string(spec.tasks.count) +
         " tasks exceed the " + std::to_string(n) + " neurons of population '" + s.population +
         "' (a subspace has at most as many rows as its input)");
  }
}

/// Every population whose counts a rule or subspace reads must record its spikes.
void check_recording(const Network& net, const ContinualSpec& spec) {
  std::set<std::string> read{spec.output};
  for (const TrialLearning& rule : spec.learning) {
    const ProjectionSpec& p = net.projections()[net.projection(rule.projection).index];
    read.insert(net.populations()[p.source.index].name);
    read.insert(net.populations()[p.target.index].name);
  }
  for (const SubspaceLearning& s : spec.subspaces) read.insert(s.population);
  for (const std::string& name : read) {
    if (!net.spike_recording()[net.population(name).index]) {
      fail("population '" + name + "' must record its spikes (Network::record_spikes): the "
           "run counts them");
    }
  }
}

}  // namespace

void check_continual(const Network& net, const Dataset& data, const ContinualSpec& spec) {
  check_populations(net, data, spec);
  check_schedule(data, spec);
  std::set<std::string> names;
  for (const SubspaceLearning& s : spec.subspaces) {
    if (!names.insert(s.name).second) fail("subspace '" + s.name + "' is defined twice");
    check_subspace(net, spec, s);
  }
  for (const TrialLearning& rule : spec.learning) check_rule(net, spec, rule, names);
  std::set<std::string> learned;
  for (const TrialLearning& rule : spec.learning) {
    if (!learned.insert(rule.projection).second) fail("projection '" + rule.projection + "' learns twice");
  }
  check_recording(net, spec);
}

}  // namespace spikeq::io
