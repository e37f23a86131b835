// Plasticity, modulators and weight recorders in model files: every key lands in the
// C++ specs (in internal units), and mistakes are errors at their key.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "spikeq/io/model_file.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/weights.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using io::load_model_text;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

// Every key of modulators, of both rules and of the three update forms. Projections
// name modulators declared further down the file.
const char* kPlastic = R"(
simulation: {dt: 0.1 ms, seed: 3}
parameters: {A: 0.1 pA}
populations:
  - {name: exc, model: lif_psc_exp, size: 100}
  - {name: da, model: poisson_source, size: 10}
  - {name: cond, model: lif_cond_exp, size: 20}
projections:
  - source: exc
    target: exc
    rule: {fixed_indegree: 10}
    weight: 6 pA
    delay: 2 ms
    plasticity:
      rule: stdp
      A_plus: A
      A_minus: 0.12
      tau_plus: 20 ms
      tau_minus: 0.03 s
      pairing: nearest
      weight_dependence: additive
      w_min: 0
      w_max: 0.01 nA
      dendritic_delay: 1 ms
      modulator: dopamine
      update: {interval: 1 s, bias: 0.01 pA, decay: 0.9}
  - {name: soft, source: exc, target: cond, rule: all_to_all, weight: 2 nS, delay: 1 ms,
     plasticity: {A_plus: 0.01, A_minus: 0.02, weight_dependence: power_law, mu_plus: 0.5,
                  mu_minus: 0.25, w_min: 1 nS, w_max: 3000 pS, modulator: dopamine,
                  update: {tau_c: 1 s}}}
  - {name: readout, source: exc, target: exc, rule: {fixed_indegree: 5}, weight: 1 pA, delay: 1 ms,
     receptor: ex,
     plasticity: {rule: error, eta: 0.002, tau_pre: 10 ms, tau_post: 50 ms, target: goal,
                  gate: dopamine, w_max: 0.1 nA, w_min: -inf, update: {interval: 10 ms}}}
  - {name: plain, source: da, target: exc, rule: all_to_all, weight: 1 pA, delay: 1 ms,
     plasticity: {}}
modulators:
  - name: dopamine
    tau: 200 ms
    baseline: 0.002
    initial: 0.1
    sources:
      - {type: spikes, population: da, neurons: [0, 3], amount: 0.5, delay: 1 ms}
      - {type: spikes, population: da, amount: 0.25}
      - {type: schedule, times: [1 s, 2.5 s], amounts: [0.5, 0.75]}
      - {type: pair_reward, first: {population: exc, neuron: 1}, second: {population: exc, neuron: 57},
         window: 20 ms, latency: [1 s, 3 s], amount: 0.5}
      - {type: pair_reward, first: {population: exc, neuron: 2}, second: {population: da, neuron: 9}}
  - {name: goal, tau: inf}
  - {name: bare}
recorders:
  weights:
    - {projection: exc->exc, interval: 10 s}
    - {projection: readout, interval: 2 ms}
)";

const plasticity::PlasticitySpec& plasticity_of(const Network& net, const char* projection) {
  const auto& p = net.spec(net.projection(projection)).synapse.plasticity;
  REQUIRE(p.has_value());
  return *p;
}

