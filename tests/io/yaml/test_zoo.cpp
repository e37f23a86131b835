// The model zoo: every model validates; the small ones run and land in their documented
// bands; each gives the same spikes as its C++ twin (bench/networks) for the same seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "networks.hpp"
#include "spikeq/io/model_file.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

std::string model_path(const char* name) { return std::string(SPIKEQ_MODELS_DIR) + "/" + name; }

io::LoadedModel load(const char* name, io::ModelFileOptions options = {}) {
  return io::load_model_file(model_path(name), options);
}

/// Spikes (steps, ids) of every population after `ms`.
std::vector<SpikeRecord> run(const Network& net, const SimulationOptions& options, double ms) {
  Simulation sim(net, options);
  sim.run(ms);
  std::vector<SpikeRecord> out;
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) out.push_back(sim.spikes(PopulationId{p}));
  return out;
}

void check_same_spikes(const Network& a, const Network& b, const SimulationOptions& options, double ms) {
  const auto sa = run(a, options, ms);
  const auto sb = run(b, options, ms);
  REQUIRE(sa.size() == sb.size());
  std::size_t total = 0;
  for (std::size_t p = 0; p < sa.size(); ++p) {
    CHECK(sa[p].steps == sb[p].steps);
    CHECK(sa[p].neurons == sb[p].neurons);
    total += sa[p].size();
  }
  CHECK(total > 100);
}

double rate(const io::LoadedModel& m, double ms) {
  Simulation sim(m.network, m.options);
  sim.run(ms);
  std::uint64_t spikes = 0, neurons = 0;
  for (std::uint32_t p = 0; p < m.network.populations().size(); ++p) {
    spikes += sim.spike_count(PopulationId{p});
    neurons += m.network.populations()[p].size;
  }
  return static_cast<double>(spikes) / static_cast<double>(neurons) / (ms * 1e-3);
}

}  // namespace

TEST_CASE("every zoo model validates") {
  for (const char* name : {"izhikevich2003.yaml", "vogels_abbott_cuba.yaml", "vogels_abbott_coba.yaml",
                           "brunel2000.yaml", "potjans_diesmann_microcircuit.yaml",
                           "izhikevich2006_polychronization.yaml", "izhikevich2007_dastdp.yaml",
                           "reservoir_three_factor.yaml", "replay_shd.yaml"}) {
    CAPTURE(name);
    const io::LoadedModel m = load(name);
    const ValidationReport r = validate(m.network, m.options);
    CHECK(r.neurons > 0);
    CHECK(m.duration.has_value());
    CHECK_FALSE(m.output.empty());
  }
  for (const char* variant : {"SR", "AI", "SI_fast", "SI_slow"}) {
    CAPTURE(variant);
    const io::LoadedModel m = load("brunel2000.yaml", {.variant = variant});
    CHECK(validate(m.network, m.options).synapses == 15625000.0);
  }
  // Its weights ship in models/data: without them the model does not load, and this fails.
  CHECK(validate(load("elm_neuronio.yaml").network, {}).neurons == 1279);
  const io::LoadedModel pd = load("potjans_diesmann_microcircuit.yaml");
  const ValidationReport r = validate(pd.network, pd.options);
  CHECK(r.neurons == 77169);
  CHECK(r.synapses == doctest::Approx(2.989e8).epsilon(0.001));  // "about 0.3 billion"
}

TEST_CASE("Izhikevich 2003: the YAML model is the C++ example, spike for spike, in its band") {
  const io::LoadedModel m = load("izhikevich2003.yaml");
  const auto twin = spikeq_bench::make_izhikevich2003(1000, m.options.seed);
  check_same_spikes(m.network, twin.network, m.options, 300.0);
  const double r = rate(m, 1000.0);
  CHECK(r > 6.5);  // docs/models/izhikevich2003.md
  CHECK(r < 9.0);
}

