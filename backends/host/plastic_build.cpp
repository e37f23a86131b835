// Builds plastic projections and modulators from their specs, with every check that
// can name the projection or modulator at fault.
#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/backends/plastic_kernels.hpp"

namespace spikeq::detail {
namespace {

using plasticity::ErrorRule;
using plasticity::Stdp;

void require(bool ok, const std::string& what, const std::string& message) {
  if (!ok) throw InvalidParameter(what + ": " + message);
}

void require_time_constant(double tau, const std::string& what, const char* name) {
  require(tau > 0.0 && std::isfinite(tau), what,
          std::string(name) + " must be a positive, finite time in ms (got " + format_number(tau) +
              ")");
}

int modulator_index(const std::string& name, const std::vector<std::string>& known,
                    const std::string& what, const char* role) {
  const auto it = std::find(known.begin(), known.end(), name);
  if (it != known.end()) return static_cast<int>(it - known.begin());
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "'" : ", '") + k + "'";
  throw NotFound(what + ": " + role + " '" + name + "' is not a modulator of this network" +
                 (list.empty() ? std::string(" (it declares none)") : " (modulators: " + list + ")"));
}

/// The parameters of a Hebbian rule (Oja's, the subspace rule, Sanger's), or null.
struct HebbianParams {
  plasticity::hebbian::HebbianRule form;
  double eta, tau_pre, tau_post, scale;
};
std::optional<HebbianParams> hebbian_of(const plasticity::Rule& rule) {
  return std::visit(
      [](const auto& r) -> std::optional<HebbianParams> {
        if constexpr (requires { r.form; r.scale; }) {
          return HebbianParams{r.form, r.eta, r.tau_pre, r.tau_post, r.scale};
        } else {
          return std::nullopt;
        }
      },
      rule);
}

Step interval_steps(double ms, double dt, const std::string& what) {
  const Step s = duration_to_steps(ms, dt, what + ": interval");
  require(s >= 1, what, "interval must be at least one step");
  return s;
}

}  // namespace

