// Reading model files into Networks: sections, units, values, parameters, variants,
// overrides, includes, and the locations errors point at.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "spikeq/io/model_file.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using io::load_model_text;

namespace {

const char* kSmall = R"(
simulation: {dt: 0.1 ms, duration: 50 ms, seed: 7}
populations:
  - name: a
    model: lif_psc_exp
    size: 10
    params: {tau_m: 0.02 s, V_th: -50 mV, I_e: 0.4 nA, V_init: {uniform: [-70 mV, -60 mV]}}
  - {name: b, model: lif_cond_exp, size: 5, params: {g_L: 10 nS, integrator: euler}}
projections:
  - {name: ab, source: a, target: b, rule: {fixed_indegree: 3}, weight: 2 nS, delay: {uniform: [1 ms, 2 ms]}, receptor: ex}
inputs:
  - {name: drive, target: a, type: poisson, rate: 1 kHz, weight: 5 pA}
  - {name: kick, target: b, type: dc, amplitude: 100 pA, start: 10 ms, stop: 20 ms}
recorders:
  spikes: [a]
  state: [{population: b, variable: V, neurons: [0, 2], interval: 1 ms}]
output: {file: small.h5}
)";

template <typename P>
const P& params_of(const Network& net, const char* name) {
  return std::get<P>(net.spec(net.population(name)).model);
}

}  // namespace

TEST_CASE("every section lands in the Network with values in internal units") {
  const io::LoadedModel m = load_model_text(kSmall, "small.yaml");
  const Network& net = m.network;
  CHECK(net.dt() == doctest::Approx(0.1));
  CHECK(*m.duration == 50.0);
  CHECK(m.options.seed == 7);
  CHECK(m.output == "small.h5");
  const auto& a = params_of<neurons::lif_psc_exp::params>(net, "a");
  CHECK(a.tau_m == 20.0);
  CHECK(a.V_th.constant() == -50.0);
  CHECK(a.I_e.constant() == 400.0);
  CHECK(std::get<Uniform>(a.V_init.variant()).low == -70.0);
  const auto& b = params_of<neurons::lif_cond_exp::params>(net, "b");
  CHECK(b.integrator == neurons::CondIntegrator::euler);
  const ProjectionSpec& ab = net.spec(net.projection("ab"));
  CHECK(std::get<connect::FixedIndegree>(ab.rule).k == 3);
  CHECK(ab.synapse.weight.constant() == 2.0);
  CHECK(ab.synapse.receptor == "ex");
  REQUIRE(net.inputs().size() == 2);
  CHECK(std::get<PoissonInput>(net.inputs()[0].input).rate == 1000.0);
  const auto& kick = std::get<CurrentInput>(net.inputs()[1].input);
  CHECK(kick.times == std::vector<double>{10.0, 20.0});
  CHECK(kick.amplitudes == std::vector<double>{100.0, 0.0});
  CHECK(net.spike_recording() == std::vector<bool>{true, false});
  REQUIRE(m.reports.size() == 1);
  CHECK(m.reports[0].units == "mV");
  CHECK(m.reports[0].neurons == std::vector<std::uint32_t>{0, 2});
  Simulation sim(net, m.options);
  sim.run(*m.duration);
  CHECK(sim.spike_count(net.population("a")) > 0);
}

TEST_CASE("spikes of every population are recorded unless the file says otherwise") {
  const io::LoadedModel m = load_model_text(
      "populations: [{name: p, model: poisson_source, size: 3, params: {rate: 5 Hz}}, "
      "{name: q, model: poisson_source, size: 3}]",
      "t.yaml");
  CHECK(m.network.spike_recording() == std::vector<bool>{true, true});
  const io::LoadedModel none = load_model_text(
      "populations: [{name: p, model: poisson_source, size: 3}]\nrecorders: {spikes: []}", "t.yaml");
  CHECK(none.network.spike_recording() == std::vector<bool>{false});
}