/// Spikes and every weight of two plastic networks after `ms`, byte for byte.
void check_same_learning(const Network& a, const Network& b, const SimulationOptions& options,
                         double ms) {
  check_same_spikes(a, b, options, ms);
  Simulation sa(a, options), sb(b, options);
  sa.run(ms);
  sb.run(ms);
  REQUIRE(a.projections().size() == b.projections().size());
  for (std::uint32_t k = 0; k < a.projections().size(); ++k) {
    CAPTURE(a.projections()[k].name);
    CHECK(a.projections()[k].name == b.projections()[k].name);
    CHECK(sa.weights(ProjectionId{k}) == sb.weights(ProjectionId{k}));
  }
}

TEST_CASE("Izhikevich 2006 and 2007: the YAML models are the C++ networks, weight for weight") {
  const io::LoadedModel poly = load("izhikevich2006_polychronization.yaml");
  check_same_learning(poly.network, spikeq_bench::make_polychronization(1000, true).network,
                      poly.options, 3000.0);
  const io::LoadedModel da = load("izhikevich2007_dastdp.yaml");
  check_same_learning(da.network, spikeq_bench::make_dastdp(1000).network, da.options, 3000.0);
}

TEST_CASE("reservoir with a three-factor readout: the YAML model is the C++ network") {
  const io::LoadedModel m = load("reservoir_three_factor.yaml");
  check_same_learning(m.network,
                      spikeq_bench::make_reservoir_three_factor({.seed = m.options.seed}).network,
                      m.options, 10000.0);
}

TEST_CASE("Vogels-Abbott CUBA and COBA: as the C++ benchmark networks, and in their bands") {
  const io::LoadedModel cuba = load("vogels_abbott_cuba.yaml");
  check_same_spikes(cuba.network, spikeq_bench::make_cuba(4000).network, cuba.options, 200.0);
  const double rc = rate(cuba, 1000.0);
  CHECK(rc > 4.5);  // models.md V14: 4.9-6.0 Hz; docs/models/vogels_abbott.md
  CHECK(rc < 6.5);
  const io::LoadedModel coba = load("vogels_abbott_coba.yaml");
  check_same_spikes(coba.network, spikeq_bench::make_coba(4000).network, coba.options, 200.0);
  const double ro = rate(coba, 1000.0);
  CHECK(ro > 15.0);  // models.md V15: 15.7-20.7 Hz
  CHECK(ro < 22.0);
}

TEST_CASE("Brunel 2000: as the C++ network, and each regime in its band") {
  const io::LoadedModel ai = load("brunel2000.yaml");
  check_same_spikes(ai.network, spikeq_bench::make_brunel2000(10000).network, ai.options, 100.0);
  // docs/models/brunel2000.md: bands around the measured rates (here over 200 ms).
  struct Band { const char* variant; double lo, hi; };
  for (const Band b : {Band{"AI", 30.0, 45.0}, Band{"SR", 250.0, 400.0}, Band{"SI_fast", 45.0, 75.0},
                       Band{"SI_slow", 3.0, 8.0}}) {
    CAPTURE(b.variant);
    const double r = rate(load("brunel2000.yaml", {.variant = b.variant}), 200.0);
    CHECK(r > b.lo);
    CHECK(r < b.hi);
  }
}

TEST_CASE("Potjans-Diesmann: a scaled-down copy builds what its YAML says") {
  const io::LoadedModel m = load("potjans_diesmann_microcircuit.yaml", {.set = {"parameters.scale=0.02"}});
  check_same_spikes(m.network, spikeq_bench::make_potjans_diesmann(0.02).network, m.options, 100.0);
  Simulation sim(m.network, m.options);
  std::uint64_t neurons = 0;
  for (const auto& p : m.network.populations()) neurons += p.size;
  CHECK(neurons == 1544);
  // In-degrees follow NEST's total-number formula per pair.
  const auto& net = m.network;
  const ProjectionId l4e_l23e = net.projection("L4E->L23E");
  const auto stats = sim.connectivity(l4e_l23e);
  const double n_pre = 438, n_post = 414;  // round(0.02 * 21915), round(0.02 * 20683)
  const double k = std::round(std::log(1 - 0.0437) / std::log(1 - 1 / (n_pre * n_post)) / n_post);
  CHECK(stats.min_in == k);
  CHECK(stats.max_in == k);
  sim.run(100.0);
  CHECK(sim.spike_count(net.population("L5E")) > 0);
}