std::string load_error(const std::string& text) {
  try {
    (void)load_model_text(text, "m.yaml");
  } catch (const io::ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

/// kPlastic with `from` replaced by `to` (which must occur).
std::string edited(const std::string& from, const std::string& to) {
  std::string text = kPlastic;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("stdp with an interval update: every key, in internal units") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& p = plasticity_of(m.network, "exc->exc");
  const auto& s = std::get<plasticity::Stdp>(p.rule);
  CHECK(s.A_plus == doctest::Approx(0.1));
  CHECK(s.A_minus == doctest::Approx(0.12));
  CHECK(s.tau_plus == 20.0);
  CHECK(s.tau_minus == doctest::Approx(30.0));
  CHECK(s.pairing == plasticity::Pairing::nearest);
  CHECK(s.dependence == plasticity::WeightDependence::additive);
  CHECK(s.mu_plus == 1.0);  // defaults: power_law only
  CHECK(s.mu_minus == 1.0);
  CHECK(p.w_min == 0.0);
  CHECK(p.w_max == doctest::Approx(10.0));
  CHECK(p.dendritic_delay == 1.0);
  CHECK(p.modulator == "dopamine");
  const auto& iv = std::get<plasticity::Interval>(p.apply);
  CHECK(iv.interval == 1000.0);
  CHECK(iv.bias == doctest::Approx(0.01));
  CHECK(iv.decay == doctest::Approx(0.9));
}

TEST_CASE("power-law stdp with an eligibility trace, bounds in the receptor's unit") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& p = plasticity_of(m.network, "soft");
  const auto& s = std::get<plasticity::Stdp>(p.rule);
  CHECK(s.dependence == plasticity::WeightDependence::power_law);
  CHECK(s.A_plus == doctest::Approx(0.01));
  CHECK(s.A_minus == doctest::Approx(0.02));
  CHECK(s.mu_plus == 0.5);
  CHECK(s.mu_minus == 0.25);
  CHECK(s.pairing == plasticity::Pairing::all_to_all);
  CHECK(s.tau_plus == 20.0);
  CHECK(p.w_min == 1.0);
  CHECK(p.w_max == doctest::Approx(3.0));  // 3000 pS
  CHECK(std::get<plasticity::Eligibility>(p.apply).tau_c == 1000.0);
}

TEST_CASE("the error rule: eta, traces, target and gate, an infinite bound") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& p = plasticity_of(m.network, "readout");
  const auto& e = std::get<plasticity::ErrorRule>(p.rule);
  CHECK(e.eta == doctest::Approx(0.002));
  CHECK(e.tau_pre == 10.0);
  CHECK(e.tau_post == 50.0);
  CHECK(e.target == "goal");
  CHECK(e.gate == "dopamine");
  CHECK(p.w_max == 100.0);
  CHECK(p.w_min == -kInf);
  CHECK(p.modulator.empty());
  CHECK(std::get<plasticity::Interval>(p.apply).interval == doctest::Approx(10.0));
}

TEST_CASE("Oja's rule: eta, traces and the weight scale in the receptor's unit") {
  const io::LoadedModel m = load_model_text(
      edited("plasticity: {rule: error, eta: 0.002, tau_pre: 10 ms, tau_post: 50 ms, target: goal,\n"
             "                  gate: dopamine, w_max: 0.1 nA, w_min: -inf, update: {interval: 10 ms}}",
             "plasticity: {rule: oja, eta: 0.004, tau_pre: 15 ms, tau_post: 0.03 s, scale: 0.05 nA,\n"
             "                  w_max: 0.1 nA, update: {interval: 2 ms}}"),
      "oja.yaml");
  const auto& p = plasticity_of(m.network, "readout");
  const auto& o = std::get<plasticity::OjaRule>(p.rule);
  CHECK(o.eta == doctest::Approx(0.004));
  CHECK(o.tau_pre == 15.0);
  CHECK(o.tau_post == doctest::Approx(30.0));
  CHECK(o.scale == doctest::Approx(50.0));  // pA
  CHECK(std::get<plasticity::Interval>(p.apply).interval == doctest::Approx(2.0));
  CHECK(load_error(edited("rule: error, eta: 0.002", "rule: oja, eta: 0.002")).find(
            "unknown key 'target' for oja-rule plasticity: 'target' is a key of rule 'error'") !=
        std::string::npos);
}