TEST_CASE("parameters, expressions and variants") {
  const char* text = R"(
parameters: {g: 5, J: 0.1 mV, C_E: 100, rate_base: 2 kHz, rate: "rate_base * g"}
variant: weak
variants:
  weak: {parameters: {g: 2}}
  strong: {parameters: {g: 8}}
populations:
  - {name: e, model: lif_psc_delta, size: 200}
projections:
  - {source: e, target: e, rule: {fixed_indegree: C_E}, weight: "-g * J", delay: 1.5 ms}
inputs:
  - {target: e, type: poisson, rate: rate, weight: J}
)";
  auto weight = [](const io::LoadedModel& m) { return m.network.projections()[0].synapse.weight.constant(); };
  auto rate = [](const io::LoadedModel& m) { return std::get<PoissonInput>(m.network.inputs()[0].input).rate; };
  const io::LoadedModel def = load_model_text(text, "v.yaml");
  CHECK(weight(def) == doctest::Approx(-0.2));
  CHECK(rate(def) == doctest::Approx(4000.0));  // derived parameters see the variant
  CHECK(std::get<connect::FixedIndegree>(def.network.projections()[0].rule).k == 100);
  const io::LoadedModel strong = load_model_text(text, "v.yaml", {.variant = "strong"});
  CHECK(weight(strong) == doctest::Approx(-0.8));
  const io::LoadedModel set = load_model_text(text, "v.yaml", {.set = {"parameters.g=10"}});
  CHECK(weight(set) == doctest::Approx(-1.0));
  CHECK_THROWS_WITH_AS(load_model_text(text, "v.yaml", {.variant = "stong"}),
                       doctest::Contains("no variant named 'stong'; did you mean 'strong'?"),
                       io::ModelError);
}

TEST_CASE("--set reaches any value: list items by name or index, new keys, whole values") {
  const char* text = R"(
populations:
  - {name: exc, model: lif_psc_exp, size: 4, params: {tau_m: 20 ms}}
  - {name: inh, model: lif_psc_exp, size: 2}
projections:
  - {source: exc, target: inh, rule: all_to_all, weight: 1 pA, delay: 1 ms}
)";
  const io::LoadedModel m = load_model_text(
      text, "s.yaml",
      {.set = {"populations.exc.params.tau_m=15 ms", "populations.inh.params.C_m=100 pF",
               "projections[0].weight={uniform: [1 pA, 3 pA]}", "projections.0.delay=2 ms",
               "simulation.seed=99"}});
  CHECK(std::get<neurons::lif_psc_exp::params>(m.network.populations()[0].model).tau_m == 15.0);
  CHECK(std::get<neurons::lif_psc_exp::params>(m.network.populations()[1].model).C_m == 100.0);
  CHECK(std::holds_alternative<Uniform>(m.network.projections()[0].synapse.weight.variant()));
  CHECK(m.network.projections()[0].synapse.delay.constant() == 2.0);
  CHECK(m.options.seed == 99);
  // Checked exactly like the file.
  CHECK_THROWS_WITH_AS(load_model_text(text, "s.yaml", {.set = {"populations.exc.params.tau_m=15 mV"}}),
                       doctest::Contains("--set: populations[0].params.tau_m: expected a time"),
                       io::ModelError);
  CHECK_THROWS_WITH_AS(load_model_text(text, "s.yaml", {.set = {"populations.exx.params.tau_m=15 ms"}}),
                       doctest::Contains("no item named 'exx'; did you mean 'exc'?"), io::ModelError);
  CHECK_THROWS_WITH_AS(load_model_text(text, "s.yaml", {.set = {"populations.exc.params.tau_mm=15 ms"}}),
                       doctest::Contains("unknown key 'tau_mm' for model lif_psc_exp; did you mean 'tau_m'?"),
                       io::ModelError);
  CHECK_THROWS_WITH_AS(load_model_text(text, "s.yaml", {.set = {"no_equals_sign"}}),
                       doctest::Contains("expected KEY.PATH=VALUE"), io::ModelError);
}