TEST_CASE("ELM NeuronIO: subthreshold at the base rates, spiking under excitatory drive") {
  struct Outcome {
    std::size_t spikes;
    double p_max, v_min, v_mean, v_max;
    std::vector<double> p;
  };
  auto outcome = [](const char* variant, SimulationOptions extra) {
    io::LoadedModel m = load("elm_neuronio.yaml", {.variant = variant});
    m.options.backend = extra.backend;
    m.options.threads = extra.threads;
    const PopulationId neuron = m.network.population("neuron");
    const RecorderId p{0}, v{1};  // the model's state recorders, in file order
    Simulation sim(m.network, m.options);
    sim.run(*m.duration);
    const StateTrace& tp = sim.trace(p);
    const StateTrace& tv = sim.trace(v);
    REQUIRE(tv.variable == "V_m");
    // The first 100 ms are the memory settling from its zero start.
    const std::vector<double> vs(tv.values.begin() + 100, tv.values.end());
    double mean = 0.0;
    for (double x : vs) mean += x / static_cast<double>(vs.size());
    return Outcome{sim.spikes(neuron).size(),
                   *std::max_element(tp.values.begin(), tp.values.end()),
                   *std::min_element(vs.begin(), vs.end()), mean,
                   *std::max_element(vs.begin(), vs.end()), tp.values};
  };
  const Outcome rest = outcome("rest", {});
  MESSAGE("rest: " << rest.spikes << " spikes, p <= " << rest.p_max << ", V_m " << rest.v_min
                   << " .. " << rest.v_max << " mV (mean " << rest.v_mean << ")");
  // The reference's stationary sequence: P <= 2.1e-4, V between -10.5 and -6.1 mV above
  // the -67.7 mV bias.
  CHECK(rest.spikes == 0);
  CHECK(rest.p_max < 1e-3);
  CHECK(rest.v_min > -67.7 - 11.0);
  CHECK(rest.v_max < -67.7 - 5.5);
  const Outcome drive = outcome("drive", {});
  MESSAGE("drive: " << drive.spikes << " spikes, p <= " << drive.p_max << ", V_m mean "
                    << drive.v_mean << " mV");
  CHECK(drive.spikes >= 5);
  CHECK(drive.spikes <= 100);
  CHECK(drive.v_mean > rest.v_mean + 8.0);
  const Outcome threaded = outcome("drive", {.backend = "tbb", .threads = 2});
  CHECK(threaded.spikes == drive.spikes);
  CHECK(threaded.p == drive.p);
}

TEST_CASE("replay_shd: the SHD samples reach the layer, which answers during samples only") {
  const io::LoadedModel m = load("replay_shd.yaml");
  Simulation sim(m.network, m.options);
  sim.run(*m.duration);
  const SpikeRecord& in = sim.spikes(m.network.population("cochlea"));
  const SpikeRecord& layer = sim.spikes(m.network.population("layer"));
  // 41 556 spikes in the file; 841 fall into a step of their channel that already has one.
  CHECK(in.size() == 40715);
  const double rate = static_cast<double>(layer.size()) / 200.0 / (*m.duration * 1e-3);
  MESSAGE("layer: " << layer.size() << " spikes, " << rate << " Hz");
  CHECK(rate > 8.0);
  CHECK(rate < 20.0);
  // The samples, from the file's labels and lengths, 100 ms apart.
  io::ReplayOptions o{.path = std::string(SPIKEQ_MODELS_DIR) + "/data/shd_example.h5",
                      .format = io::ReplayFormat::shd, .gap = 100.0};
  const auto samples = io::shd_schedule(o);
  REQUIRE(samples.size() == 4);
  CHECK(samples[0].label == 3);
  CHECK(samples[3].label == 1);
  // Silent in the gaps once the longest delay (20 ms) and the membrane (~50 ms) are past.
  for (std::size_t k = 0; k + 1 < samples.size(); ++k) {
    const double quiet_from = samples[k].stop + 70.0, quiet_to = samples[k + 1].start;
    std::size_t inside = 0;
    for (std::size_t j = 0; j < layer.size(); ++j) {
      inside += layer.time(j) > quiet_from && layer.time(j) <= quiet_to ? 1 : 0;
    }
    CHECK(inside == 0);
  }
}