TEST_CASE("Oja's subspace rule and Sanger's rule: the same keys as Oja's") {
  for (const std::string name : {"oja_subspace", "sanger"}) {
    CAPTURE(name);
    const std::string text =
        edited("plasticity: {rule: error, eta: 0.002, tau_pre: 10 ms, tau_post: 50 ms, target: goal,\n"
               "                  gate: dopamine, w_max: 0.1 nA, w_min: -inf, update: {interval: 10 ms}}",
               "plasticity: {rule: " + name + ", eta: 0.004, tau_pre: 15 ms, tau_post: 0.03 s,\n"
               "                  scale: 0.05 nA, w_min: -0.1 nA, w_max: 0.1 nA, update: {interval: 2 ms}}");
    const io::LoadedModel m = load_model_text(text, name + ".yaml");
    const auto& p = plasticity_of(m.network, "readout");
    CHECK(plasticity::couples_targets(p));
    std::visit(
        [&](const auto& rule) {
          if constexpr (requires { rule.form; }) {
            CHECK(rule.name == name);
            CHECK(rule.eta == doctest::Approx(0.004));
            CHECK(rule.tau_post == doctest::Approx(30.0));
            CHECK(rule.scale == doctest::Approx(50.0));  // pA
          } else {
            FAIL("not a Hebbian rule");
          }
        },
        p.rule);
    std::string bad = text;
    bad.replace(bad.find("update: {interval: 2 ms}"), 24, "update: {tau_c: 1 s}");
    CHECK(load_error(bad).find("unknown key 'tau_c' for the update of the " + name + " rule") !=
          std::string::npos);
  }
}

TEST_CASE("an empty plasticity map is default stdp, and no plasticity key is none") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& p = plasticity_of(m.network, "plain");
  const auto& s = std::get<plasticity::Stdp>(p.rule);
  const plasticity::Stdp defaults;
  CHECK(s.A_plus == defaults.A_plus);
  CHECK(s.A_minus == defaults.A_minus);
  CHECK(std::holds_alternative<plasticity::Immediate>(p.apply));
  CHECK(p.w_min == 0.0);
  CHECK(p.w_max == kInf);
  CHECK(p.dendritic_delay == 0.0);
  CHECK(p.modulator.empty());
  const io::LoadedModel plain = load_model_text(R"(
populations: [{name: a, model: lif_psc_exp, size: 2}]
projections: [{source: a, target: a, rule: all_to_all, weight: 1, delay: 1}]
)", "plain.yaml");
  CHECK_FALSE(plain.network.projections()[0].synapse.plasticity.has_value());
}

TEST_CASE("modulators: tau, baseline, initial and the three kinds of sources") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& mods = m.network.modulators();
  REQUIRE(mods.size() == 3);
  const ModulatorSpec& da = mods[0];
  CHECK(da.name == "dopamine");
  CHECK(da.tau == 200.0);
  CHECK(da.baseline == doctest::Approx(0.002));
  CHECK(da.initial == doctest::Approx(0.1));
  REQUIRE(da.sources.size() == 5);

  const auto& spikes = std::get<modulation::FromSpikes>(da.sources[0]);
  CHECK(spikes.population == m.network.population("da").index);
  CHECK(spikes.neurons == std::vector<std::uint32_t>{0, 3});
  CHECK(spikes.amount == 0.5);
  CHECK(spikes.delay == 1.0);
  const auto& all = std::get<modulation::FromSpikes>(da.sources[1]);
  CHECK(all.neurons.empty());
  CHECK(all.amount == 0.25);
  CHECK(all.delay == 0.0);  // the network's minimum delay

  const auto& schedule = std::get<modulation::Schedule>(da.sources[2]);
  CHECK(schedule.times == std::vector<double>{1000.0, 2500.0});
  CHECK(schedule.amounts == std::vector<double>{0.5, 0.75});

  const auto& reward = std::get<modulation::PairReward>(da.sources[3]);
  CHECK(reward.first_population == m.network.population("exc").index);
  CHECK(reward.first == 1);
  CHECK(reward.second_population == m.network.population("exc").index);
  CHECK(reward.second == 57);
  CHECK(reward.window == 20.0);
  CHECK(reward.latency_min == 1000.0);
  CHECK(reward.latency_max == 3000.0);
  CHECK(reward.amount == 0.5);
  const auto& defaults = std::get<modulation::PairReward>(da.sources[4]);
  CHECK(defaults.second_population == m.network.population("da").index);
  CHECK(defaults.second == 9);
  const modulation::PairReward d;
  CHECK(defaults.window == d.window);
  CHECK(defaults.latency_min == d.latency_min);
  CHECK(defaults.latency_max == d.latency_max);
  CHECK(defaults.amount == d.amount);

  CHECK(mods[1].name == "goal");
  CHECK(mods[1].tau == kInf);
  CHECK(mods[2].tau == kInf);  // omitted: no decay
  CHECK(mods[2].baseline == 0.0);
  CHECK(mods[2].initial == 0.0);
  CHECK(mods[2].sources.empty());
  CHECK(m.locations.count("modulator 'goal'") == 1);
}