void check_plasticity(const plasticity::PlasticitySpec& spec,
                      const std::vector<std::string>& modulators, double dt,
                      const std::string& projection) {
  const std::string what = "projection '" + projection + "': plasticity";
  require(spec.projection.empty() || std::holds_alternative<Stdp>(spec.rule) ||
              std::holds_alternative<ErrorRule>(spec.rule),
          what, "an HLOP projection ('" + spec.projection +
                    "') applies to the rules with a presynaptic factor: stdp and error");
  require(!std::isnan(spec.w_min) && !std::isnan(spec.w_max) && spec.w_min <= spec.w_max, what,
          "w_min (" + format_number(spec.w_min) + ") must not exceed w_max (" +
              format_number(spec.w_max) + ")");
  require(std::isfinite(spec.w_min) || std::isfinite(spec.w_max), what,
          "at least one weight bound must be finite");
  require(spec.dendritic_delay >= 0.0 && std::isfinite(spec.dendritic_delay), what,
          "dendritic_delay must be >= 0 ms");
  (void)duration_to_steps(spec.dendritic_delay, dt, what + ": dendritic_delay");
  if (const auto* s = std::get_if<Stdp>(&spec.rule)) {
    require(s->A_plus >= 0.0 && s->A_minus >= 0.0 && std::isfinite(s->A_plus) &&
                std::isfinite(s->A_minus),
            what, "A_plus and A_minus must be finite and >= 0 (A_minus depresses)");
    require_time_constant(s->tau_plus, what, "tau_plus");
    require_time_constant(s->tau_minus, what, "tau_minus");
    if (s->dependence != plasticity::WeightDependence::additive) {
      require(std::isfinite(spec.w_min) && std::isfinite(spec.w_max) && spec.w_max > spec.w_min,
              what, "multiplicative and power-law weight dependence need finite bounds w_min < w_max");
    }
    if (s->dependence == plasticity::WeightDependence::power_law) {
      require(s->mu_plus >= 0.0 && s->mu_minus >= 0.0, what, "mu_plus and mu_minus must be >= 0");
    }
    if (std::holds_alternative<plasticity::Eligibility>(spec.apply)) {
      require(!spec.modulator.empty(), what,
              "an eligibility trace needs a modulator (the third factor)");
      require_time_constant(std::get<plasticity::Eligibility>(spec.apply).tau_c, what, "tau_c");
    }
    if (std::holds_alternative<plasticity::Immediate>(spec.apply)) {
      require(spec.modulator.empty(), what,
              "a modulator acts through an interval or an eligibility trace; set one of them");
    }
    if (const auto* iv = std::get_if<plasticity::Interval>(&spec.apply)) {
      (void)interval_steps(iv->interval, dt, what);
      require(std::isfinite(iv->bias) && std::isfinite(iv->decay), what,
              "bias and decay must be finite");
    }
    if (!spec.modulator.empty()) (void)modulator_index(spec.modulator, modulators, what, "modulator");
  } else if (const auto* v = std::get_if<plasticity::VogelsSprekeler>(&spec.rule)) {
    require(v->eta >= 0.0 && std::isfinite(v->eta), what, "eta must be finite and >= 0");
    require_time_constant(v->tau, what, "tau");
    require(v->rho0 >= 0.0 && std::isfinite(v->rho0), what, "rho0 must be a rate >= 0 Hz");
    require(std::holds_alternative<plasticity::Immediate>(spec.apply) && spec.modulator.empty(),
            what, "the Vogels-Sprekeler rule changes weights at once, without a modulator");
    require(spec.w_max <= 0.0 || spec.w_min >= 0.0, what,
            "the Vogels-Sprekeler rule needs bounds of one sign (it acts on |w|)");
  } else if (const auto h = hebbian_of(spec.rule)) {
    require(std::isfinite(h->eta), what, "eta must be finite");
    require_time_constant(h->tau_pre, what, "tau_pre");
    require_time_constant(h->tau_post, what, "tau_post");
    require(std::isfinite(h->scale) && h->scale > 0.0, what, "scale must be a weight > 0");
    require(!std::holds_alternative<plasticity::Eligibility>(spec.apply) && spec.modulator.empty(),
            what, "the Hebbian rules apply their change every interval, without a modulator or an "
                  "eligibility trace");
  } else {
    const auto& e = std::get<ErrorRule>(spec.rule);
    require(std::isfinite(e.eta), what, "eta must be finite");
    require_time_constant(e.tau_pre, what, "tau_pre");
    require_time_constant(e.tau_post, what, "tau_post");
    require(!e.target.empty(), what, "the error rule needs a target modulator");
    (void)modulator_index(e.target, modulators, what, "target");
    if (!e.gate.empty()) (void)modulator_index(e.gate, modulators, what, "gate");
    require(!std::holds_alternative<plasticity::Eligibility>(spec.apply), what,
            "the error rule applies its change every interval; it has no eligibility trace");
  }
}

