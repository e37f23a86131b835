#include "spikeq/core/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <variant>

#include "spikeq/backends/backend.hpp"
#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/synapses/detail/graph.hpp"

namespace spikeq {

namespace {
constexpr const char* kBackends = "serial";

void check_options(const SimulationOptions& options) {
  if (options.threads < 0) {
    throw InvalidParameter("simulation: threads must be >= 0 (got " +
                           std::to_string(options.threads) + ")");
  }
  if (options.backend != "serial") {
    throw InvalidParameter("simulation: unknown backend '" + options.backend +
                           "' (available: " + kBackends + ")");
  }
  if (options.threads > 1) {
    throw InvalidParameter("simulation: the serial backend runs on one thread (threads = " +
                           std::to_string(options.threads) + " requested)");
  }
}

std::unique_ptr<detail::Backend> make_backend(const SimulationOptions& options,
                                              detail::BuiltNetwork net) {
  check_options(options);
  return detail::make_serial_backend(std::move(net));
}
}  // namespace

ValidationReport validate(const Network& network, const SimulationOptions& options) {
  check_options(options);
  return detail::validate_network(network, options);
}

struct Simulation::Impl {
  Network network;
  SimulationOptions options;
  BuildInfo info;
  std::unique_ptr<detail::Backend> backend;
  Step step = 0;
  std::vector<SpikeRecord> spikes;
  std::vector<std::uint64_t> counts;
  std::vector<StateTrace> traces;
  detail::SliceOutput out;

  void absorb(const detail::SliceOutput& slice) {
    const auto& state = backend->state();
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
    : impl_(std::make_unique<Impl>()) {
  const auto t0 = std::chrono::steady_clock::now();
  impl_->network = network;
  impl_->options = options;
  auto built = detail::build_network(network, options, impl_->info);
  impl_->backend = make_backend(options, std::move(built));
  const std::size_t np = network.populations().size();
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
  impl_->info.build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void Simulation::run(double duration) {
  const Step steps = duration_to_steps(duration, impl_->network.dt(), "run duration");
  const Step slice = impl_->info.min_delay;
  Step done = 0;
  while (done < steps) {
    const Step n = std::min(slice, steps - done);
    impl_->backend->advance(impl_->step, n, impl_->out);
    impl_->absorb(impl_->out);
    impl_->step += n;
    done += n;
  }
}

Step Simulation::step() const { return impl_->step; }
double Simulation::time() const { return static_cast<double>(impl_->step) * impl_->network.dt(); }
const Network& Simulation::network() const { return impl_->network; }
const BuildInfo& Simulation::build_info() const { return impl_->info; }
std::string Simulation::backend_name() const { return impl_->backend->name(); }

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
  const double seconds = time() * 1e-3;
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
  const auto& net = impl_->backend->state();
  const auto& proj = net.projections[p.index];
  const auto& src = net.populations[proj.source];
  const auto& tgt = net.populations[proj.target];
  const auto& c = proj.csr;
  SynapseList out;
  out.sources.reserve(c.size());
  for (std::uint32_t s = 0; s < c.n_source; ++s) {
    std::uint64_t g = c.uniform_delay ? 0 : c.group_ptr[s];
    for (std::uint64_t k = c.row_ptr[s]; k < c.row_ptr[s + 1]; ++k) {
      if (!c.uniform_delay) {
        while (c.row_ptr[s] + c.group_end[g] <= k) ++g;
      }
      out.sources.push_back(src.user_id(s));
      out.targets.push_back(tgt.user_id(c.targets[k]));
      out.weights.push_back(c.weight(k));
      out.delays.push_back(c.uniform_delay ? c.delay0 : c.group_delay[g]);
    }
  }
  return out;
}

std::vector<std::uint64_t> ConnectivityStats::in_histogram() const {
  std::vector<std::uint64_t> h(max_in + 1, 0);
  for (auto d : in_degree) ++h[d];
  return h;
}

std::vector<std::uint64_t> ConnectivityStats::out_histogram() const {
  std::vector<std::uint64_t> h(max_out + 1, 0);
  for (auto d : out_degree) ++h[d];
  return h;
}

ConnectivityStats Simulation::connectivity(ProjectionId p) const {
  (void)impl_->network.spec(p);
  const auto& net = impl_->backend->state();
  const auto& proj = net.projections[p.index];
  std::vector<std::uint64_t> in_internal;
  std::vector<std::uint64_t> out_internal;
  detail::degrees(proj.csr, in_internal, out_internal);
  ConnectivityStats s;
  const auto& src = net.populations[proj.source];
  const auto& tgt = net.populations[proj.target];
  s.in_degree.resize(in_internal.size());
  s.out_degree.resize(out_internal.size());
  for (std::uint32_t u = 0; u < tgt.size; ++u) s.in_degree[u] = in_internal[tgt.internal_id(u)];
  for (std::uint32_t u = 0; u < src.size; ++u) s.out_degree[u] = out_internal[src.internal_id(u)];
  auto summarise = [](const std::vector<std::uint64_t>& d, double& mean, double& sd,
                      std::uint64_t& lo, std::uint64_t& hi) {
    if (d.empty()) return;
    double sum = 0, sum2 = 0;
    for (auto x : d) {
      sum += static_cast<double>(x);
      sum2 += static_cast<double>(x) * static_cast<double>(x);
    }
    mean = sum / static_cast<double>(d.size());
    sd = std::sqrt(std::max(0.0, sum2 / static_cast<double>(d.size()) - mean * mean));
    auto [a, b] = std::minmax_element(d.begin(), d.end());
    lo = *a;
    hi = *b;
  };
  summarise(s.in_degree, s.mean_in, s.sd_in, s.min_in, s.max_in);
  summarise(s.out_degree, s.mean_out, s.sd_out, s.min_out, s.max_out);
  return s;
}

std::uint64_t Simulation::bandwidth(PopulationId p) const {
  (void)impl_->network.spec(p);
  const auto& net = impl_->backend->state();
  std::uint64_t bw = 0;
  for (const auto& proj : net.projections) {
    if (proj.source != p.index || proj.target != p.index) continue;
    for (std::uint32_t s = 0; s < proj.csr.n_source; ++s) {
      for (std::uint64_t k = proj.csr.row_ptr[s]; k < proj.csr.row_ptr[s + 1]; ++k) {
        const std::uint32_t t = proj.csr.targets[k];
        bw = std::max<std::uint64_t>(bw, s > t ? s - t : t - s);
      }
    }
  }
  return bw;
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