TEST_CASE("weight recorders name projections, and the model validates and runs") {
  const io::LoadedModel m = load_model_text(kPlastic, "plastic.yaml");
  const auto& recs = m.network.weight_recorders();
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].projection == m.network.projection("exc->exc"));
  CHECK(recs[0].interval == 10000.0);
  CHECK(recs[1].projection == m.network.projection("readout"));
  CHECK(recs[1].interval == doctest::Approx(2.0));
  CHECK_NOTHROW((void)validate(m.network, m.options));
  Simulation sim(m.network, m.options);
  sim.run(10.0);
  CHECK(sim.weight_trace(WeightRecorderId{1}).samples() == 5);
}

TEST_CASE("mistakes in plasticity, modulators and weight recorders are located errors") {
  struct Case {
    const char* from;
    const char* to;
    const char* message;
  };
  const Case cases[] = {
      {"pairing: nearest", "pairing: closest",
       "m.yaml:20:16: projections[0].plasticity.pairing: unknown value 'closest'"},
      {"rule: stdp", "rule: hebb",
       "projections[0].plasticity.rule: unknown value 'hebb' (expected one of 'stdp', 'error', 'vogels_sprekeler', 'oja', 'oja_subspace', 'sanger')"},
      {"A_minus: 0.12", "A_minus: 0.12 nS",
       "projections[0].plasticity.A_minus: expected a current"},
      {"A_minus: 0.12", "A_minus: [0.12]", "projections[0].plasticity.A_minus: expected a current"},
      {"w_max: 0.01 nA", "w_max: 10 mV", "projections[0].plasticity.w_max: expected a current"},
      {"w_min: 0\n", "w_min: 20\n",
       "projections[0].plasticity.w_max: w_min (20) must not exceed w_max (10)"},
      {"tau_minus: 0.03 s", "tau_minus: 0 ms", "tau_minus must be > 0 ms"},
      {"tau_minus: 0.03 s", "tau_c: 1 s",
       "projections[0].plasticity.tau_c: unknown key 'tau_c' for stdp plasticity"},
      {"mu_plus: 0.5", "mu_plus: 0.5 ms", "projections[1].plasticity.mu_plus: expected a number"},
      {"weight_dependence: additive", "weight_dependence: additive\n      mu_plus: 2",
       "mu_plus applies to weight_dependence: power_law only"},
      {"eta: 0.002", "eta: 0.002, A_plus: 1",
       "projections[2].plasticity.A_plus: unknown key 'A_plus' for error-rule plasticity: 'A_plus' "
       "is a key of rule 'stdp'"},
      {"gate: dopamine,", "modulator: dopamine,",
       "unknown key 'modulator' for error-rule plasticity: 'modulator' is a key of rule 'stdp'"},
      {"target: goal,", "",
       "projections[2].plasticity: missing key 'target' for error-rule plasticity"},
      {"target: goal,", "target: gool,",
       "projections[2].plasticity.target: no modulator named 'gool'; did you mean 'goal'? "
       "(modulators: 'dopamine', 'goal', 'bare')"},
      {"update: {interval: 10 ms}", "update: {tau_c: 1 s}",
       "projections[2].plasticity.update.tau_c: unknown key 'tau_c' for the update of the "
       "error rule"},
      {"update: {tau_c: 1 s}", "update: {tau_c: 1 s, decay: 0.5}",
       "projections[1].plasticity.update.decay: 'decay' belongs to an interval update"},
      {"update: {interval: 1 s, bias", "update: {intervall: 1 s, bias",
       "update.intervall: unknown key 'intervall' for an update; did you mean 'interval'?"},
      {"update: {interval: 1 s, bias: 0.01 pA, decay: 0.9}", "update: [1 s]",
       "projections[0].plasticity.update: expected immediate, {interval: T, bias: b, decay: d} or "
       "{tau_c: T}, got a list"},
      {"plasticity: {}", "plasticity: stdp",
       "projections[3].plasticity: expected a map of plasticity settings"},
      {"tau: 200 ms", "tau: 200 mV", "modulators[0].tau: expected a time"},
      {"tau: inf}", "tau: 0}", "modulators[1].tau: tau must be > 0 ms, or inf for no decay"},
      {"baseline: 0.002", "baselin: 0.002",
       "modulators[0].baselin: unknown key 'baselin' for a modulator; did you mean 'baseline'?"},
      {"{name: bare}", "{name: dopamine}",
       "modulators[2].name: modulator 'dopamine' is defined twice"},
      {"{name: bare}", "{name: ba.re}", "modulators[2].name: 'ba.re' is not a usable name"},
      {"neurons: [0, 3]", "neurons: [0, 10]",
       "modulators[0].sources[0].neurons[1]: neuron 10 is out of range for population 'da' of 10"},
      {"population: da, amount: 0.25}", "population: da}",
       "modulators[0].sources[1]: missing key 'amount' for a spikes source"},
      {"amount: 0.25}", "amount: 0.25, window: 1 ms}",
       "modulators[0].sources[1].window: unknown key 'window' for a spikes source"},
      {"population: da, amount: 0.25", "population: dq, amount: 0.25",
       "modulators[0].sources[1].population: no population named 'dq'; did you mean 'da'?"},
      {"amounts: [0.5, 0.75]", "amounts: [0.5]",
       "modulators[0].sources[2].amounts: expected one amount per time (2), got 1"},
      {"times: [1 s, 2.5 s]", "times: [2.5 s, 1 s]",
       "modulators[0].sources[2].times[1]: schedule times must be >= 0 ms and ascending"},
      {"latency: [1 s, 3 s]", "latency: [3 s, 1 s]",
       "modulators[0].sources[3].latency: latency needs"},
      {"latency: [1 s, 3 s]", "latency: 1 s", "expected [min, max], a list of two times"},
      {"neuron: 57}", "neuron: 100}",
       "modulators[0].sources[3].second.neuron: neuron 100 is out of range for population "
       "'exc' of 100"},
      {"neuron: 57}", "id: 57}",
       "modulators[0].sources[3].second.id: unknown key 'id' for a pair_reward neuron"},
      {"{type: schedule,", "{kind: schedule,",
       "modulators[0].sources[2]: missing key 'type' for a modulator source"},
      {"{projection: readout, interval: 2 ms}", "{projection: exc->exc, interval: 2 ms}",
       "recorders.weights[1].projection: the weights of projection 'exc->exc' are recorded twice"},
      {"{projection: readout, interval: 2 ms}", "{projection: readout, interval: 0 ms}",
       "recorders.weights[1].interval: interval must be > 0 ms"},
      {"{projection: readout, interval: 2 ms}", "{projection: readout}",
       "recorders.weights[1]: missing key 'interval' for a weight recorder"},
      {"{projection: readout, interval: 2 ms}", "{projection: readout, interval: 2 ms, file: w.h5}",
       "recorders.weights[1].file: unknown key 'file' for a weight recorder"},
  };
  for (const Case& c : cases) {
    const std::string to = c.to;
    CAPTURE(to);
    const std::string message = load_error(edited(c.from, c.to));
    CAPTURE(message);
    CHECK(message.find(c.message) != std::string::npos);
    CHECK(message.rfind("m.yaml:", 0) == 0);
  }
}