namespace {

void set_stdp(PlasticProjection& pl, const Stdp& s, const plasticity::PlasticitySpec& spec,
              const std::vector<std::string>& modulators, double dt, const std::string& what) {
  pl.kind = PlasticProjection::Kind::stdp;
  pl.A_plus = s.A_plus;
  pl.A_minus = s.A_minus;
  pl.pairing = s.pairing;
  pl.dependence = s.dependence;
  pl.mu_plus = s.mu_plus;
  pl.mu_minus = s.mu_minus;
  pl.pre_decay = Decay(dt, s.tau_plus);
  pl.post_decay = Decay(dt, s.tau_minus);
  if (!spec.modulator.empty()) {
    pl.modulator = modulator_index(spec.modulator, modulators, what, "modulator");
  }
}

void set_symmetric(PlasticProjection& pl, const plasticity::VogelsSprekeler& v,
                   const plasticity::PlasticitySpec& spec, double dt) {
  pl.kind = PlasticProjection::Kind::symmetric;
  pl.A_plus = v.eta;
  pl.alpha = 2.0 * v.rho0 * 1e-3 * v.tau;  // rho0 in Hz, tau in ms
  pl.sign = spec.w_max <= 0.0 ? -1.0 : 1.0;
  pl.pre_decay = Decay(dt, v.tau);
  pl.post_decay = Decay(dt, v.tau);
}

void set_error_rule(PlasticProjection& pl, const ErrorRule& e,
                    const std::vector<std::string>& modulators, double dt,
                    const std::string& what) {
  pl.kind = PlasticProjection::Kind::error;
  pl.pre_decay = Decay(dt, e.tau_pre);
  pl.post_decay = Decay(dt, e.tau_post);
  pl.target = modulator_index(e.target, modulators, what, "target");
  if (!e.gate.empty()) pl.gate = modulator_index(e.gate, modulators, what, "gate");
  pl.interval = 1;
}

void set_hebbian_rule(PlasticProjection& pl, const HebbianParams& h, double dt) {
  pl.kind = PlasticProjection::Kind::hebbian;
  pl.form = h.form;
  pl.pre_decay = Decay(dt, h.tau_pre);
  pl.post_decay = Decay(dt, h.tau_post);
  pl.scale = h.scale;
  pl.interval = 1;
}

/// The rule's parameters, modulators resolved by name.
void set_rule(PlasticProjection& pl, const plasticity::PlasticitySpec& spec,
              const std::vector<std::string>& modulators, double dt, const std::string& what) {
  if (const auto* s = std::get_if<Stdp>(&spec.rule)) {
    set_stdp(pl, *s, spec, modulators, dt, what);
  } else if (const auto* v = std::get_if<plasticity::VogelsSprekeler>(&spec.rule)) {
    set_symmetric(pl, *v, spec, dt);
  } else if (const auto h = hebbian_of(spec.rule)) {
    set_hebbian_rule(pl, *h, dt);
  } else {
    set_error_rule(pl, std::get<ErrorRule>(spec.rule), modulators, dt, what);
  }
}

/// When weight changes are applied (each spike, each interval, through an eligibility
/// trace), and the error rule's learning rate per application.
void set_application(PlasticProjection& pl, const plasticity::PlasticitySpec& spec, double dt,
                     const std::string& what) {
  if (const auto* iv = std::get_if<plasticity::Interval>(&spec.apply)) {
    pl.interval = interval_steps(iv->interval, dt, what);
    if (pl.kind == PlasticProjection::Kind::stdp) {
      pl.mode = PlasticProjection::Mode::interval;
      pl.bias = iv->bias;
      pl.acc_decay = iv->decay;
    }
  } else if (const auto* el = std::get_if<plasticity::Eligibility>(&spec.apply)) {
    pl.mode = PlasticProjection::Mode::eligibility;
    pl.tau_c = el->tau_c;
    pl.c_decay = Decay(dt, el->tau_c);
  }
  if (const auto* e = std::get_if<ErrorRule>(&spec.rule)) {
    pl.eta_step = e->eta * static_cast<double>(pl.interval) * dt;
  } else if (const auto h = hebbian_of(spec.rule)) {
    pl.eta_step = h->eta * static_cast<double>(pl.interval) * dt;
  }
}

/// Weights become per synapse, and must start inside the bounds.
void make_weights_per_synapse(ProjectionCsr& csr, const plasticity::PlasticitySpec& spec,
                              const std::string& what) {
  if (csr.homogeneous_weight) {
    csr.weights.assign(csr.size(), csr.weight0);
    csr.homogeneous_weight = false;
  }
  for (std::uint64_t k = 0; k < csr.size(); ++k) {
    const double w = csr.weights[k];
    if (w < spec.w_min || w > spec.w_max) {
      throw InvalidParameter(what + ": initial weight " + format_number(w) +
                             " lies outside the bounds [" + format_number(spec.w_min) + ", " +
                             format_number(spec.w_max) + "]");
    }
  }
}

/// Every presynaptic spike must reach its synapse after the slice that emitted it.
void check_axonal_delays(const ProjectionCsr& csr, Step dendritic, const BuiltNetwork& net,
                         const std::string& what) {
  for (std::uint64_t k = 0; k < csr.size(); ++k) {
    const Step axonal = entry_delay(csr.entries[k]) - dendritic;
    if (axonal < net.min_delay) {
      throw InvalidParameter(
          what + ": the axonal part of every delay (delay - dendritic_delay) must be at least the "
                 "network's minimum delay of " + std::to_string(net.min_delay) + " steps (" +
          format_number(static_cast<double>(net.min_delay) * net.dt) + " ms); a synapse of delay " +
          format_number(entry_delay(csr.entries[k]) * net.dt) + " ms leaves " +
          format_number(static_cast<double>(axonal) * net.dt) + " ms");
    }
  }
}

/// Backward index, synapses of a target in storage order.
void build_backward_index(PlasticProjection& pl, const ProjectionCsr& csr) {
  const std::uint32_t n_target = csr.tiles.size;
  pl.post_ptr.assign(std::size_t{n_target} + 1, 0);
  for_each_synapse(csr, [&](std::uint32_t, std::uint32_t t, DelaySteps, std::uint64_t) {
    ++pl.post_ptr[std::size_t{t} + 1];
  });
  for (std::uint32_t i = 0; i < n_target; ++i) pl.post_ptr[i + 1] += pl.post_ptr[i];
  pl.post_syn.resize(csr.size());
  pl.position.resize(csr.size());
  std::vector<std::uint64_t> fill(pl.post_ptr.begin(), pl.post_ptr.end() - 1);
  for_each_synapse(csr, [&](std::uint32_t, std::uint32_t t, DelaySteps, std::uint64_t k) {
    pl.position[k] = static_cast<std::uint32_t>(fill[t]);
    pl.post_syn[fill[t]++] = static_cast<std::uint32_t>(k);
  });
}

/// The source neuron (internal id) of each synapse position of the backward index.
std::vector<std::uint32_t> sources_by_position(const PlasticProjection& pl, const ProjectionCsr& csr) {
  std::vector<std::uint32_t> out(csr.size());
  for_each_synapse(csr, [&](std::uint32_t s, std::uint32_t, DelaySteps, std::uint64_t k) {
    out[pl.position[k]] = s;
  });
  return out;
}

/// The subspace rules' index by source: each source's synapse positions in the order of
/// their targets' user ids (Sanger's k <= i), whatever the population's internal order.
void build_source_index(PlasticProjection& pl, const ProjectionCsr& csr,
                        const PopulationRuntime& target) {
  const std::vector<std::uint32_t> source = sources_by_position(pl, csr);
  pl.src_ptr.assign(std::size_t{csr.n_source} + 1, 0);
  for (const std::uint32_t s : source) ++pl.src_ptr[std::size_t{s} + 1];
  for (std::uint32_t s = 0; s < csr.n_source; ++s) pl.src_ptr[s + 1] += pl.src_ptr[s];
  pl.src_pos.resize(csr.size());
  pl.src_target.resize(csr.size());
  // Walking targets in user order and each target's positions in order keeps every
  // source's list sorted by target (and, for repeated pairs, by position).
  std::vector<std::uint64_t> fill(pl.src_ptr.begin(), pl.src_ptr.end() - 1);
  for (std::uint32_t user = 0; user < target.size; ++user) {
    const std::uint32_t i = target.internal_id(user);
    for (std::uint64_t j = pl.post_ptr[i]; j < pl.post_ptr[i + 1]; ++j) {
      const std::uint64_t q = fill[source[j]]++;
      pl.src_pos[q] = static_cast<std::uint32_t>(j);
      pl.src_target[q] = i;
    }
  }
}

/// The traces of every synapse and target, the backward index and the spike queues.
void allocate_state(PlasticProjection& pl, const ProjectionCsr& csr, const BuiltNetwork& net) {
  pl.traces.assign(csr.size(), PlasticProjection::Trace{});
  pl.x_post.assign(csr.tiles.size, 0.0);
  pl.post_last.assign(csr.tiles.size, 0);
  build_backward_index(pl, csr);
  pl.queues.resize(csr.tiles.count);
  for (auto& q : pl.queues) {
    q.arrivals.resize(net.slots);
    q.posts.resize(static_cast<std::size_t>(pl.dendritic + 1));
  }
}

}  // namespace

