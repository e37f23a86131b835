// Clamping: recorded spikes drive a population of a running network for a window. Its
// neurons fire exactly as recorded there, their state stands still, the input reaching
// them is consumed, and everything downstream (synapses, plasticity) sees the spikes as it
// would see any spikes; results are the same on every backend.
#include <doctest/doctest.h>

#include <algorithm>

#include "replay_fixtures.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

/// 40 recorded neurons firing regularly, each with its own phase, over 0-400 ms.
std::string recording() {
  std::vector<double> t;
  std::vector<std::uint64_t> ids;
  for (int k = 0; k < 400; ++k) {
    for (std::uint64_t i = 0; i < 40; ++i) {
      if ((k + static_cast<int>(i)) % 10 == 0) {
        t.push_back(k + 0.5);
        ids.push_back(i);
      }
    }
  }
  return test::sonata_file("clamp.h5", "exc", t, ids);
}

struct Run {
  SpikeRecord exc, down;
  std::vector<double> v;  // V of exc neuron 0, every step
  std::vector<float> weights;
};

/// exc (40 LIF, noisy drive) -> down (10 LIF) with STDP; `clamp` drives exc by the
/// recording during [100, 250) ms, `replayed` makes exc a replay population instead.
Run run(bool clamp, bool replayed, SimulationOptions options = {.seed = 4}) {
  Network net(0.1);
  neurons::lif_psc_exp::params lif;
  lif.I_e = 350.0;
  neurons::lif_psc_exp::params driven = lif;  // fires by itself
  driven.I_e = 420.0;
  const auto source = io::open_replay({.path = recording()});
  neurons::spike_replay::params replay;
  replay.source = source;
  const auto exc = replayed ? net.add_population("exc", 40, replay) : net.add_population("exc", 40, driven);
  const auto down = net.add_population("down", 10, lif);
  if (!replayed) net.add_input(exc, NoiseInput{.mean = 0.0, .sd = 60.0});
  SynapseSpec syn{.weight = Uniform{20.0, 60.0}, .delay = Uniform{1.0, 4.0}};
  syn.plasticity = plasticity::PlasticitySpec{.w_min = 0.0, .w_max = 200.0};
  const auto proj = net.connect(exc, down, connect::FixedIndegree{15}, syn, "exc_down");
  if (clamp) net.clamp(exc, source, 100.0, 250.0);
  net.record_spikes(exc);
  net.record_spikes(down);
  RecorderId v{0};
  if (!replayed) v = net.record_state(exc, "V", {0}, 0.1);
  Simulation sim(net, options);
  sim.run(400.0);
  Run r{sim.spikes(exc), sim.spikes(down), {}, sim.weights(proj)};
  if (!replayed) r.v = sim.trace(v).values;
  return r;
}

std::vector<std::pair<Step, std::uint32_t>> between(const SpikeRecord& s, Step a, Step b) {
  std::vector<std::pair<Step, std::uint32_t>> out;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s.steps[k] > a && s.steps[k] <= b) out.emplace_back(s.steps[k], s.neurons[k]);
  }
  return out;
}

}  // namespace

TEST_CASE("a clamped population fires as recorded, stands still, and drives the rest") {
  const Run free = run(false, false);
  const Run clamped = run(true, false);
  const Run replayed = run(false, true);
  // Before the window nothing differs; inside it, exc fires exactly as the recording.
  CHECK(between(free.exc, 0, 1000).size() > 20);
  CHECK(between(clamped.exc, 0, 1000) == between(free.exc, 0, 1000));
  CHECK(between(clamped.exc, 1000, 2500) == between(replayed.exc, 1000, 2500));
  CHECK(between(clamped.exc, 1000, 2500).size() == 600);
  CHECK(between(free.exc, 1000, 2500) != between(replayed.exc, 1000, 2500));
  // Its state stands still in the window (V sampled after updates 1000 .. 2499).
  const auto first = clamped.v.begin() + 999;
  CHECK(std::all_of(first, clamped.v.begin() + 2499, [&](double x) { return x == *first; }));
  // Afterwards it runs again from there, so it differs from the free run.
  CHECK(between(clamped.exc, 2500, 4000).size() > 0);
  CHECK(between(clamped.exc, 2500, 4000) != between(free.exc, 2500, 4000));
  // Downstream and the plastic weights see the clamped spikes.
  CHECK(between(clamped.down, 0, 1000) == between(free.down, 0, 1000));
  CHECK(clamped.weights != free.weights);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    const Run tbb = run(true, false, {.seed = 4, .backend = "tbb", .threads = threads, .oversubscribe = true});
    CHECK(tbb.exc.steps == clamped.exc.steps);
    CHECK(tbb.exc.neurons == clamped.exc.neurons);
    CHECK(tbb.down.steps == clamped.down.steps);
    CHECK(tbb.weights == clamped.weights);
  }
}

TEST_CASE("clamping over the whole run equals replaying: spikes, downstream and weights") {
  Network a(0.1), b(0.1);
  const auto source = io::open_replay({.path = recording()});
  neurons::spike_replay::params replay;
  replay.source = source;
  neurons::lif_psc_exp::params lif;
  for (Network* net : {&a, &b}) {
    const auto exc = net == &a ? net->add_population("exc", 40, replay) : net->add_population("exc", 40, lif);
    const auto down = net->add_population("down", 10, lif);
    SynapseSpec syn{.weight = Uniform{100.0, 300.0}, .delay = Uniform{1.0, 4.0}};
    syn.plasticity = plasticity::PlasticitySpec{.w_min = 0.0, .w_max = 500.0};
    net->connect(exc, down, connect::FixedIndegree{15}, syn, "exc_down");
    if (net == &b) net->clamp(exc, source, 0.0, 400.0);
    net->record_spikes(down);
  }
  Simulation sa(a, {.seed = 9}), sb(b, {.seed = 9});
  sa.run(400.0);
  sb.run(400.0);
  CHECK(sa.spikes(PopulationId{1}).size() > 20);
  CHECK(sa.spikes(PopulationId{1}).steps == sb.spikes(PopulationId{1}).steps);
  CHECK(sa.weights(ProjectionId{0}) == sb.weights(ProjectionId{0}));
}

TEST_CASE("clamp errors name the population") {
  Network net(0.1);
  const auto p = net.add_population("p", 3, neurons::lif_psc_exp::params{});
  const auto source = io::open_replay({.path = recording()});
  CHECK_THROWS_WITH_AS(net.clamp(p, source, 50.0, 10.0), doctest::Contains("clamp of population 'p'"),
                       InvalidParameter);
  net.clamp(p, source, 0.0, 10.0);
  CHECK_THROWS_WITH_AS(net.clamp(p, source, 20.0, 30.0), doctest::Contains("clamped already"),
                       InvalidParameter);
  // The recording has 40 units; 3 neurons cannot take them.
  Simulation sim(net);
  CHECK_THROWS_WITH_AS(sim.run(10.0), doctest::Contains("population 'p'"), InvalidParameter);
}
