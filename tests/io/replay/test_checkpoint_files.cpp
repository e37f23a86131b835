// Checkpoint files (io/checkpoint.hpp): a network with replayed input, a clamp and ELM
// neurons resumes from an HDF5 checkpoint exactly; the write is atomic; bad files fail
// naming the file and the dataset.
#include <doctest/doctest.h>

#include <filesystem>

#include "../../neurons/elm/elm_synthetic.hpp"
#include "replay_fixtures.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

/// Replayed input (looping), a clamped LIF population, ELM neurons and STDP.
Network mixed() {
  std::vector<double> t;
  std::vector<std::uint64_t> ids;
  for (int k = 0; k < 2000; ++k) {
    t.push_back(0.1 * k + 0.05);
    ids.push_back(static_cast<std::uint64_t>(k * 37) % 40);
  }
  const auto rec = io::open_replay({.path = test::sonata_file("ckpt_input.h5", "in", t, ids),
                                    .repeat = 0, .period = 200.0});
  Network net(1.0);
  neurons::spike_replay::params replay;
  replay.source = rec;
  const auto in = net.add_population("in", 40, replay);
  neurons::lif_psc_exp::params lif;
  lif.I_e = 380.0;
  const auto exc = net.add_population("exc", 40, lif);
  neurons::elm::params cell;
  cell.weights = test::synthetic_elm(40, 4, 12, 6, 12, 3);
  cell.spike_mode = neurons::elm::SpikeMode::bernoulli;
  const auto elm = net.add_population("elm", 2, cell);
  SynapseSpec plastic{.weight = Uniform{50.0, 150.0}, .delay = Uniform{1.0, 5.0}};
  plastic.plasticity = plasticity::PlasticitySpec{.w_min = 0.0, .w_max = 300.0};
  net.connect(in, exc, connect::FixedIndegree{8}, plastic, "in_exc");
  std::vector<std::uint32_t> from, to;
  for (std::uint32_t k = 0; k < 80; ++k) {
    from.push_back(k % 40);
    to.push_back(k);
  }
  net.connect(exc, elm, connect::Explicit{from, to}, {.weight = 1.0, .delay = Uniform{1.0, 3.0}});
  net.clamp(exc, rec, 150.0, 260.0);
  for (std::uint32_t p = 0; p < 3; ++p) net.record_spikes(PopulationId{p});
  return net;
}

}  // namespace

TEST_CASE("an HDF5 checkpoint of replay, clamp, ELM and STDP resumes the run exactly") {
  const Network net = mixed();
  Simulation whole(net, {.seed = 3});
  whole.run(500.0);
  Simulation part(net, {.seed = 3, .backend = "tbb", .threads = 2});
  part.run(210.0);  // inside the clamp, in the second pass of the replay
  const std::string path = test::temp_path("mixed.ckpt");
  io::write_checkpoint(part, path, {.model_yaml = "# C++ network", .model_file = "test"});
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
  const io::CheckpointInfo info = io::read_checkpoint_info(path);
  CHECK(info.step == 210);
  CHECK(info.time_ms == 210.0);
  CHECK(info.seed == 3);
  Simulation resumed = io::restore_checkpoint(path, net, {.seed = 3});
  CHECK(resumed.start_time() == 210.0);
  resumed.run(290.0);
  std::size_t after = 0;
  for (std::uint32_t p = 0; p < 3; ++p) {
    const SpikeRecord& w = whole.spikes(PopulationId{p});
    const SpikeRecord& r = resumed.spikes(PopulationId{p});
    std::vector<Step> steps;
    std::vector<std::uint32_t> neurons;
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (w.steps[k] <= 210) continue;
      steps.push_back(w.steps[k]);
      neurons.push_back(w.neurons[k]);
    }
    after += steps.size();
    CHECK(r.steps == steps);
    CHECK(r.neurons == neurons);
  }
  CHECK(after > 500);
  CHECK(resumed.weights(ProjectionId{0}) == whole.weights(ProjectionId{0}));
  // Another seed would not continue the same random draws.
  CHECK_THROWS_WITH_AS(io::restore_checkpoint(path, net, {.seed = 4}), doctest::Contains("seed"),
                       io::FileError);
}

TEST_CASE("checkpoints are written atomically and bad ones are refused with the dataset named") {
  const Network net = mixed();
  Simulation sim(net, {.seed = 3});
  sim.run(20.0);
  const std::string path = test::temp_path("atomic.ckpt");
  io::write_checkpoint(sim, path, {});
  const auto size = std::filesystem::file_size(path);
  // A write that fails (its temporary file cannot be created) leaves the old one intact.
  std::filesystem::create_directory(path + ".partial");
  sim.run(20.0);
  CHECK_THROWS_AS(io::write_checkpoint(sim, path, {}), io::FileError);
  std::filesystem::remove(path + ".partial");
  CHECK(std::filesystem::file_size(path) == size);
  CHECK(io::read_checkpoint_info(path).step == 20);
  // Not a checkpoint, truncated, of another model.
  const std::string spikes = test::sonata_file("not_ckpt.h5", "p", {1.0}, {0});
  CHECK_THROWS_WITH_AS(io::read_checkpoint_info(spikes), doctest::Contains("/checkpoint"), io::FileError);
  const std::string cut = test::temp_path("cut.ckpt");
  std::filesystem::copy_file(path, cut, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, size / 2);
  CHECK_THROWS_WITH_AS(io::read_checkpoint_info(cut), doctest::Contains("cut.ckpt"), io::FileError);
  Network other(1.0);
  other.add_population("in", 40, neurons::lif_psc_exp::params{});
  CHECK_THROWS_WITH_AS(io::restore_checkpoint(path, other, {.seed = 3}),
                       doctest::Contains("atomic.ckpt: /state/populations/in/real/V"), io::FileError);
}
