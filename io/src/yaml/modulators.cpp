// modulators: named neuromodulators (name, tau, baseline, initial) and the sources that
// add to them: spikes of a population, a schedule, a reward for a pair of spikes, the
// samples of one label of a replayed SHD recording.
#include <cmath>
#include <tuple>
#include <utility>

#include "load_state.hpp"
#include "replay.hpp"

namespace spikeq::io::yaml {

using spikeq::detail::format_number;

namespace {

enum class SourceType { spikes, schedule, pair_reward, labels };

std::uint32_t neuron_of(const Cursor& c, const PopulationSpec& pop) {
  const auto id = static_cast<std::uint32_t>(read_integer(c, 0, 0xfffffffeu));
  if (id >= pop.size) {
    c.fail("neuron " + std::to_string(id) + " is out of range for population '" + pop.name +
           "' of " + std::to_string(pop.size));
  }
  return id;
}

modulation::FromSpikes read_spikes(const MapReader& r, const LoadState& s) {
  modulation::FromSpikes out;
  const PopulationId pop = s.population(r.require("population"));
  const PopulationSpec& spec = s.model.network.spec(pop);
  out.population = pop.index;
  if (auto n = r.get("neurons")) {
    if (!n->node().is_sequence()) n->fail("expected a list of neuron ids");
    for (std::size_t k = 0; k < n->node().items.size(); ++k) {
      out.neurons.push_back(neuron_of(n->item(k), spec));
    }
  }
  out.amount = read_quantity(r.require("amount"), Dimension::none, s.parameters);
  if (auto d = r.get("delay")) {
    out.delay = read_quantity(*d, Dimension::time, s.parameters);
    if (!(out.delay >= 0.0)) {
      d->fail("delay must be >= 0 ms (got " + format_number(out.delay) +
              "); 0 means the network's minimum delay");
    }
  }
  return out;
}

modulation::Schedule read_schedule(const MapReader& r, const LoadState& s) {
  modulation::Schedule out;
  const Cursor times = r.require("times");
  const Cursor amounts = r.require("amounts");
  out.times = read_quantity_list(times, Dimension::time, s.parameters);
  out.amounts = read_quantity_list(amounts, Dimension::none, s.parameters);
  if (out.times.size() != out.amounts.size()) {
    amounts.fail("expected one amount per time (" + std::to_string(out.times.size()) + "), got " +
                 std::to_string(out.amounts.size()));
  }
  for (std::size_t k = 0; k < out.times.size(); ++k) {
    if (out.times[k] < 0.0 || (k > 0 && out.times[k] < out.times[k - 1])) {
      times.item(k).fail("schedule times must be >= 0 ms and ascending (got " +
                         format_number(out.times[k]) + " ms" +
                         (k > 0 ? " after " + format_number(out.times[k - 1]) + " ms" : "") + ")");
    }
  }
  return out;
}

/// The samples of an SHD recording with one label as a schedule: +amount when such a
/// sample starts playing, -amount when it ends (a target or gate for the sample).
modulation::Schedule read_labels(const MapReader& r, const LoadState& s) {
  const Cursor replay = r.require("replay");
  ReplayOptions o = read_replay_options(replay, s.parameters, "the replay of a labels source");
  o.format = ReplayFormat::shd;
  const auto label = static_cast<std::int64_t>(read_integer(r.require("label"), 0, 1u << 30));
  const double amount = r.get("amount") ? read_quantity(*r.get("amount"), Dimension::none, s.parameters) : 1.0;
  std::vector<ShdSample> samples;
  try {
    samples = shd_schedule(o);
  } catch (const Error& e) {
    replay.fail(e.what());
  }
  // A sample's spikes are stamped at the first step at or after their time (the replay's
  // rule), and a recorded length ends anywhere between steps: the level switches on the
  // same grid, so that any dt takes the schedule.
  const double dt = s.model.network.dt();
  auto on_grid = [dt](double t) { return std::ceil(t / dt - 1e-9) * dt; };
  std::vector<std::pair<double, double>> events;
  for (const ShdSample& x : samples) {
    if (x.label != label) continue;
    events.emplace_back(on_grid(x.start), amount);
    events.emplace_back(on_grid(x.stop), -amount);
  }
  modulation::Schedule out;
  for (const auto& [t, a] : events) {
    if (!out.times.empty() && out.times.back() == t) {  // back-to-back samples: no dip
      out.amounts.back() += a;
    } else {
      out.times.push_back(t);
      out.amounts.push_back(a);
    }
  }
  return out;
}

/// {population: P, neuron: i} of a pair_reward.
std::pair<std::uint32_t, std::uint32_t> read_endpoint(const Cursor& c, const LoadState& s) {
  const MapReader r(c, {"population", "neuron"}, "a pair_reward neuron");
  const PopulationId pop = s.population(r.require("population"));
  return {pop.index, neuron_of(r.require("neuron"), s.model.network.spec(pop))};
}

modulation::PairReward read_pair_reward(const MapReader& r, const LoadState& s) {
  const Scope& ps = s.parameters;
  modulation::PairReward out;
  std::tie(out.first_population, out.first) = read_endpoint(r.require("first"), s);
  std::tie(out.second_population, out.second) = read_endpoint(r.require("second"), s);
  if (auto w = r.get("window")) {
    out.window = read_quantity(*w, Dimension::time, ps);
    if (!(out.window > 0.0)) {
      w->fail("window must be > 0 ms (got " + format_number(out.window) + ")");
    }
  }
  if (auto l = r.get("latency")) {
    if (!l->node().is_sequence() || l->node().items.size() != 2) {
      l->fail("expected [min, max], a list of two times");
    }
    out.latency_min = read_quantity(l->item(0), Dimension::time, ps);
    out.latency_max = read_quantity(l->item(1), Dimension::time, ps);
    if (!(out.latency_min >= 0.0 && out.latency_min <= out.latency_max)) {
      l->fail("latency needs 0 <= min <= max (got " + format_number(out.latency_min) + ", " +
              format_number(out.latency_max) + ")");
    }
  }
  if (auto a = r.get("amount")) out.amount = read_quantity(*a, Dimension::none, ps);
  return out;
}

modulation::Source read_source(const Cursor& item, const LoadState& s) {
  if (!item.node().is_map()) item.fail("expected a modulator source (a map with type)");
  const Node* type_node = item.node().find("type");
  if (!type_node) {
    item.fail("missing key 'type' for a modulator source (spikes, schedule, pair_reward or labels)");
  }
  const Cursor type_c(*type_node, item.path() + ".type");
  const SourceType type = read_choice<SourceType>(
      type_c, {{"spikes", SourceType::spikes},
               {"schedule", SourceType::schedule},
               {"pair_reward", SourceType::pair_reward},
               {"labels", SourceType::labels}});
  switch (type) {
    case SourceType::spikes:
      return read_spikes(MapReader(item, {"type", "population", "neurons", "amount", "delay"},
                                   "a spikes source"),
                         s);
    case SourceType::schedule:
      return read_schedule(MapReader(item, {"type", "times", "amounts"}, "a schedule source"), s);
    case SourceType::labels:
      return read_labels(MapReader(item, {"type", "replay", "label", "amount"}, "a labels source"), s);
    case SourceType::pair_reward:
      break;
  }
  return read_pair_reward(
      MapReader(item, {"type", "first", "second", "window", "latency", "amount"},
                "a pair_reward source"),
      s);
}

}  // namespace

void read_modulators(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of modulators");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader r(item, {"name", "tau", "baseline", "initial", "sources"}, "a modulator");
    const Cursor name_c = r.require("name");
    ModulatorSpec spec;
    spec.name = read_string(name_c);
    check_name(name_c, spec.name);
    for (const ModulatorSpec& other : s.model.network.modulators()) {
      if (other.name == spec.name) name_c.fail("modulator '" + spec.name + "' is defined twice");
    }
    const Scope& ps = s.parameters;
    if (auto t = r.get("tau")) {
      spec.tau = read_quantity_or_infinity(*t, Dimension::time, ps);
      if (!(spec.tau > 0.0)) {
        t->fail("tau must be > 0 ms, or inf for no decay (got " + format_number(spec.tau) + ")");
      }
    }
    if (auto b = r.get("baseline")) spec.baseline = read_quantity(*b, Dimension::none, ps);
    if (auto i = r.get("initial")) spec.initial = read_quantity(*i, Dimension::none, ps);
    if (auto src = r.get("sources")) {
      if (!src->node().is_sequence()) src->fail("expected a list of modulator sources");
      for (std::size_t j = 0; j < src->node().items.size(); ++j) {
        spec.sources.push_back(read_source(src->item(j), s));
      }
    }
    const std::string name = spec.name;
    s.model.network.add_modulator(std::move(spec));
    s.locate("modulator '" + name + "'", item);
  }
}

}  // namespace spikeq::io::yaml
