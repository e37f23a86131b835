// Each replay format, from files the tests write in the exact layouts, gives exactly the
// expected (stamp, neuron) events; the options (samples, gap, scaling, window, unit map,
// offset, repeats) act as documented; bad files fail naming the file and the dataset.
#include <doctest/doctest.h>

#include <filesystem>
#include <limits>

#include "replay_fixtures.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/replay.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using io::ReplayFormat;
using io::ReplayOptions;

namespace {

using Events = std::vector<std::pair<Step, std::uint32_t>>;

Events replay_events(const ReplayOptions& o, double dt, std::uint32_t neurons,
                     Step until = std::numeric_limits<Step>::max()) {
  auto cursor = io::open_replay(o)->open(dt, neurons);
  std::vector<ReplayEvent> out;
  cursor->read(until, out);
  Events e;
  for (const auto& x : out) e.emplace_back(x.stamp, x.neuron);
  return e;
}

}  // namespace

TEST_CASE("replay SONATA: times go to the step that contains them, ids stay") {
  const auto path = test::sonata_file("sonata.h5", "exc", {0.0, 0.1, 0.15, 1.0, 1.0001, 2.5},
                                      {3, 1, 2, 0, 4, 3});
  // dt 0.5: (0, 0.5] is step 1 (t = 0 too), (0.5, 1] step 2, (1, 1.5] step 3, (2, 2.5] step 5.
  const Events want{{1, 3}, {1, 1}, {1, 2}, {2, 0}, {3, 4}, {5, 3}};
  CHECK(replay_events({.path = path}, 0.5, 5) == want);
  CHECK(replay_events({.path = path, .population = "exc"}, 0.5, 5) == want);
  // Seconds are converted.
  const auto secs = test::sonata_file("sonata_s.h5", "exc", {0.001, 0.002}, {0, 1}, "s");
  CHECK(replay_events({.path = secs}, 0.5, 2) == Events{{2, 0}, {4, 1}});
  // A window in the middle of a read: the rest comes with the next read.
  auto cursor = io::open_replay({.path = path})->open(0.5, 5);
  std::vector<ReplayEvent> part;
  cursor->read(3, part);
  CHECK(part.size() == 4);
  cursor->read(100, part);
  CHECK(part.size() == 6);
}

TEST_CASE("replay SHD: sample selection, gaps and time scaling are exact") {
  // Times are multiples of 1/1024 s, exact in float32 and in ms.
  constexpr float k = 1.0f / 1024.0f;
  const auto path = test::shd_file(
      "shd.h5",
      {{{1 * k, 10 * k, 20 * k}, {5, 6, 7}}, {{5 * k}, {1}}, {{1 * k, 3 * k}, {2, 9}}},
      {4, 7, 1});
  const ReplayOptions o{.path = path, .format = ReplayFormat::shd};
  // All samples, end to end: sample 0 ends at its last spike (19.53 ms), where sample 1
  // starts (its spike at 24.41 ms), which ends at 24.41 ms, where sample 2 starts.
  CHECK(replay_events(o, 1.0, 10) ==
        Events{{1, 5}, {10, 6}, {20, 7}, {25, 1}, {26, 2}, {28, 9}});
  // Samples 2 then 0, a 10 ms gap, fixed 30 ms slots, times doubled: sample 0 starts at
  // 40 ms of source time, 80 ms of replay time.
  ReplayOptions chosen = o;
  chosen.samples = {2, 0};
  chosen.gap = 10.0;
  chosen.sample_length = 30.0;
  chosen.time_scale = 2.0;
  CHECK(replay_events(chosen, 1.0, 10) ==
        Events{{2, 2}, {6, 9}, {82, 5}, {100, 6}, {120, 7}});
  const auto schedule = io::shd_schedule(chosen);
  REQUIRE(schedule.size() == 2);
  CHECK(schedule[0].index == 2);
  CHECK(schedule[0].label == 1);
  CHECK(schedule[0].start == 0.0);
  CHECK(schedule[0].stop == 60.0);
  CHECK(schedule[1].label == 4);
  CHECK(schedule[1].start == 80.0);
  CHECK(schedule[1].stop == 140.0);
  ReplayOptions missing = o;
  missing.samples = {3};
  CHECK_THROWS_WITH_AS(io::open_replay(missing), doctest::Contains("sample 3 does not exist"),
                       io::FileError);
}

TEST_CASE("replay NWB: units merged in time order, ids from /units/id") {
  const auto path = test::nwb_file("nwb.h5", {{10, {0.001, 0.004}}, {11, {0.002, 0.003}}, {12, {}}});
  const ReplayOptions o{.path = path, .format = ReplayFormat::nwb,
                        .units = {10, 11, 12}, .neurons = {2, 0, 1}};
  CHECK(replay_events(o, 1.0, 3) == Events{{1, 2}, {2, 0}, {3, 0}, {4, 2}});
  // Without a map the ids are the neurons: 10 is beyond 3 neurons.
  CHECK_THROWS_WITH_AS(replay_events({.path = path, .format = ReplayFormat::nwb}, 1.0, 3),
                       doctest::Contains("unit 10 is beyond the 3 neurons"), io::FileError);
}

TEST_CASE("replay CSV: header, comments and separators, and times in any unit") {
  const auto path = test::text_file("spikes.csv",
                                    "time_ms,unit\n# a comment\n0.5, 1\n1.5\t0\n\n2.0 2 # end\n");
  CHECK(replay_events({.path = path, .format = ReplayFormat::csv}, 1.0, 3) ==
        Events{{1, 1}, {2, 0}, {2, 2}});
  const auto secs = test::text_file("spikes_s.csv", "0.001;1\n");
  CHECK(replay_events({.path = secs, .format = ReplayFormat::csv, .time_unit = 1000.0}, 0.5, 3) ==
        Events{{2, 1}});
  const auto bad = test::text_file("bad.csv", "1,1\n2,x\n");
  CHECK_THROWS_WITH_AS(replay_events({.path = bad, .format = ReplayFormat::csv}, 1.0, 3),
                       doctest::Contains("bad.csv:2: expected"), io::FileError);
}

