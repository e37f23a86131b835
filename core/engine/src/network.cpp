#include "spikeq/core/network.hpp"

#include <algorithm>
#include <cmath>

#include "spikeq/core/errors.hpp"

namespace spikeq {

namespace {
void check_name(const std::string& name, const char* kind) {
  if (name.empty()) throw InvalidParameter(std::string(kind) + " name must not be empty");
}
}  // namespace

PopulationId Network::add_population(std::string name, std::uint32_t size, NeuronModel model) {
  check_name(name, "population");
  for (const auto& p : pops_) {
    if (p.name == name) throw InvalidParameter("population '" + name + "' is defined twice");
  }
  if (size == 0) throw InvalidParameter("population '" + name + "': size must be > 0");
  pops_.push_back(PopulationSpec{std::move(name), size, std::move(model), Reordering::none});
  record_spikes_.push_back(false);
  return PopulationId{static_cast<std::uint32_t>(pops_.size() - 1)};
}

ProjectionId Network::connect(PopulationId source, PopulationId target, ConnectionRule rule,
                              SynapseSpec synapse, std::string name) {
  const auto& src = spec(source);
  const auto& tgt = spec(target);
  if (name.empty()) {
    const std::string base = src.name + "->" + tgt.name;
    name = base;
    for (int k = 2; std::any_of(projs_.begin(), projs_.end(),
                                [&](const ProjectionSpec& p) { return p.name == name; });
         ++k) {
      name = base + "#" + std::to_string(k);
    }
  }
  for (const auto& p : projs_) {
    if (p.name == name) throw InvalidParameter("projection '" + name + "' is defined twice");
  }
  projs_.push_back(ProjectionSpec{std::move(name), source, target, std::move(rule),
                                  std::move(synapse)});
  return ProjectionId{static_cast<std::uint32_t>(projs_.size() - 1)};
}

void Network::add_input(PopulationId target, Input input, std::string name) {
  const auto& tgt = spec(target);
  if (name.empty()) {
    // "<population>.<kind><k>", k counting inputs of that kind on that population, so
    // adding an input elsewhere does not rename this one (names key the random streams).
    static constexpr const char* kinds[] = {"poisson", "current", "noise"};
    const std::size_t kind = input.index();
    std::size_t k = 0;
    for (const auto& in : inputs_) k += in.target == target && in.input.index() == kind;
    name = tgt.name + "." + kinds[kind] + std::to_string(k);
  }
  for (const auto& in : inputs_) {
    if (in.name == name) throw InvalidParameter("input '" + name + "' is defined twice");
  }
  inputs_.push_back(InputSpec{std::move(name), target, std::move(input)});
}

void Network::record_spikes(PopulationId population) {
  (void)spec(population);
  record_spikes_[population.index] = true;
}

RecorderId Network::record_state(PopulationId population, std::string variable,
                                 std::vector<std::uint32_t> neurons, double interval) {
  (void)spec(population);
  state_recs_.push_back(
      StateRecorderSpec{population, std::move(variable), std::move(neurons), interval});
  return RecorderId{static_cast<std::uint32_t>(state_recs_.size() - 1)};
}

void Network::set_reordering(PopulationId population, Reordering r) {
  (void)spec(population);
  pops_[population.index].reordering = r;
}

ModulatorId Network::add_modulator(ModulatorSpec spec) {
  check_name(spec.name, "modulator");
  for (const auto& m : mods_) {
    if (m.name == spec.name) throw InvalidParameter("modulator '" + spec.name + "' is defined twice");
  }
  mods_.push_back(std::move(spec));
  return ModulatorId{static_cast<std::uint32_t>(mods_.size() - 1)};
}

SubspaceId Network::add_subspace(SubspaceSpec spec) {
  check_name(spec.name, "subspace");
  const std::string what = "subspace '" + spec.name + "'";
  for (const auto& s : subspaces_) {
    if (s.name == spec.name) throw InvalidParameter(what + " is defined twice");
  }
  (void)this->spec(spec.population);
  if (spec.learned_by) {
    const ProjectionSpec& lateral = this->spec(*spec.learned_by);
    if (!(lateral.source == spec.population)) {
      throw InvalidParameter(what + ": learned_by projection '" + lateral.name +
                             "' must come from population '" + pops_[spec.population.index].name + "'");
    }
  }
  double last = 0.0;
  for (double t : spec.consolidate_at) {
    if (!std::isfinite(t) || !(t > last)) {
      throw InvalidParameter(what + ": consolidate_at times must be finite, > 0 ms and increasing (got " +
                             detail::format_number(t) + " ms)");
    }
    last = t;
  }
  if (!spec.consolidate_at.empty() && !spec.learned_by) {
    throw InvalidParameter(what + ": consolidate_at needs learned_by (the projection whose weights it takes)");
  }
  subspaces_.push_back(std::move(spec));
  return SubspaceId{static_cast<std::uint32_t>(subspaces_.size() - 1)};
}

void Network::clamp(PopulationId population, std::shared_ptr<const ReplaySource> source,
                    double start, double stop) {
  const auto& p = spec(population);
  if (!source) throw InvalidParameter("clamp of population '" + p.name + "': no recorded spikes");
  if (!(start >= 0.0) || !(stop > start) || !std::isfinite(stop)) {
    throw InvalidParameter("clamp of population '" + p.name +
                           "': needs 0 <= start < stop, finite (got " + detail::format_number(start) +
                           " to " + detail::format_number(stop) + " ms)");
  }
  for (const ClampSpec& c : clamps_) {
    if (c.population == population) {
      throw InvalidParameter("clamp of population '" + p.name + "': it is clamped already");
    }
  }
  clamps_.push_back(ClampSpec{population, std::move(source), start, stop});
}

WeightRecorderId Network::record_weights(ProjectionId projection, double interval) {
  const auto& p = spec(projection);
  if (!(interval > 0.0)) {
    throw InvalidParameter("weight recorder of projection '" + p.name +
                           "': interval must be > 0 ms");
  }
  weight_recs_.push_back(WeightRecorderSpec{projection, interval});
  return WeightRecorderId{static_cast<std::uint32_t>(weight_recs_.size() - 1)};
}

ModulatorId Network::modulator(const std::string& name) const {
  for (std::uint32_t k = 0; k < mods_.size(); ++k) {
    if (mods_[k].name == name) return ModulatorId{k};
  }
  throw NotFound("no modulator named '" + name + "'");
}

PopulationId Network::population(const std::string& name) const {
  for (std::uint32_t k = 0; k < pops_.size(); ++k) {
    if (pops_[k].name == name) return PopulationId{k};
  }
  throw NotFound("no population named '" + name + "'");
}

ProjectionId Network::projection(const std::string& name) const {
  for (std::uint32_t k = 0; k < projs_.size(); ++k) {
    if (projs_[k].name == name) return ProjectionId{k};
  }
  throw NotFound("no projection named '" + name + "'");
}

const PopulationSpec& Network::spec(PopulationId p) const {
  if (p.index >= pops_.size()) {
    throw NotFound("population id " + std::to_string(p.index) + " does not exist");
  }
  return pops_[p.index];
}

const ProjectionSpec& Network::spec(ProjectionId p) const {
  if (p.index >= projs_.size()) {
    throw NotFound("projection id " + std::to_string(p.index) + " does not exist");
  }
  return projs_[p.index];
}

}  // namespace spikeq
