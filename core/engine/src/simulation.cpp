#include "spikeq/core/simulation.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <variant>

#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/backends/registry.hpp"
#include "spikeq/core/detail/state_transfer.hpp"
#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/backends/plastic_kernels.hpp"
#include "spikeq/synapses/detail/csr.hpp"
#include "connectivity.hpp"

namespace spikeq {

namespace {
/// The backends of this build for messages: "serial, tbb".
std::string backend_list() {
  std::string out;
  for (const std::string& name : available_backends()) {
    out.append(out.empty() ? "" : ", ").append(name);
  }
  return out;
}

/// The registry entry of a backend name that check_options accepted.
const detail::BackendEntry& backend_entry(const SimulationOptions& options) {
  const detail::BackendEntry* b = detail::find_backend(options.backend);
  if (b == nullptr) check_options(options);  // throws: the name is not in this build
  return *b;
}

/// Threads a backend runs on: the user's count, or the backend's default for 0.
int resolved_threads(const SimulationOptions& options) {
  if (!backend_entry(options).threaded) return 1;
  return options.threads > 0 ? options.threads : tbb::info::default_concurrency();
}

std::unique_ptr<detail::Backend> make_backend(const SimulationOptions& options,
                                              detail::BuiltNetwork net) {
  return backend_entry(options).make(std::move(net),
                                    {.threads = resolved_threads(options), .device = options.device});
}

/// Slices per Backend::advance call: long enough that a call's fixed cost (starting the
/// threads' phase loop, merging their spikes) vanishes, short enough that the spikes
/// buffered per call stay small.
constexpr Step kSlicesPerAdvance = 256;
}  // namespace

std::vector<std::string> available_backends() {
  std::vector<std::string> out;
  for (const detail::BackendEntry& b : detail::backend_registry()) out.emplace_back(b.name);
  return out;
}

void check_options(const SimulationOptions& options) {
  if (options.threads < 0) {
    throw InvalidParameter("simulation: threads must be >= 1, or 0 for the backend's default (got " +
                           std::to_string(options.threads) + ")");
  }
  const detail::BackendEntry* backend = detail::find_backend(options.backend);
  if (backend == nullptr) {
    throw InvalidParameter("simulation: " +
                           (detail::backend_not_built(options.backend)
                                ? "backend '" + options.backend + "' is not compiled into this build"
                                : "unknown backend '" + options.backend + "'") +
                           " (available: " + backend_list() + ")");
  }
  if (options.device < 0) {
    throw InvalidParameter("simulation: device must be >= 0 (got " + std::to_string(options.device) + ")");
  }
  if (!backend->device && options.device != 0) {
    throw InvalidParameter("simulation: the " + options.backend +
                           " backend runs on no device (device = " +
                           std::to_string(options.device) + " requested)");
  }
  if (!backend->threaded && options.threads > 1) {
    std::string message = "simulation: the " + options.backend +
                          " backend runs on one thread (threads = " +
                          std::to_string(options.threads) + " requested)";
    for (const detail::BackendEntry& b : detail::backend_registry()) {
      if (b.threaded) {
        message += "; use backend '" + std::string(b.name) + "'";
        break;
      }
    }
    throw InvalidParameter(message);
  }
  const int cores = tbb::info::default_concurrency();
  if (options.threads > cores && !options.oversubscribe) {
    throw InvalidParameter("simulation: " + std::to_string(options.threads) +
                           " threads requested but this machine lets the process use " +
                           std::to_string(cores) + " cores");
  }
}

ValidationReport validate(const Network& network, const SimulationOptions& options) {
  check_options(options);
  return detail::validate_network(network, options);
}

struct Simulation::Impl {
  // TBB sizes its worker pool to the cores; more threads than that need a larger pool,
  // for as long as the backend lives (so declared before it).
  std::optional<tbb::global_control> oversubscription;
  Network network;
  SimulationOptions options;
  BuildInfo info;
  std::unique_ptr<detail::Backend> backend;
  Step step = 0;
  Step start_step = 0;  // restored from a checkpoint: its step
  std::vector<SpikeRecord> spikes;
  std::vector<std::uint64_t> counts;
  std::vector<StateTrace> traces;
  std::vector<WeightTrace> weight_traces;
  std::vector<Step> weight_intervals;  // steps
  struct Callback {
    Step interval;
    std::function<void(Simulation&)> fn;
  };
  std::vector<Callback> callbacks;
  bool in_run = false;
  bool weights_set = false;  // set_weights changed static weights, which checkpoints rebuild
  // spike_replay populations and the cursors through their recorded spikes.
  struct Replay {
    std::uint32_t population;
    std::unique_ptr<ReplayCursor> cursor;
    Step first = 1;                                   // stamps kept: [first, last]
    Step last = std::numeric_limits<Step>::max();
  };
  std::vector<Replay> replays;
  std::vector<ReplayEvent> replay_events;  // scratch

