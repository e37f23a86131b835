// Replay from model files: `model: spike_replay` with a file relative to the model, and
// every option in YAML units, gives the spikes the C++ options give.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "replay_fixtures.hpp"
#include "spikeq/io/model_file.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

TEST_CASE("YAML spike_replay: relative file, SHD samples, gap, scaling, units and window") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "spikeq_replay_yaml";
  std::filesystem::create_directories(dir);
  constexpr float k = 1.0f / 1024.0f;
  const std::string shd = test::shd_file("yaml_shd.h5", {{{1 * k, 10 * k}, {3, 4}}, {{2 * k}, {3}}}, {0, 1});
  std::filesystem::copy_file(shd, dir / "digits.h5", std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "spikes.csv") << "t,unit\n0.5,0\n1.5,2\n2.5,1\n7.5,2\n";
  const std::string model = (dir / "model.yaml").string();
  std::ofstream(model) << R"(
simulation: {dt: 1 ms, duration: 40 ms}
populations:
  - name: digits
    model: spike_replay
    size: 2
    params: {file: digits.h5, format: shd, samples: [1, 0], gap: 5 ms, time_scale: 2,
             units: [3, 4], neurons: [1, 0]}
  - name: text
    model: spike_replay
    size: 3
    params: {file: spikes.csv, time_unit: 1 ms, window: [1 ms, 8 ms], offset: 10 ms,
             repeat: 2, period: 10 ms}
recorders: {spikes: all}
)";
  const io::LoadedModel m = io::load_model_file(model);
  Simulation sim(m.network, m.options);
  sim.run(*m.duration);
  // digits: sample 1 (unit 3 at 1.95 ms) then, after its end and a 5 ms gap, sample 0
  // (unit 3 at 0.98 ms, unit 4 at 9.77 ms) from 6.95 ms; all times doubled.
  const SpikeRecord& d = sim.spikes(m.network.population("digits"));
  CHECK(d.steps == std::vector<Step>{4, 16, 34});
  CHECK(d.neurons == std::vector<std::uint32_t>{1, 1, 0});
  // text: spikes at 1.5, 2.5 and 7.5 ms of the window [1, 8) replay at t - 1 + 10, twice.
  const SpikeRecord& t = sim.spikes(m.network.population("text"));
  CHECK(t.steps == std::vector<Step>{11, 12, 17, 21, 22, 27});
  CHECK(t.neurons == std::vector<std::uint32_t>{2, 1, 2, 2, 1, 2});
  std::filesystem::remove_all(dir);
}

TEST_CASE("YAML clamps: recorded spikes drive a population for a window") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "spikeq_clamp_yaml";
  std::filesystem::create_directories(dir);
  // Neuron 1 fires at 12.5 and 20.5 ms, neuron 0 at 25.5 and 35.5 ms (after the window).
  std::ofstream(dir / "rec.csv") << "12.5,1\n20.5,1\n25.5,0\n35.5,0\n";
  const std::string model = (dir / "clamp.yaml").string();
  std::ofstream(model) << R"(
simulation: {dt: 0.5 ms, duration: 40 ms}
populations:
  - {name: exc, model: lif_psc_exp, size: 2, params: {I_e: 0 pA}}
clamps:
  - {population: exc, start: 10 ms, stop: 30 ms, source: {file: rec.csv}}
recorders: {spikes: all}
)";
  const io::LoadedModel m = io::load_model_file(model);
  Simulation sim(m.network, m.options);
  sim.run(*m.duration);
  const SpikeRecord& s = sim.spikes(m.network.population("exc"));
  CHECK(s.steps == std::vector<Step>{25, 41, 51});
  CHECK(s.neurons == std::vector<std::uint32_t>{1, 1, 0});
  std::filesystem::remove_all(dir);
}

TEST_CASE("YAML labels source: a modulator is on while samples of one label play") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "spikeq_labels_yaml";
  std::filesystem::create_directories(dir);
  constexpr float k = 1.0f / 1024.0f;
  // Labels 1, 2, 1: with 10 ms slots and 5 ms gaps, samples play at 0-10, 15-25, 30-40 ms.
  const std::string shd = test::shd_file("labels.h5", {{{1 * k}, {0}}, {{2 * k}, {1}}, {{3 * k}, {0}}},
                                         {1, 2, 1});
  std::filesystem::copy_file(shd, dir / "digits.h5", std::filesystem::copy_options::overwrite_existing);
  const std::string model = (dir / "labels.yaml").string();
  std::ofstream(model) << R"(
simulation: {dt: 1 ms, duration: 50 ms}
populations:
  - {name: digits, model: spike_replay, size: 2,
     params: {file: digits.h5, format: shd, sample_length: 10 ms, gap: 5 ms}}
modulators:
  - name: one
    sources: [{type: labels, label: 1, amount: 2,
               replay: {file: digits.h5, sample_length: 10 ms, gap: 5 ms}}]
)";
  const io::LoadedModel m = io::load_model_file(model);
  Simulation sim(m.network, m.options);
  std::vector<double> level;
  for (int t = 0; t < 45; ++t) {
    sim.run(1.0);
    level.push_back(sim.modulator_level("one"));
  }
  // After update t (time t + 1 ms): on in [0, 10) and [30, 40) ms.
  for (int t = 0; t < 45; ++t) {
    CAPTURE(t);
    const double ms = t + 1;
    CHECK(level[static_cast<std::size_t>(t)] == ((ms < 10 || (ms >= 30 && ms < 40)) ? 2.0 : 0.0));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("YAML labels source on the shipped SHD example: any dt takes the schedule") {
  // The samples' recorded lengths end between steps (649.956 ms): the level switches on
  // the step grid, where the replayed spikes are stamped.
  const std::string data = SPIKEQ_SOURCE_DIR "/models/data/shd_example.h5";
  io::ReplayOptions o;
  o.path = data;
  o.format = io::ReplayFormat::shd;
  o.gap = 100.0;
  const std::vector<io::ShdSample> samples = io::shd_schedule(o);
  REQUIRE(samples.size() >= 2);
  const io::ShdSample& second = samples[1];
  for (const double dt : {0.1, 0.25, 1.0}) {
    CAPTURE(dt);
    const std::string yaml = "simulation: {dt: " + std::to_string(dt) + " ms}\n"
                             "populations:\n  - {name: a, model: lif_psc_exp, size: 1}\n"
                             "modulators:\n  - name: on\n    sources: [{type: labels, label: " +
                             std::to_string(second.label) + ", replay: {file: " + data + ", gap: 100 ms}}]\n";
    const io::LoadedModel m = io::load_model_text(yaml, "labels.yaml");
    Simulation sim(m.network, m.options);
    const double start = std::ceil(second.start / dt - 1e-9) * dt;
    sim.run(start + dt);  // the first step of the sample
    CHECK(sim.modulator_level("on") == 1.0);
  }
}