TEST_CASE("replay options: window, subset, offset, scaling and repeats") {
  const auto path = test::sonata_file("opts.h5", "p", {1.0, 2.0, 3.0, 4.0, 5.0}, {0, 1, 2, 1, 0});
  ReplayOptions o{.path = path};
  o.window_start = 2.0;  // keeps 2, 3, 4 (window_stop excludes 5)
  o.window_stop = 5.0;
  o.units = {1, 2};      // unit 1 -> neuron 0, unit 2 -> neuron 1; unit 0 dropped
  o.offset = 10.0;
  o.time_scale = 0.5;
  o.repeat = 3;
  o.period = 20.0;
  // r = (t - 2) / 2 + 10 + 20 k
  CHECK(replay_events(o, 1.0, 2) == Events{{10, 0}, {11, 1}, {11, 0},
                                           {30, 0}, {31, 1}, {31, 0},
                                           {50, 0}, {51, 1}, {51, 0}});
  // Forever: reads stop at the requested step.
  o.repeat = 0;
  CHECK(replay_events(o, 1.0, 2, 32).size() == 6);
  o.period = 0.5;  // shorter than one pass
  o.repeat = 2;
  CHECK_THROWS_WITH_AS(replay_events(o, 1.0, 2), doctest::Contains("must cover one pass"),
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(io::open_replay({.path = path, .repeat = 2}),
                       doctest::Contains("repeat needs a period"), InvalidParameter);
  CHECK_THROWS_WITH_AS(replay_events({.path = path, .units = {0}, .neurons = {5}}, 1.0, 2),
                       doctest::Contains("maps to neuron 5, beyond the 2 neurons"),
                       InvalidParameter);
}

TEST_CASE("replay bad files: each error names the file and the dataset") {
  // Not HDF5, truncated HDF5, missing dataset, wrong type, negative and unsorted times.
  const auto text = test::text_file("not.h5", "hello\n");
  CHECK_THROWS_WITH_AS(io::open_replay({.path = text}), doctest::Contains("not.h5"), io::FileError);
  const auto good = test::sonata_file("trunc.h5", "p", {1.0, 2.0}, {0, 1});
  std::filesystem::resize_file(good, std::filesystem::file_size(good) / 2);
  CHECK_THROWS_AS(io::open_replay({.path = good}), io::FileError);
  CHECK_THROWS_WITH_AS(io::open_replay({.path = test::nwb_file("empty.h5", {}),
                                        .format = ReplayFormat::shd}),
                       doctest::Contains("/spikes/times"), io::FileError);
  {
    const std::string path = test::temp_path("int_times.h5");
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t s = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t g = H5Gcreate2(s, "p", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    test::write_1d(g, "timestamps", H5T_STD_I32LE, H5T_NATIVE_INT32, std::vector<std::int32_t>{1});
    test::write_1d(g, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, std::vector<std::uint64_t>{0});
    H5Gclose(g);
    H5Gclose(s);
    H5Fclose(f);
    CHECK_THROWS_WITH_AS(io::open_replay({.path = path}),
                         doctest::Contains("/spikes/p/timestamps: expected floating-point"),
                         io::FileError);
  }
  const auto unsorted = test::sonata_file("unsorted.h5", "p", {1.0, 3.0, 2.0}, {0, 1, 0});
  CHECK_THROWS_WITH_AS(replay_events({.path = unsorted}, 1.0, 2),
                       doctest::Contains("/spikes/p/timestamps: times decrease at index 2"),
                       io::FileError);
  const auto negative = test::nwb_file("negative.h5", {{0, {-0.001}}});
  CHECK_THROWS_WITH_AS(io::open_replay({.path = negative, .format = ReplayFormat::nwb}),
                       doctest::Contains("/units/spike_times: negative"), io::FileError);
  const auto beyond = test::sonata_file("beyond.h5", "p", {1.0}, {7});
  CHECK_THROWS_WITH_AS(replay_events({.path = beyond}, 1.0, 5),
                       doctest::Contains("beyond.h5: /spikes/p/node_ids: unit 7 is beyond the 5"),
                       io::FileError);
  CHECK_THROWS_WITH_AS(io::open_replay({.path = test::temp_path("absent.h5")}),
                       doctest::Contains("absent.h5"), io::FileError);
}

TEST_CASE("a file declaring far more values than it stores is refused before any allocation") {
  // A 5 KB SONATA file whose datasets declare 2^36 values each (512 GiB), never written.
  const std::string path = test::temp_path("huge_declared.h5");
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t spikes = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t g = H5Gcreate2(spikes, "p", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t n = hsize_t{1} << 36;
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  for (const char* name : {"timestamps", "node_ids"}) {
    const hid_t d = H5Dcreate2(g, name, std::string(name) == "timestamps" ? H5T_IEEE_F64LE : H5T_STD_U64LE,
                               space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
  }
  H5Sclose(space);
  H5Gclose(g);
  H5Gclose(spikes);
  H5Fclose(f);
  REQUIRE(std::filesystem::file_size(path) < 100000);
  CHECK_THROWS_WITH_AS((void)io::read_spike_file(path),
                       doctest::Contains("declares 68719476736 values (512.0 GiB) but the file stores only 0 B of them"),
                       io::FileError);
  std::filesystem::remove(path);
}