TEST_CASE("modulators resolve spike_array populations and --set reaches them") {
  const io::LoadedModel m = load_model_text(R"(
populations: [{name: a, model: lif_psc_exp, size: 2}]
inputs:
  - {name: cue, target: a, type: spike_array, times: [[1 ms], [2 ms]], weight: 1, delay: 1}
modulators:
  - {name: da, tau: 100 ms, sources: [{type: spikes, population: cue, amount: 1}]}
)", "m.yaml", {.set = {"modulators.da.tau=inf", "modulators.da.baseline=0.5"}});
  REQUIRE(m.network.modulators().size() == 1);
  CHECK(m.network.modulators()[0].tau == kInf);
  CHECK(m.network.modulators()[0].baseline == 0.5);
  CHECK(std::get<modulation::FromSpikes>(m.network.modulators()[0].sources[0]).population ==
        m.network.population("cue").index);
}

TEST_CASE("engine errors about modulators point at their definition") {
  const io::LoadedModel m = load_model_text(R"(
populations: [{name: a, model: lif_psc_exp, size: 2}]
modulators:
  - {name: da}
  - name: late
    sources: [{type: schedule, times: [0.25 ms], amounts: [1]}]
)", "m.yaml");
  try {
    (void)validate(m.network, m.options);
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string message = io::locate(e, m).what();
    CAPTURE(message);
    CHECK(message.rfind("m.yaml:5:5: modulators[1]: modulator 'late': schedule time", 0) == 0);
  }
}