PlasticProjection make_plastic(const plasticity::PlasticitySpec& spec, ProjectionCsr& csr,
                               const BuiltNetwork& net, const PopulationRuntime& target,
                               const std::string& projection) {
  const std::string what = "projection '" + projection + "': plasticity";
  // The rule itself was checked before the synapses were drawn (check_plasticity); what
  // is left depends on the synapses.
  std::vector<std::string> names;
  for (const auto& m : net.modulators) names.push_back(m.name);
  require(csr.size() < (std::uint64_t{1} << 32), what,
          "a plastic projection holds at most 2^32 - 1 synapses (this one has " +
              std::to_string(csr.size()) + "); split it");

  PlasticProjection pl;
  pl.dt = net.dt;
  pl.w_min = spec.w_min;
  pl.w_max = spec.w_max;
  pl.dendritic = duration_to_steps(spec.dendritic_delay, net.dt, what + ": dendritic_delay");
  set_rule(pl, spec, names, net.dt, what);
  set_application(pl, spec, net.dt, what);
  make_weights_per_synapse(csr, spec, what);
  check_axonal_delays(csr, pl.dendritic, net, what);
  allocate_state(pl, csr, net);
  if (plasticity::couples_targets(spec)) {
    // build_network gave the target population one tile (tile_populations).
    require(csr.tiles.count <= 1, what, "the target population must be a single tile");
    build_source_index(pl, csr, target);
  }
  return pl;
}