  /// Gives every replaying population its spikes of updates [first, stop): stamps
  /// first + 1 .. stop, each neuron once per stamp.
  void load_replays(Step first, Step stop) {
    for (Replay& r : replays) {
      const std::uint32_t p = r.population;
      replay_events.clear();
      try {
        r.cursor->read(stop + 1, replay_events);
      } catch (const Error& e) {
        // Bad recorded data is bad input, whichever step it is found in.
        throw InvalidParameter("population '" + network.populations()[p].name + "': " + e.what());
      }
      // Only this window's stamps, and for a clamp only those of its updates.
      const Step lo = std::max(r.first, first + 1), hi = std::min(r.last, stop);
      std::erase_if(replay_events, [&](const ReplayEvent& e) { return e.stamp < lo || e.stamp > hi; });
      detail::ReplayWindow w;
      w.first = first + 1;
      w.offsets.assign(static_cast<std::size_t>(stop - first) + 1, 0);
      std::sort(replay_events.begin(), replay_events.end(),
                [](const ReplayEvent& a, const ReplayEvent& b) {
                  return a.stamp != b.stamp ? a.stamp < b.stamp : a.neuron < b.neuron;
                });
      std::size_t e = 0;
      for (Step k = 0; k < stop - first; ++k) {
        const Step stamp = w.first + k;
        for (; e < replay_events.size() && replay_events[e].stamp == stamp; ++e) {
          if (w.neurons.size() > w.offsets[k] && w.neurons.back() == replay_events[e].neuron) continue;
          w.neurons.push_back(replay_events[e].neuron);
        }
        w.offsets[k + 1] = w.neurons.size();
      }
      backend->set_replay(p, std::move(w));
    }
  }
  // Per projection: storage index of each synapse in the order of synapses().
  mutable std::vector<std::vector<std::uint64_t>> order;
  detail::SliceOutput out;

  const std::vector<std::uint64_t>& synapse_order(std::uint32_t p) const {
    if (order.size() <= p) order.resize(network.projections().size());
    if (!order[p].empty() || backend->structure().projections[p].csr.size() == 0) return order[p];
    const auto& c = backend->structure().projections[p].csr;
    struct Key {
      std::uint32_t source, target, delay;
      std::uint64_t k;
    };
    std::vector<Key> all;
    all.reserve(c.size());
    detail::for_each_synapse(c, [&](std::uint32_t s, std::uint32_t t, detail::DelaySteps d,
                                    std::uint64_t k) { all.push_back({s, t, d, k}); });
    // Storage is split by target tile; list each source's synapses by (delay, target) as a
    // single row would hold them.
    std::stable_sort(all.begin(), all.end(), [](const Key& a, const Key& b) {
      if (a.source != b.source) return a.source < b.source;
      if (a.delay != b.delay) return a.delay < b.delay;
      return a.target < b.target;
    });
    order[p].reserve(all.size());
    for (const Key& x : all) order[p].push_back(x.k);
    return order[p];
  }

  [[nodiscard]] std::size_t modulator_index(const std::string& name) const {
    return network.modulator(name).index;
  }