TEST_CASE("weight series in a spike file: round trip, no synapses, unusable names") {
  const std::string path =
      (std::filesystem::temp_directory_path() / "spikeq_test_weights.h5").string();
  {
    io::SpikeFileWriter spikes(path, io::RunMetadata{}, {{"a", 3}});
    std::vector<io::WeightSeriesInfo> series{
        {"a->a", "pA", {0, 1, 2}, {1, 2, 0}, {1.0, 1.5, 2.0}},
        {"empty", "nS", {}, {}, {}}};
    CHECK_THROWS_AS(io::WeightFileWriter(path, {{"a/b", "pA", {}, {}, {}}}), InvalidParameter);
    CHECK_THROWS_AS(io::WeightFileWriter(path, {series[0], series[0]}), InvalidParameter);
    io::WeightFileWriter weights(path, series);
    const std::vector<double> t1{10.0}, t2{20.0, 30.0};
    const std::vector<float> v1{1, 2, 3}, v2{4, 5, 6, 7, 8, 9};
    weights.append(0, t1.data(), v1.data(), 1);
    weights.append(0, t2.data(), v2.data(), 2);
    weights.append(1, t2.data(), nullptr, 2);
    CHECK_THROWS_AS(weights.append(0, t1.data(), v1.data(), 1), InvalidParameter);  // time order
    weights.flush();
    weights.close();
    spikes.close();
  }
  const std::vector<io::WeightSeries> read = io::read_weight_series(path);
  REQUIRE(read.size() == 2);
  CHECK(read[0].projection == "a->a");
  CHECK(read[0].units == "pA");
  CHECK(read[0].source_ids == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(read[0].target_ids == std::vector<std::uint32_t>{1, 2, 0});
  CHECK(read[0].delays == std::vector<double>{1.0, 1.5, 2.0});
  CHECK(read[0].times == std::vector<double>{10.0, 20.0, 30.0});
  CHECK(io::read_weight_snapshot(path, "a->a", 0) == std::vector<float>{1, 2, 3});
  CHECK(io::read_weight_snapshot(path, "a->a", 2) == std::vector<float>{7, 8, 9});
  CHECK_THROWS_AS((void)io::read_weight_snapshot(path, "a->a", 3), io::FileError);
  CHECK(read[1].synapses() == 0);
  CHECK(read[1].snapshots() == 2);
  CHECK(read[1].units == "nS");
  CHECK(io::read_weight_snapshot(path, "empty", 1).empty());
  CHECK(io::read_spike_file(path).populations.size() == 1);  // the spike file still reads
  std::filesystem::remove(path);
}

TEST_CASE("Vogels-Sprekeler inhibitory STDP: eta in the weight unit, tau, rho0") {
  const io::LoadedModel m = load_model_text(R"(
simulation: {dt: 0.1 ms}
populations:
  - {name: exc, model: lif_psc_exp, size: 20}
projections:
  - {source: exc, target: exc, rule: all_to_all, weight: -5 pA, delay: 1 ms, receptor: in,
     plasticity: {rule: vogels_sprekeler, eta: 0.5 pA, tau: 15 ms, rho0: 4 Hz,
                  w_min: -50 pA, w_max: 0 pA}}
)", "vs.yaml");
  const auto& spec = *m.network.projections().at(0).synapse.plasticity;
  const auto& v = std::get<plasticity::VogelsSprekeler>(spec.rule);
  CHECK(v.eta == 0.5);
  CHECK(v.tau == 15.0);
  CHECK(v.rho0 == 4.0);
  CHECK(spec.w_min == -50.0);
  CHECK(spec.w_max == 0.0);
  CHECK(std::holds_alternative<plasticity::Immediate>(spec.apply));
  CHECK_THROWS_WITH_AS(load_model_text(R"(
populations:
  - {name: exc, model: lif_psc_exp, size: 20}
projections:
  - {source: exc, target: exc, rule: all_to_all, weight: -5 pA, delay: 1 ms, receptor: in,
     plasticity: {rule: vogels_sprekeler, update: {interval: 1 s}, w_min: -50 pA, w_max: 0 pA}}
)", "vs_bad.yaml"),
                       doctest::Contains("changes weights at once"), io::ModelError);
}

namespace {
const char* const kHlop = R"(spikeq: 1
simulation: {dt: 0.5 ms, duration: 300 ms}
populations:
  - {name: input, size: 16, model: poisson_source, params: {rate: 30 Hz}}
  - {name: lateral, size: 4, model: lif_psc_delta}
  - {name: out, size: 5, model: lif_psc_delta}
projections:
  - {name: hebb, source: input, target: lateral, rule: all_to_all, weight: 0.1 mV, delay: 1 ms,
     plasticity: {rule: oja_subspace, eta: 0.01, scale: 1 mV, w_min: -5 mV, w_max: 5 mV}}
  - {source: input, target: out, rule: all_to_all, weight: 0.5 mV, delay: 1 ms,
     plasticity: {rule: stdp, A_plus: 0.01 mV, A_minus: 0 mV, w_max: 5 mV, projection: input_space}}
subspaces:
  - {name: input_space, population: input, learned_by: hebb, consolidate_at: [100 ms, 0.2 s]}
)";

std::string hlop_error(const std::string& from, const std::string& to) {
  std::string text = kHlop;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return load_error(text.replace(at, from.size(), to));
}
}  // namespace

