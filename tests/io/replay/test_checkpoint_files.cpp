// Checkpoint files (io/checkpoint.hpp): a network with replayed input, a clamp and ELM
// neurons resumes from an HDF5 checkpoint exactly; the write is atomic; bad files fail
// naming the file and the dataset.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <functional>

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

namespace {

/// `sim` (of mixed(), seed 3) run for 20 ms and checkpointed to temp_path(name).
std::string checkpointed_after_20ms(Simulation& sim, const std::string& name) {
  sim.run(20.0);
  const std::string path = test::temp_path(name);
  io::write_checkpoint(sim, path, {});
  return path;
}

/// Whether `write` throws FileError "File too large" when writes past `bytes` fail (a full
/// disk, injected as a file size limit, with SIGXFSZ ignored). Run in a child process: the
/// limit covers every file of a process, so HDF5 could not even drop the file it failed to
/// write, and would crash at exit trying to close it.
bool write_fails_with_full_disk(const std::function<void()>& write, std::uintmax_t bytes) {
  const pid_t child = ::fork();
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{bytes, RLIM_INFINITY};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write();
    } catch (const io::FileError& e) {
      ::_exit(std::string(e.what()).find("File too large") != std::string::npos ? 0 : 2);
    }
    ::_exit(1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("checkpoints are written atomically and bad ones are refused with the dataset named") {
  const Network net = mixed();
  Simulation sim(net, {.seed = 3});
  const std::string path = checkpointed_after_20ms(sim, "atomic.ckpt");
  const auto size = std::filesystem::file_size(path);
  // A write that fails half-way (a full disk, injected as a file size limit) leaves the
  // old one intact and no temporary file.
  sim.run(20.0);
  CHECK(write_fails_with_full_disk([&] { io::write_checkpoint(sim, path, {}); }, size / 2));
  CHECK(std::filesystem::file_size(path) == size);
  CHECK(io::read_checkpoint_info(path).step == 20);
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
    CHECK_MESSAGE(entry.path().string().rfind(path + ".partial", 0) == std::string::npos, entry.path());
  }
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

namespace {

/// Overwrites value 0 of dataset `name` (doubles) in the HDF5 file at `path`.
void poke_double(const std::string& path, const std::string& name, double value) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t d = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
  REQUIRE(d >= 0);
  const hid_t file_space = H5Dget_space(d);
  const hsize_t start = 0, count = 1;
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
  const hid_t memory = H5Screate_simple(1, &count, nullptr);
  H5Dwrite(d, H5T_NATIVE_DOUBLE, memory, file_space, H5P_DEFAULT, &value);
  H5Sclose(memory);
  H5Sclose(file_space);
  H5Dclose(d);
  H5Fclose(f);
}

/// Overwrites the float64 attribute `name` of /checkpoint.
void poke_attribute(const std::string& path, const char* name, double value) {
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t g = H5Gopen2(f, "checkpoint", H5P_DEFAULT);
  const hid_t a = H5Aopen(g, name, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_DOUBLE, &value);
  H5Aclose(a);
  H5Gclose(g);
  H5Fclose(f);
}

}  // namespace

TEST_CASE("a checkpoint changed after it was written is refused by its checksum") {
  const Network net = mixed();
  Simulation sim(net, {.seed = 3});
  const std::string path = checkpointed_after_20ms(sim, "crc.ckpt");
  (void)io::restore_checkpoint(path, net, {.seed = 3});  // as written: fine
  // A value changed in place, still a finite, plausible voltage.
  const std::string edited = test::temp_path("crc_edited.ckpt");
  std::filesystem::copy_file(path, edited, std::filesystem::copy_options::overwrite_existing);
  poke_double(edited, "/state/populations/exc/real/V", -61.25);
  CHECK_THROWS_WITH_AS(io::restore_checkpoint(edited, net, {.seed = 3}),
                       doctest::Contains("crc_edited.ckpt: /state: does not match its checksum (state_crc32)"),
                       io::FileError);
  // A time that is not the step's (NaN).
  std::filesystem::copy_file(path, edited, std::filesystem::copy_options::overwrite_existing);
  poke_attribute(edited, "time_ms", std::nan(""));
  CHECK_THROWS_WITH_AS(io::read_checkpoint_info(edited), doctest::Contains("do not agree"), io::FileError);
  std::filesystem::remove(path);
  std::filesystem::remove(edited);
}