std::vector<ModulatorRuntime> make_modulators(const std::vector<ModulatorSpec>& specs,
                                              const std::vector<PopulationRuntime>& pops,
                                              double dt, Step min_delay) {
  std::vector<ModulatorRuntime> out;
  for (const ModulatorSpec& spec : specs) {
    const std::string what = "modulator '" + spec.name + "'";
    require(!(spec.tau <= 0.0) && !std::isnan(spec.tau), what,
            "tau must be a positive time in ms, or infinite for no decay");
    require(std::isfinite(spec.baseline) && std::isfinite(spec.initial), what,
            "baseline and initial must be finite");
    ModulatorRuntime mod;
    mod.name = spec.name;
    mod.baseline = spec.baseline;
    mod.decay = Decay(dt, spec.tau);
    mod.initial.m = spec.initial;
    auto population = [&](std::uint32_t p, const char* role) -> const PopulationRuntime& {
      require(p < pops.size(), what, std::string(role) + " population " + std::to_string(p) +
                                         " does not exist");
      return pops[p];
    };
    auto neuron = [&](const PopulationRuntime& pop, std::uint32_t user) {
      require(user < pop.size, what,
              "neuron " + std::to_string(user) + " is out of range for population '" + pop.name +
                  "' of " + std::to_string(pop.size));
      return pop.internal_id(user);
    };
    for (const modulation::Source& source : spec.sources) {
      if (const auto* s = std::get_if<modulation::FromSpikes>(&source)) {
        const PopulationRuntime& pop = population(s->population, "spike source");
        ModulatorRuntime::SpikeSource src;
        src.population = s->population;
        if (!s->neurons.empty()) {
          src.member.assign(pop.size, 0);
          for (std::uint32_t u : s->neurons) src.member[neuron(pop, u)] = 1;
        }
        require(std::isfinite(s->amount), what, "amount must be finite");
        src.amount = s->amount;
        src.delay = s->delay == 0.0 ? min_delay : duration_to_steps(s->delay, dt, what + ": delay");
        require(src.delay >= min_delay, what,
                "spikes act on a modulator after at least the network's minimum delay (" +
                    format_number(static_cast<double>(min_delay) * dt) + " ms); delay is " +
                    format_number(s->delay) + " ms");
        mod.spike_sources.push_back(std::move(src));
      } else if (const auto* s = std::get_if<modulation::Schedule>(&source)) {
        require(s->times.size() == s->amounts.size(), what,
                "a schedule needs as many amounts as times");
        for (std::size_t k = 0; k < s->times.size(); ++k) {
          require(k == 0 || s->times[k] >= s->times[k - 1], what, "schedule times must ascend");
          mod.initial.schedule({duration_to_steps(s->times[k], dt, what + ": schedule time"),
                                s->amounts[k], false});
        }
      } else {
        const auto& r = std::get<modulation::PairReward>(source);
        ModulatorRuntime::RewardSource src;
        src.first_population = r.first_population;
        src.first = neuron(population(r.first_population, "first"), r.first);
        src.second_population = r.second_population;
        src.second = neuron(population(r.second_population, "second"), r.second);
        src.window = round_to_steps(r.window, dt);
        src.latency_min = round_to_steps(r.latency_min, dt);
        src.latency_max = round_to_steps(r.latency_max, dt);
        require(src.window >= 1, what, "the reward window must be at least one step");
        require(src.latency_min >= min_delay && src.latency_max >= src.latency_min, what,
                "reward latencies need min_delay <= latency_min <= latency_max");
        require(std::isfinite(r.amount), what, "amount must be finite");
        src.amount = r.amount;
        src.stream = stream_id("modulator:" + spec.name + ":reward:" +
                               std::to_string(mod.reward_sources.size()));
        mod.reward_sources.push_back(src);
        mod.initial.last_first.push_back(kNever);
      }
    }
    out.push_back(std::move(mod));
  }
  return out;
}