TEST_CASE("subspaces: HLOP subspaces, learned by a projection, named by another's plasticity") {
  const io::LoadedModel m = load_model_text(kHlop, "hlop.yaml");
  REQUIRE(m.network.subspaces().size() == 1);
  const SubspaceSpec& s = m.network.subspaces()[0];
  CHECK(s.name == "input_space");
  CHECK(s.population == m.network.population("input"));
  REQUIRE(s.learned_by.has_value());
  CHECK(*s.learned_by == m.network.projection("hebb"));
  CHECK(s.consolidate_at == std::vector<double>{100.0, 200.0});
  CHECK(plasticity_of(m.network, "input->out").projection == "input_space");
  CHECK(hlop_error("projection: input_space", "projection: input_spice")
            .find("projections[1].plasticity.projection: no subspace named "
                  "'input_spice'; did you mean 'input_space'? (subspaces: 'input_space')") !=
        std::string::npos);
  CHECK(hlop_error("learned_by: hebb", "learned_by: heb")
            .find("subspaces[0].learned_by: no projection named 'heb'; did you mean 'hebb'?") !=
        std::string::npos);
  CHECK(hlop_error("consolidate_at: [100 ms, 0.2 s]", "consolidate_at: [100 ms, 50 ms]")
            .find("subspaces[0]: subspace 'input_space': consolidate_at times must be finite, > 0 "
                  "ms and increasing (got 50 ms)") != std::string::npos);
  CHECK(hlop_error("population: input,", "population: inputs,")
            .find("subspaces[0].population: no population named 'inputs'") != std::string::npos);
}