  void absorb(const detail::SliceOutput& slice) {
    const auto& state = backend->structure();
    for (std::size_t p = 0; p < slice.spikes.size(); ++p) {
      const auto& s = slice.spikes[p];
      counts[p] += s.ids.size();
      if (!network.spike_recording()[p]) continue;
      SpikeRecord& rec = spikes[p];
      const std::size_t first = rec.steps.size();
      const auto& pop = state.populations[p];
      rec.steps.insert(rec.steps.end(), s.steps.begin(), s.steps.end());
      for (std::uint32_t id : s.ids) rec.neurons.push_back(pop.user_id(id));
      if (!pop.user_of_internal.empty()) {
        // Relabelled ids: restore (step, user id) order within each step.
        std::size_t b = first;
        while (b < rec.steps.size()) {
          std::size_t e = b;
          while (e < rec.steps.size() && rec.steps[e] == rec.steps[b]) ++e;
          std::sort(rec.neurons.begin() + static_cast<std::ptrdiff_t>(b),
                    rec.neurons.begin() + static_cast<std::ptrdiff_t>(e));
          b = e;
        }
      }
    }
    for (std::size_t r = 0; r < slice.samples.size(); ++r) {
      auto& t = traces[r];
      t.steps.insert(t.steps.end(), slice.samples[r].steps.begin(), slice.samples[r].steps.end());
      t.values.insert(t.values.end(), slice.samples[r].values.begin(),
                      slice.samples[r].values.end());
    }
  }
};

Simulation::Simulation(const Network& network, SimulationOptions options)
    : Simulation(network, std::move(options), nullptr) {}

Simulation::Simulation(const Network& network, SimulationOptions options, StateArchive& restore)
    : Simulation(network, std::move(options), &restore) {}

Simulation::Simulation(const Network& network, SimulationOptions options, StateArchive* restore)
    : impl_(std::make_unique<Impl>()) {
  const auto t0 = std::chrono::steady_clock::now();
  impl_->network = network;
  impl_->options = options;
  check_options(options);
  const int threads = resolved_threads(options);
  if (threads > tbb::info::default_concurrency()) {
    impl_->oversubscription.emplace(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(threads));
  }
  // The build runs on as many threads as the simulation will; a device backend's on every
  // core (the host is otherwise idle, and the build gives the same network on any count).
  tbb::task_arena arena(backend_entry(options).device ? tbb::info::default_concurrency() : threads);
  detail::BuiltNetwork built;
  arena.execute([&] { built = detail::build_network(network, options, impl_->info); });
  Step step = 0;
  std::vector<detail::ModulatorState> mods = detail::initial_modulators(built);
  if (restore) {
    if (restore->saving()) throw InvalidParameter("Simulation: the archive to restore from is saving");
    std::vector<std::int64_t> at{0};
    restore->array("step", at, true);
    step = at[0];
    if (step < 0 || !(static_cast<double>(step) < kMaxSteps)) {
      throw InvalidParameter("checkpoint: step " + std::to_string(step) + " is outside [0, 2^62)");
    }
    detail::transfer_state(built, mods, *restore);
    // The current changes due so far, applied as the updates before `step` applied them.
    for (detail::PopulationRuntime& pop : built.populations) {
      pop.current = {};
      std::fill(pop.current_static.begin(), pop.current_static.end(), 0.0);
      if (step > 0) detail::begin_step(pop, pop.current, step - 1, 0, pop.size);
    }
  }
  impl_->backend = make_backend(options, std::move(built));
  if (restore) {
    for (auto* replica : impl_->backend->modulator_replicas()) *replica = mods;
    impl_->step = step;
    impl_->start_step = step;
  }
  const std::size_t np = network.populations().size();
  for (std::uint32_t p = 0; p < np; ++p) {
    const PopulationSpec& spec = network.populations()[p];
    if (const auto* r = std::get_if<neurons::spike_replay::params>(&spec.model)) {
      impl_->replays.push_back({p, r->source->open(network.dt(), spec.size)});
    }
  }
  for (const ClampSpec& c : network.clamps()) {
    const auto& pop = impl_->backend->structure().populations[c.population.index];
    // Spikes of updates [clamp_first, clamp_stop), stamped one step later.
    impl_->replays.push_back({c.population.index,
                              c.source->open(network.dt(), pop.size),
                              pop.clamp_first + 1, pop.clamp_stop});
  }
  // Restored: the recordings resume where the step is.
  for (auto& r : impl_->replays) {
    impl_->replay_events.clear();
    if (impl_->step > 0) r.cursor->read(impl_->step + 1, impl_->replay_events);
  }
  impl_->spikes.assign(np, SpikeRecord{network.dt(), {}, {}});
  impl_->counts.assign(np, 0);
  for (const auto& spec : network.state_recorders()) {
    StateTrace t;
    t.variable = spec.variable;
    t.dt = network.dt();
    if (spec.neurons.empty()) {
      t.neurons.resize(network.populations()[spec.population.index].size);
      std::iota(t.neurons.begin(), t.neurons.end(), 0u);
    } else {
      t.neurons = spec.neurons;
    }
    impl_->traces.push_back(std::move(t));
  }
  for (const auto& spec : network.weight_recorders()) {
    const Step every = duration_to_steps(
        spec.interval, network.dt(),
        "weight recorder of projection '" + network.spec(spec.projection).name + "': interval");
    if (every < 1) {
      throw InvalidParameter("weight recorder of projection '" +
                             network.spec(spec.projection).name +
                             "': interval must be at least one step");
    }
    impl_->weight_intervals.push_back(every);
    const SynapseList list = synapses(spec.projection);
    WeightTrace t;
    t.projection = network.spec(spec.projection).name;
    t.dt = network.dt();
    t.sources = list.sources;
    t.targets = list.targets;
    t.delays = list.delays;
    impl_->weight_traces.push_back(std::move(t));
  }
  impl_->info.build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void Simulation::save_state(StateArchive& archive) {
  if (impl_->in_run) throw InvalidParameter("Simulation::save_state called during a run");
  if (!archive.saving()) throw InvalidParameter("Simulation::save_state: the archive is restoring");
  if (impl_->weights_set) {
    throw InvalidParameter("Simulation::save_state: set_weights changed static weights, which a "
                           "checkpoint does not store (it rebuilds them from the model)");
  }
  std::vector<std::int64_t> at{impl_->step};
  archive.array("step", at, true);
  detail::transfer_state(impl_->backend->mutable_state(), *impl_->backend->modulator_replicas().at(0),
                         archive);
}

void Simulation::run(double duration) {
  if (impl_->in_run) throw InvalidParameter("Simulation::run called from an every() callback");
  const Step steps = duration_to_steps(duration, impl_->network.dt(), "run duration");
  const Step slice = impl_->info.min_delay * kSlicesPerAdvance;
  const Step end = impl_->step + steps;
  // Stop where a weight snapshot or a callback is due.
  auto next_multiple = [&](Step every) { return (impl_->step / every + 1) * every; };
  while (impl_->step < end) {
    Step stop = std::min(end, impl_->step + slice);
    for (Step every : impl_->weight_intervals) stop = std::min(stop, next_multiple(every));
    for (const auto& c : impl_->callbacks) stop = std::min(stop, next_multiple(c.interval));
    for (const detail::SubspaceRuntime& sub : impl_->backend->structure().subspaces) {
      for (Step at : sub.consolidate_at) {
        if (at > impl_->step) stop = std::min(stop, at);
      }
    }
    impl_->load_replays(impl_->step, stop);
    impl_->backend->advance(impl_->step, stop - impl_->step, impl_->out);
    impl_->absorb(impl_->out);
    impl_->step = stop;
    for (std::size_t r = 0; r < impl_->weight_intervals.size(); ++r) {
      if (impl_->step % impl_->weight_intervals[r] != 0) continue;
      WeightTrace& t = impl_->weight_traces[r];
      const std::vector<float> w = weights(impl_->network.weight_recorders()[r].projection);
      t.steps.push_back(impl_->step);
      t.values.insert(t.values.end(), w.begin(), w.end());
    }
    const auto& subspaces = impl_->backend->structure().subspaces;
    for (std::size_t k = 0; k < subspaces.size(); ++k) {
      const auto& at = subspaces[k].consolidate_at;
      if (std::find(at.begin(), at.end(), impl_->step) != at.end()) {
        consolidate(SubspaceId{static_cast<std::uint32_t>(k)});
      }
    }
    for (std::size_t c = 0; c < impl_->callbacks.size(); ++c) {
      if (impl_->step % impl_->callbacks[c].interval != 0) continue;
      impl_->in_run = true;
      try {
        impl_->callbacks[c].fn(*this);
      } catch (...) {
        impl_->in_run = false;
        throw;
      }
      impl_->in_run = false;
    }
  }
}

void Simulation::every(double interval, std::function<void(Simulation&)> callback) {
  const Step steps = duration_to_steps(interval, impl_->network.dt(), "every(): interval");
  if (steps < 1) throw InvalidParameter("every(): interval must be at least one step");
  impl_->callbacks.push_back({steps, std::move(callback)});
}

std::vector<float> Simulation::weights(ProjectionId p) const {
  (void)impl_->network.spec(p);
  const bool learns = impl_->backend->structure().projections[p.index].plastic.has_value();
  const auto& net = learns ? impl_->backend->state() : impl_->backend->structure();
  const auto& proj = net.projections[p.index];
  const auto& order = impl_->synapse_order(p.index);
  std::vector<float> out(order.size());
  if (proj.plastic && !net.modulators.empty()) {
    const auto replicas = impl_->backend->modulator_replicas();
    const auto initial = detail::initial_modulators(net);
    const auto& mods = replicas.empty() ? initial : *replicas.front();
    for (std::size_t j = 0; j < order.size(); ++j) {
      out[j] = detail::weight_now(net, proj, order[j], impl_->step, mods);
    }
  } else {
    for (std::size_t j = 0; j < order.size(); ++j) out[j] = proj.csr.weight(order[j]);
  }
  return out;
}

namespace {

/// Why `w` cannot be a weight of a projection onto a conductance (or current) receptor, or
/// "" when it can: the limits the build applies to generated weights.
std::string weight_problem(float w, bool conductance) {
  if (!std::isfinite(w)) return "is not finite";
  if (std::fabs(w) >= detail::kMaxFixedWeight) return "is beyond the fixed-point range (2^30)";
  if (conductance && w < 0.0f) return "is negative; conductances cannot be";
  return {};
}

}  // namespace

void Simulation::consolidate(SubspaceId s) {
  const SubspaceSpec& spec = impl_->network.subspaces().at(s.index);
  if (impl_->in_run) throw InvalidParameter("consolidate: not from an every() callback");
  if (!spec.learned_by) {
    throw InvalidParameter("consolidate: subspace '" + spec.name +
                           "' has no learned_by projection to take its rows from");
  }
  detail::consolidate_subspace(impl_->backend->mutable_state(), s.index);
}

std::vector<double> Simulation::subspace_rows(SubspaceId s) const {
  const SubspaceSpec& spec = impl_->network.subspaces().at(s.index);
  const detail::BuiltNetwork& net = impl_->backend->structure();
  const plasticity::Subspace& basis = net.subspaces[s.index].basis;
  const detail::PopulationRuntime& pop = net.populations[spec.population.index];
  const std::size_t n = basis.n();
  std::vector<double> out(basis.rows() * n);
  for (std::size_t q = 0; q < basis.rows(); ++q) {
    for (std::uint32_t u = 0; u < n; ++u) out[q * n + u] = basis.matrix()[q * n + pop.internal_id(u)];
  }
  return out;
}

void Simulation::set_weights(ProjectionId p, const std::vector<float>& weights) {
  const std::string& name = impl_->network.spec(p).name;
  if (impl_->in_run) throw InvalidParameter("set_weights: not from an every() callback");
  const detail::ProjectionRuntime& proj = impl_->backend->structure().projections[p.index];
  if (proj.plastic) {
    throw InvalidParameter("set_weights: projection '" + name +
                           "' is plastic; its rule owns its weights");
  }
  const auto& order = impl_->synapse_order(p.index);
  if (weights.size() != order.size()) {
    throw InvalidParameter("set_weights: projection '" + name + "' has " +
                           std::to_string(order.size()) + " synapses, got " +
                           std::to_string(weights.size()) + " weights");
  }
  const bool conductance = detail::conductance_receptor(
      impl_->backend->structure().populations[proj.target], proj.receptor);
  for (std::size_t j = 0; j < weights.size(); ++j) {
    const std::string problem = weight_problem(weights[j], conductance);
    if (!problem.empty()) {
      throw InvalidParameter("set_weights: projection '" + name + "': weight " +
                             std::to_string(j) + " (" + detail::format_number(weights[j]) + ") " + problem);
    }
  }
  detail::ProjectionCsr& csr = impl_->backend->mutable_state().projections[p.index].csr;
  if (csr.homogeneous_weight) {
    csr.weights.assign(csr.size(), csr.weight0);
    csr.homogeneous_weight = false;
  }
  for (std::size_t j = 0; j < order.size(); ++j) csr.weights[order[j]] = weights[j];
  impl_->backend->weights_changed(p.index);
  impl_->weights_set = true;
}

const WeightTrace& Simulation::weight_trace(WeightRecorderId r) const {
  if (r.index >= impl_->weight_traces.size()) {
    throw NotFound("weight recorder " + std::to_string(r.index) + " does not exist");
  }
  return impl_->weight_traces[r.index];
}

WeightTrace Simulation::take_weight_trace(WeightRecorderId r) {
  const WeightTrace& t = weight_trace(r);
  WeightTrace out{t.projection, t.dt, t.sources, t.targets, t.delays, {}, {}};
  std::swap(out, impl_->weight_traces[r.index]);
  return out;
}

double Simulation::modulator_level(const std::string& name) const {
  const std::size_t m = impl_->modulator_index(name);
  const auto& mod = impl_->backend->structure().modulators[m];
  const auto replicas = impl_->backend->modulator_replicas();
  const detail::ModulatorState& s = replicas.empty() ? mod.initial : (*replicas.front())[m];
  return mod.level(s, impl_->step);
}

void Simulation::add_to_modulator(const std::string& name, double amount) {
  const std::size_t m = impl_->modulator_index(name);
  if (!std::isfinite(amount)) {
    throw InvalidParameter("modulator '" + name + "': amount must be finite");
  }
  for (auto* r : impl_->backend->modulator_replicas()) (*r)[m].schedule({impl_->step, amount, false});
}

void Simulation::set_modulator_level(const std::string& name, double level) {
  const std::size_t m = impl_->modulator_index(name);
  if (!std::isfinite(level)) {
    throw InvalidParameter("modulator '" + name + "': level must be finite");
  }
  const double value = level - impl_->backend->structure().modulators[m].baseline;
  for (auto* r : impl_->backend->modulator_replicas()) (*r)[m].schedule({impl_->step, value, true});
}

Step Simulation::step() const { return impl_->step; }
double Simulation::time() const { return static_cast<double>(impl_->step) * impl_->network.dt(); }
const SimulationOptions& Simulation::options() const { return impl_->options; }

double Simulation::start_time() const {
  return static_cast<double>(impl_->start_step) * impl_->network.dt();
}

const Network& Simulation::network() const { return impl_->network; }
const BuildInfo& Simulation::build_info() const { return impl_->info; }
std::string Simulation::backend_name() const { return impl_->backend->name(); }
int Simulation::threads() const { return resolved_threads(impl_->options); }

const SpikeRecord& Simulation::spikes(PopulationId p) const {
  const auto& spec = impl_->network.spec(p);
  if (!impl_->network.spike_recording()[p.index]) {
    throw NotFound("population '" + spec.name +
                   "' does not record spikes; call Network::record_spikes first");
  }
  return impl_->spikes[p.index];
}

SpikeRecord Simulation::take_spikes(PopulationId p) {
  (void)spikes(p);  // the same checks
  SpikeRecord out{impl_->network.dt(), {}, {}};
  std::swap(out, impl_->spikes[p.index]);
  return out;
}

StateTrace Simulation::take_trace(RecorderId r) {
  const StateTrace& t = trace(r);
  StateTrace out{t.variable, t.dt, t.neurons, {}, {}};
  std::swap(out, impl_->traces[r.index]);
  return out;
}

std::uint64_t Simulation::spike_count(PopulationId p) const {
  (void)impl_->network.spec(p);
  return impl_->counts[p.index];
}

double Simulation::mean_rate(PopulationId p) const {
  const auto& spec = impl_->network.spec(p);
  const double seconds = (time() - start_time()) * 1e-3;
  return seconds > 0 ? static_cast<double>(impl_->counts[p.index]) / spec.size / seconds : 0.0;
}

const StateTrace& Simulation::trace(RecorderId r) const {
  if (r.index >= impl_->traces.size()) {
    throw NotFound("state recorder " + std::to_string(r.index) + " does not exist");
  }
  return impl_->traces[r.index];
}

std::vector<double> Simulation::state(PopulationId p, const std::string& variable) const {
  (void)impl_->network.spec(p);  // throws NotFound for a bad id
  const auto& pop = impl_->backend->state().populations[p.index];
  const int var = detail::recordable_index(pop, variable, "Simulation::state");
  return std::visit(
      [&](const auto& pp) {
        using M = typename std::decay_t<decltype(pp)>::model;
        const auto v = pp.view();
        std::vector<double> out(pop.size);
        for (std::uint32_t u = 0; u < pop.size; ++u) {
          out[u] = M::read(pp.derived, v, var, pop.internal_id(u));
        }
        return out;
      },
      pop.state);
}

SynapseList Simulation::synapses(ProjectionId p) const {
  (void)impl_->network.spec(p);
  const bool learns = impl_->backend->structure().projections[p.index].plastic.has_value();
  const auto& net = learns ? impl_->backend->state() : impl_->backend->structure();
  const auto& proj = net.projections[p.index];
  const auto& src = net.populations[proj.source];
  const auto& tgt = net.populations[proj.target];
  const auto& c = proj.csr;
  // Source and target of each storage index.
  std::vector<std::uint32_t> source_of(c.size()), target_of(c.size());
  detail::for_each_synapse(c, [&](std::uint32_t s, std::uint32_t t, detail::DelaySteps,
                                  std::uint64_t k) {
    source_of[k] = s;
    target_of[k] = t;
  });
  SynapseList out;
  const auto& order = impl_->synapse_order(p.index);
  out.sources.reserve(order.size());
  out.targets.reserve(order.size());
  out.weights.reserve(order.size());
  out.delays.reserve(order.size());
  for (std::uint64_t k : order) {
    out.sources.push_back(src.user_id(source_of[k]));
    out.targets.push_back(tgt.user_id(target_of[k]));
    out.weights.push_back(c.weight(k));
    out.delays.push_back(detail::entry_delay(c.entries[k]));
  }
  return out;
}

ConnectivityStats Simulation::connectivity(ProjectionId p) const {
  (void)impl_->network.spec(p);
  return detail::connectivity_of(impl_->backend->structure(), p.index);
}

std::uint64_t Simulation::bandwidth(PopulationId p) const {
  (void)impl_->network.spec(p);
  return detail::bandwidth_of(impl_->backend->structure(), p.index);
}

MemoryReport Simulation::memory() const {
  MemoryReport r = impl_->backend->memory();
  for (const auto& s : impl_->spikes) {
    r.recording_bytes += s.steps.capacity() * sizeof(Step) + s.neurons.capacity() * 4;
  }
  for (const auto& t : impl_->traces) {
    r.recording_bytes += t.steps.capacity() * sizeof(Step) + t.values.capacity() * sizeof(double);
  }
  return r;
}

}  // namespace spikeq