void project_out_of(PlasticProjection& pl, const ProjectionCsr& csr, std::size_t s) {
  pl.subspace = static_cast<int>(s);
  pl.pos_source = sources_by_position(pl, csr);
}

void subspace_changed(BuiltNetwork& net, std::size_t s) {
  SubspaceRuntime& sub = net.subspaces.at(s);
  sub.refresh_columns();
  for (ProjectionRuntime& proj : net.projections) {
    if (!proj.plastic || proj.plastic->subspace != static_cast<int>(s)) continue;
    proj.plastic->coeff.assign(std::size_t{proj.csr.tiles.size} * sub.basis.rows(), 0.0);
  }
}

void consolidate_subspace(BuiltNetwork& net, std::size_t s) {
  SubspaceRuntime& sub = net.subspaces.at(s);
  const ProjectionRuntime& lateral = net.projections.at(static_cast<std::size_t>(sub.learned_by));
  const PopulationRuntime& target = net.populations[lateral.target];
  const std::size_t n = sub.basis.n();
  // One row per lateral neuron, in the order of its user id; a repeated pair adds up.
  std::vector<double> rows(std::size_t{target.size} * n, 0.0);
  for_each_synapse(lateral.csr, [&](std::uint32_t source, std::uint32_t t, DelaySteps, std::uint64_t k) {
    rows[std::size_t{target.user_id(t)} * n + source] += lateral.csr.weight(k);
  });
  sub.basis.append_rows(rows.data(), target.size);
  sub.basis.consolidate();
  subspace_changed(net, s);
}

std::size_t PlasticProjection::bytes() const {
  std::size_t b = traces.size() * sizeof(Trace) + position.size() * 4 + x_post.size() * 8 +
                  post_last.size() * 8 + post_ptr.size() * 8 + post_syn.size() * 4 +
                  src_ptr.size() * 8 + (src_pos.size() + src_target.size() + pos_source.size()) * 4 +
                  coeff.size() * 8;
  for (const auto& q : queues) {
    for (const auto& a : q.arrivals) b += a.capacity() * sizeof(Arrival);
    for (const auto& a : q.posts) b += a.capacity() * 4;
  }
  return b;
}

}  // namespace spikeq::detail
