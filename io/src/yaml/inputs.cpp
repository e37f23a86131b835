// inputs: poisson, dc, step, noise and spike_array drives of a target population.
#include "load_state.hpp"
#include "model_params.hpp"

namespace spikeq::io::yaml {

namespace {

std::vector<std::uint32_t> optional_ids(const MapReader& r) {
  if (auto n = r.get("neurons")) return read_id_list(*n);
  return {};
}

/// A spike_array input becomes a spike-source population (named after the input) and a
/// projection from its train k to target neuron neurons[k].
void add_spike_array(const MapReader& r, const std::string& name, PopulationId target,
                     LoadState& s) {
  const Cursor times_c = r.require("times");
  if (!times_c.node().is_sequence() || times_c.node().items.empty()) {
    times_c.fail("expected a list of spike trains, each a list of times");
  }
  // Copies, not references: adding the source population below may move the specs.
  const std::string target_name = s.model.network.spec(target).name;
  const std::uint32_t target_size = s.model.network.spec(target).size;
  SynapseSpec syn;
  if (auto rc = r.get("receptor")) syn.receptor = read_string(*rc);
  const Dimension wdim = weight_dimension(r.cursor(), s.model.network.spec(target).model,
                                          syn.receptor, target_name);
  std::vector<std::uint32_t> neurons = optional_ids(r);
  const std::size_t trains = times_c.node().items.size();
  if (neurons.empty()) {
    if (trains != target_size) {
      times_c.fail("expected one spike train per neuron of '" + target_name + "' (" +
                   std::to_string(target_size) + "), got " + std::to_string(trains) +
                   "; or list the target neurons under 'neurons'");
    }
    for (std::uint32_t i = 0; i < target_size; ++i) neurons.push_back(i);
  } else if (neurons.size() != trains) {
    r.require("neurons").fail("expected one neuron per spike train (" + std::to_string(trains) +
                              "), got " + std::to_string(neurons.size()));
  }
  neurons::spike_source_array::params p;
  for (std::size_t k = 0; k < trains; ++k) {
    p.times.push_back(read_quantity_list(times_c.item(k), Dimension::time, s.parameters));
  }
  if (s.populations.count(name)) r.cursor().fail("the name '" + name + "' is already a population");
  const PopulationId source =
      s.model.network.add_population(name, static_cast<std::uint32_t>(trains), std::move(p));
  s.populations[name] = source;
  syn.weight = read_value(r.require("weight"), wdim, s.parameters);
  syn.delay = read_value(r.require("delay"), Dimension::time, s.parameters);
  connect::Explicit pairs;
  for (std::uint32_t k = 0; k < trains; ++k) {
    pairs.sources.push_back(k);
    pairs.targets.push_back(neurons[k]);
  }
  const ProjectionId id = s.model.network.connect(source, target, std::move(pairs), std::move(syn), name);
  s.locate("population '" + name + "'", r.cursor());
  s.locate("projection '" + s.model.network.spec(id).name + "'", r.cursor());
}

}  // namespace

void read_inputs(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of inputs");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    if (!item.node().is_map()) item.fail("expected an input (a map with target and type)");
    const Node* type_node = item.node().find("type");
    if (!type_node) item.fail("missing key 'type' for an input (poisson, dc, step, noise or spike_array)");
    const Cursor type_c(*type_node, item.path() + ".type");
    enum class Type { poisson, dc, step, noise, spike_array };
    const Type type = read_choice<Type>(type_c, {{"poisson", Type::poisson}, {"dc", Type::dc},
                                                 {"step", Type::step}, {"noise", Type::noise},
                                                 {"spike_array", Type::spike_array}});
    std::vector<std::string> keys{"name", "target", "type", "neurons"};
    switch (type) {
      case Type::poisson: keys.insert(keys.end(), {"rate", "weight", "receptor"}); break;
      case Type::dc: keys.insert(keys.end(), {"amplitude", "start", "stop"}); break;
      case Type::step: keys.insert(keys.end(), {"times", "amplitudes"}); break;
      case Type::noise: keys.insert(keys.end(), {"mean", "sd", "distribution"}); break;
      case Type::spike_array: keys.insert(keys.end(), {"times", "weight", "delay", "receptor"}); break;
    }
    const MapReader r(item, keys, "a " + type_node->scalar + " input");
    const Cursor target_c = r.require("target");
    const PopulationId target = s.population(target_c);
    const auto& tspec = s.model.network.spec(target);
    std::string name;
    if (auto n = r.get("name")) {
      name = read_string(*n);
      check_name(*n, name);
    }
    const Scope& ps = s.parameters;
    Input input;
    switch (type) {
      case Type::poisson: {
        PoissonInput in;
        in.rate = read_quantity(r.require("rate"), Dimension::rate, ps);
        if (auto rc = r.get("receptor")) in.receptor = read_string(*rc);
        in.weight = read_quantity(r.require("weight"),
                                  weight_dimension(r.get("receptor").value_or(target_c), tspec.model,
                                                   in.receptor, tspec.name),
                                  ps);
        in.neurons = optional_ids(r);
        input = std::move(in);
        break;
      }
      case Type::dc: {
        const double amplitude = read_quantity(r.require("amplitude"), Dimension::current, ps);
        const double start = r.has("start") ? read_quantity(*r.get("start"), Dimension::time, ps) : 0.0;
        CurrentInput in = CurrentInput::dc(amplitude, optional_ids(r));
        in.times = {start};
        if (auto stop = r.get("stop")) {
          in.times.push_back(read_quantity(*stop, Dimension::time, ps));
          in.amplitudes.push_back(0.0);
        }
        input = std::move(in);
        break;
      }
      case Type::step:
        input = CurrentInput::steps(read_quantity_list(r.require("times"), Dimension::time, ps),
                                    read_quantity_list(r.require("amplitudes"), Dimension::current, ps),
                                    optional_ids(r));
        break;
      case Type::noise: {
        NoiseInput in;
        in.mean = read_quantity(r.require("mean"), Dimension::current, ps);
        in.sd = read_quantity(r.require("sd"), Dimension::current, ps);
        in.neurons = optional_ids(r);
        if (auto d = r.get("distribution")) {
          in.distribution = read_choice<NoiseDistribution>(
              *d, {{"normal", NoiseDistribution::normal}, {"uniform", NoiseDistribution::uniform}});
        }
        input = std::move(in);
        break;
      }
      case Type::spike_array:
        add_spike_array(r, name.empty() ? tspec.name + "_spikes" + std::to_string(k) : name, target, s);
        continue;
    }
    s.model.network.add_input(target, std::move(input), name);
    s.locate("input '" + s.model.network.inputs().back().name + "'", item);
  }
}

}  // namespace spikeq::io::yaml
