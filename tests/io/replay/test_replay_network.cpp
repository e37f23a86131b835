// Replay inside networks: a run's own output replayed into an identical downstream
// network gives identical downstream spikes on every backend, and a file of 10 million
// spikes streams through a bounded buffer.
#include <doctest/doctest.h>

#include <algorithm>

#include "replay_fixtures.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

/// `source` (200 neurons) drives 100 LIF neurons through 20 synapses each, delays 1-3 ms.
Network downstream(NeuronModel source) {
  Network net(0.1);
  const auto src = net.add_population("src", 200, std::move(source));
  neurons::lif_psc_exp::params lif;
  lif.I_e = 300.0;
  const auto down = net.add_population("down", 100, lif);
  net.connect(src, down, connect::FixedIndegree{20},
              {.weight = Uniform{50.0, 150.0}, .delay = Uniform{1.0, 3.0}}, "src_down");
  net.record_spikes(src);
  net.record_spikes(down);
  return net;
}

}  // namespace

TEST_CASE("replaying a run's output into the same downstream network gives its spikes") {
  const Network original = downstream(neurons::poisson_source::params{.rate = 30.0});
  Simulation sim(original, {.seed = 3});
  sim.run(300.0);
  const SpikeRecord src = sim.spikes(PopulationId{0});
  const SpikeRecord down = sim.spikes(PopulationId{1});
  REQUIRE(src.size() > 1000);
  REQUIRE(down.size() > 100);
  const std::string path = test::temp_path("roundtrip.h5");
  {
    io::SpikeFileWriter w(path, {.seed = 3, .dt = 0.1}, {{"src", 200}});
    std::vector<double> t;
    std::vector<std::uint64_t> ids;
    for (std::size_t k = 0; k < src.size(); ++k) {
      t.push_back(src.time(k));
      ids.push_back(src.neurons[k]);
    }
    w.append(0, t, ids);
    w.close();
  }
  neurons::spike_replay::params replay;
  replay.source = io::open_replay({.path = path});
  const Network replayed = downstream(replay);
  for (const SimulationOptions& o : {SimulationOptions{.seed = 3},
                                     SimulationOptions{.seed = 3, .backend = "tbb", .threads = 2}}) {
    CAPTURE(o.backend);
    Simulation again(replayed, o);
    again.run(120.0);  // in two runs: windows cut anywhere
    again.run(180.0);
    CHECK(again.spikes(PopulationId{0}).steps == src.steps);
    CHECK(again.spikes(PopulationId{0}).neurons == src.neurons);
    CHECK(again.spikes(PopulationId{1}).steps == down.steps);
    CHECK(again.spikes(PopulationId{1}).neurons == down.neurons);
  }
}

TEST_CASE("replay merges spikes of one neuron in one step, and a population may outlive its data") {
  const auto path = test::sonata_file("merge.h5", "p", {0.2, 0.7, 0.9, 5.0}, {0, 0, 1, 0});
  neurons::spike_replay::params replay;
  replay.source = io::open_replay({.path = path});
  Network net(1.0);
  const auto p = net.add_population("p", 2, replay);
  net.record_spikes(p);
  Simulation sim(net);
  sim.run(20.0);
  CHECK(sim.spikes(p).steps == std::vector<Step>{1, 1, 5});
  CHECK(sim.spikes(p).neurons == std::vector<std::uint32_t>{0, 1, 0});
}

TEST_CASE("a file of 10 million spikes streams through a bounded buffer") {
  constexpr std::uint64_t n = 10'000'000, units = 1000;
  const std::string path = test::temp_path("big.h5");
  {
    std::vector<double> t(n);
    std::vector<std::uint64_t> ids(n);
    for (std::uint64_t k = 0; k < n; ++k) {
      t[k] = static_cast<double>(k / units) * 0.1 + 0.05;  // 1000 spikes per 0.1 ms step
      ids[k] = (k * 7) % units;
    }
    test::sonata_file("big.h5", "p", t, ids);
  }
  auto cursor = io::open_replay({.path = path})->open(0.1, units);
  std::vector<ReplayEvent> window;
  std::uint64_t total = 0, most_buffered = 0, most_window = 0;
  for (Step end = 257; total < n; end += 256) {  // the windows Simulation::run asks for
    window.clear();
    cursor->read(end, window);
    total += window.size();
    most_window = std::max<std::uint64_t>(most_window, window.size());
    most_buffered = std::max(most_buffered, cursor->buffered());
    REQUIRE(end < 20000);
  }
  MESSAGE("buffered at most " << most_buffered << " spikes, windows of at most " << most_window);
  CHECK(total == n);
  CHECK(most_buffered <= 65536);
  CHECK(most_window == 256 * units);
  std::filesystem::remove(path);
}