TEST_CASE("includes and parameter sets keep zoo files short") {
  const auto dir = std::filesystem::temp_directory_path() / "spikeq_include_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "common.yaml") << "parameter_sets:\n  fast: {tau_m: 5 ms, t_ref: 1 ms}\n"
                                        "simulation: {dt: 0.05 ms, seed: 3}\n";
  std::ofstream(dir / "model.yaml") << "include: common.yaml\nsimulation: {seed: 4}\n"
                                       "populations:\n  - {name: p, model: lif_psc_exp, size: 2, "
                                       "parameter_set: fast, params: {t_ref: 3 ms}}\n";
  const io::LoadedModel m = io::load_model_file((dir / "model.yaml").string());
  const auto& p = std::get<neurons::lif_psc_exp::params>(m.network.populations()[0].model);
  CHECK(p.tau_m == 5.0);   // from the set
  CHECK(p.t_ref == 3.0);   // own params win
  CHECK(m.network.dt() == doctest::Approx(0.05));  // from the include
  CHECK(m.options.seed == 4);                      // the including file wins
  CHECK(m.resolved_yaml.find("parameter_sets") != std::string::npos);
  std::ofstream(dir / "loop.yaml") << "include: loop.yaml\npopulations: []\n";
  CHECK_THROWS_WITH_AS(io::load_model_file((dir / "loop.yaml").string()),
                       doctest::Contains("include cycle"), io::ModelError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("spike_array inputs become a source population and a projection") {
  const io::LoadedModel m = load_model_text(R"(
populations: [{name: n, model: lif_psc_exp, size: 3}]
inputs:
  - {name: stim, target: n, type: spike_array, times: [[1 ms, 2 ms], [5 ms]], neurons: [2, 0], weight: 500 pA, delay: 0.5 ms}
)", "sa.yaml");
  const Network& net = m.network;
  REQUIRE(net.populations().size() == 2);
  CHECK(net.populations()[1].name == "stim");
  const auto& rule = std::get<connect::Explicit>(net.projections()[0].rule);
  CHECK(rule.targets == std::vector<std::uint32_t>{2, 0});
  Simulation sim(net);
  sim.run(10.0);
  CHECK(sim.spike_count(net.population("stim")) == 3);
}

TEST_CASE("errors carry file, line, column and key path, and core errors are located too") {
  try {
    (void)load_model_text("populations:\n  - {name: a, model: lif_psc_exp, size: 3, params: {tau_m: 20 mV}}\n",
                          "bad.yaml");
    FAIL("no error");
  } catch (const io::ModelError& e) {
    CHECK(std::string(e.what()).starts_with("bad.yaml:2:"));
    CHECK(e.where().path == "populations[0].params.tau_m");
    CHECK(e.where().line == 2);
  }
  // A delay out of range is found by the engine's checks; locate() points at the projection.
  const io::LoadedModel m = load_model_text(
      "populations: [{name: a, model: lif_psc_exp, size: 3}]\nprojections:\n"
      "  - {name: slow, source: a, target: a, rule: all_to_all, weight: 1 pA, delay: 0.01 ms}\n",
      "delay.yaml");
  try {
    (void)validate(m.network, m.options);
    FAIL("no error");
  } catch (const Error& e) {
    const io::ModelError located = io::locate(e, m);
    CHECK(std::string(located.what()).starts_with("delay.yaml:3:5: projections[0]: projection 'slow': delay 0.01 ms"));
  }
}

TEST_CASE("command-line times") {
  CHECK(io::parse_time("2 s", "--duration") == 2000.0);
  CHECK(io::parse_time("250", "--duration") == 250.0);
  CHECK_THROWS_WITH_AS(io::parse_time("2 mV", "--duration"), doctest::Contains("--duration: expected a time"),
                       io::ModelError);
}

TEST_CASE("cycle values: {cycle: [...], each: k}, each defaulting to 1") {
  const char* text = R"(
simulation: {dt: 0.1 ms}
parameters: {d_max: 20}
populations:
  - {name: exc, model: izhikevich, size: 8, params: {d: {cycle: [8, 2]}}}
projections:
  - {name: e, source: exc, target: exc, rule: {fixed_outdegree: 4}, weight: {cycle: [6 pA, 5 pA, 4 pA]},
     delay: {cycle: [1 ms, 2 ms, 0.5 * d_max], each: 5}}
inputs:
  - {name: thalamus, target: exc, type: noise, mean: 0 pA, sd: 3.75 pA, distribution: uniform}
  - {name: gauss, target: exc, type: noise, mean: 1 pA, sd: 2 pA}
)";
  const io::LoadedModel m = load_model_text(text, "cycle.yaml");
  const ProjectionSpec& e = m.network.spec(m.network.projection("e"));
  REQUIRE(e.synapse.delay.is_cycle());
  CHECK(e.synapse.delay.cycle().values == std::vector<double>{1.0, 2.0, 10.0});
  CHECK(e.synapse.delay.cycle().each == 5);
  REQUIRE(e.synapse.weight.is_cycle());
  CHECK(e.synapse.weight.cycle().values == std::vector<double>{6.0, 5.0, 4.0});
  CHECK(e.synapse.weight.cycle().each == 1);
  const auto& p = params_of<neurons::izhikevich::params>(m.network, "exc");
  REQUIRE(p.d.is_cycle());
  CHECK(p.d.cycle().values == std::vector<double>{8.0, 2.0});
  REQUIRE(m.network.inputs().size() == 2);
  const auto& thalamus = std::get<NoiseInput>(m.network.inputs()[0].input);
  CHECK(thalamus.distribution == NoiseDistribution::uniform);
  CHECK(thalamus.sd == 3.75);
  CHECK(std::get<NoiseInput>(m.network.inputs()[1].input).distribution == NoiseDistribution::normal);
  // Realised: neuron i gets d = 8, 2, 8, 2, ...; synapse n of the generation order its delay.
  Simulation sim(m.network, m.options);
  const auto s = sim.synapses(m.network.projection("e"));
  REQUIRE(s.sources.size() == 32);
  std::vector<int> per_delay(3, 0);
  for (std::uint32_t d : s.delays) per_delay[d == 10 ? 0 : d == 20 ? 1 : 2] += 1;
  // Elements 0..31 with each 5: 1 ms for n in [0,5) + [15,20) + [30,32), 2 ms for
  // [5,10) + [20,25), 10 ms for [10,15) + [25,30).
  CHECK(per_delay == std::vector<int>{12, 10, 10});

  auto error = [](const std::string& delay) {
    try {
      (void)load_model_text(
          "populations: [{name: a, model: lif_psc_exp, size: 3}]\nprojections:\n"
          "  - {source: a, target: a, rule: all_to_all, weight: 1 pA, delay: " + delay + "}\n",
          "c.yaml");
    } catch (const io::ModelError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("{cycle: []}").starts_with("c.yaml:3:"));
  CHECK(error("{cycle: []}").find("projections[0].delay.cycle: a cycle needs at least one value") !=
        std::string::npos);
  CHECK(error("{cycle: [1 ms], each: 0}").find("projections[0].delay.each: expected a whole number from 1") !=
        std::string::npos);
  CHECK(error("{cycle: [1 ms], each: 1.5}").find("got '1.5'") != std::string::npos);
  CHECK(error("{cycle: [1 mV]}").find("projections[0].delay.cycle[0]: expected a time") !=
        std::string::npos);
  CHECK(error("{cycle: 1 ms}").find("expected a list of") != std::string::npos);
  CHECK(error("{uniform: [1 ms, 2 ms], each: 2}").find("unknown key 'uniform' for a cycle") !=
        std::string::npos);
  CHECK(error("{cyle: [1 ms, 2 ms], each: 2}").find("did you mean 'cycle'?") != std::string::npos);
}
