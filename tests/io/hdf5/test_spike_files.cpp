// SONATA spike files: round trips, a writer killed after flush(), the attribute types
// other readers rely on, and files written by other tools.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "sonata_test_support.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/sonata.hpp"

using namespace spikeq::io;
using sonata_test::Inspect;
using sonata_test::TempDir;

namespace {

const std::vector<PopulationInfo> three_populations = {{"exc", 80}, {"inh", 20}, {"silent", 5}};

}  // namespace

TEST_CASE("sonata spikes: several populations and appends round-trip exactly") {
  TempDir dir;
  const std::string path = dir.file("spikes.h5");
  RunMetadata meta = sonata_test::example_meta();
  meta.model_yaml += std::string(200'000, '#');  // beyond the 64 KiB an attribute holds inline
  {
    SpikeFileWriter writer(path, meta, three_populations);
    writer.append(0, {0.1, 0.1, 0.7}, {3, 79, 0});
    writer.append(1, {0.2}, {19});
    writer.append(0, {}, {});
    writer.append(0, {0.7, 1.5}, {4, 4});  // equal times across appends are in order
    writer.flush(1.0);
    writer.append(1, {2.25, 3.0}, {0, 1});
    writer.flush(3.0);
    writer.close();
    writer.close();  // closing twice is harmless
  }
  const SpikeFile file = read_spike_file(path);
  CHECK(file.meta.model_yaml == meta.model_yaml);
  CHECK(file.meta.seed == meta.seed);
  CHECK(file.meta.spikeq_version == "0.1.0");
  CHECK(file.meta.dt == 0.1);
  CHECK(file.t_stop == 3.0);
  REQUIRE(file.populations.size() == 3);
  const auto& exc = file.populations[0];
  const auto& inh = file.populations[1];
  const auto& silent = file.populations[2];
  CHECK(exc.name == "exc");  // declaration order, not alphabetical
  CHECK(inh.name == "inh");
  CHECK(silent.name == "silent");
  CHECK(exc.size == 80);
  CHECK(inh.size == 20);
  CHECK(silent.size == 5);
  CHECK(exc.timestamps == std::vector<double>{0.1, 0.1, 0.7, 0.7, 1.5});
  CHECK(exc.node_ids == std::vector<std::uint64_t>{3, 79, 0, 4, 4});
  CHECK(inh.timestamps == std::vector<double>{0.2, 2.25, 3.0});
  CHECK(inh.node_ids == std::vector<std::uint64_t>{19, 0, 1});
  CHECK(silent.timestamps.empty());
  CHECK(silent.node_ids.empty());
  CHECK(exc.sorting == "by_time");
}

TEST_CASE("sonata spikes: spikes spanning many chunks round-trip") {
  TempDir dir;
  const std::string path = dir.file("many.h5");
  std::vector<double> all_times;
  std::vector<std::uint64_t> all_ids;
  {
    SpikeFileWriter writer(path, {}, {{"p", 1000}});
    for (int block = 0; block < 7; ++block) {
      std::vector<double> times(30'011);
      std::vector<std::uint64_t> ids(times.size());
      for (std::size_t i = 0; i < times.size(); ++i) {
        times[i] = static_cast<double>(all_times.size() + i) * 0.01;
        ids[i] = (all_times.size() + i) * 7919 % 1000;
      }
      writer.append(0, times, ids);
      all_times.insert(all_times.end(), times.begin(), times.end());
      all_ids.insert(all_ids.end(), ids.begin(), ids.end());
    }
  }  // the destructor closes
  const SpikeFile file = read_spike_file(path);
  REQUIRE(file.populations.size() == 1);
  CHECK(file.populations[0].timestamps == all_times);
  CHECK(file.populations[0].node_ids == all_ids);
  CHECK(file.t_stop == 0.0);  // never flushed with a time
}

TEST_CASE("sonata spikes: a writer killed right after flush leaves a complete file") {
  TempDir dir;
  const std::string path = dir.file("killed.h5");
  std::vector<double> times(150'000);
  std::vector<std::uint64_t> ids(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    times[i] = 0.001 * static_cast<double>(i);
    ids[i] = i % 80;
  }
  const int status = sonata_test::run_in_child([&] {
    SpikeFileWriter writer(path, sonata_test::example_meta(), three_populations);
    writer.append(0, times, ids);
    writer.append(1, {0.5, 0.6}, {1, 2});
    writer.flush(150.0);
    ::_exit(0);  // no close, no destructors, no HDF5 shutdown
  });
  REQUIRE(status == 0);
  const SpikeFile file = read_spike_file(path);
  CHECK(file.t_stop == 150.0);
  CHECK(file.meta.seed == sonata_test::example_meta().seed);
  REQUIRE(file.populations.size() == 3);
  CHECK(file.populations[0].timestamps == times);
  CHECK(file.populations[0].node_ids == ids);
  CHECK(file.populations[1].timestamps == std::vector<double>{0.5, 0.6});
  CHECK(file.populations[2].timestamps.empty());
}

TEST_CASE("sonata spikes: a writer killed before its first flush leaves an empty valid file") {
  TempDir dir;
  const std::string path = dir.file("early.h5");
  const int status = sonata_test::run_in_child([&] {
    SpikeFileWriter writer(path, sonata_test::example_meta(), three_populations);
    ::_exit(0);
  });
  REQUIRE(status == 0);
  const SpikeFile file = read_spike_file(path);
  REQUIRE(file.populations.size() == 3);
  CHECK(file.populations[0].timestamps.empty());
  CHECK(file.t_stop == 0.0);
}

TEST_CASE("sonata spikes: datasets and attributes have the types SONATA readers expect") {
  TempDir dir;
  const std::string path = dir.file("types.h5");
  {
    SpikeFileWriter writer(path, sonata_test::example_meta(), three_populations);
    writer.append(0, {1.0, 2.0}, {1, 2});
    writer.flush(2.5);
  }
  Inspect h5(path);
  REQUIRE(h5.ok());
  CHECK(h5.attribute_is_utf8_string("/", "spikeq_version"));
  CHECK(h5.attribute_is_utf8_string("/", "model"));
  CHECK(h5.attribute_is("/", "seed", H5T_STD_U64LE));
  CHECK(h5.attribute_is("/", "dt", H5T_IEEE_F64LE));
  CHECK(h5.attribute_is("/", "t_stop", H5T_IEEE_F64LE));
  CHECK(h5.attribute_is("/", "magic", H5T_STD_U32LE));
  CHECK(h5.attribute_is("/spikes/exc", "n_nodes", H5T_STD_U64LE));
  CHECK(h5.attribute_is_utf8_string("/spikes/exc/timestamps", "units"));
  CHECK(h5.dataset_is("/spikes/exc/timestamps", H5T_IEEE_F64LE));
  CHECK(h5.dataset_is("/spikes/exc/node_ids", H5T_STD_U64LE));

  // sorting: libsonata's enum {none, by_id, by_time} over uint8, holding by_time.
  const hid_t sorting = h5.attribute_type("/spikes/exc", "sorting");
  REQUIRE(sorting >= 0);
  CHECK(H5Tget_class(sorting) == H5T_ENUM);
  const hid_t base = H5Tget_super(sorting);
  CHECK(H5Tequal(base, H5T_STD_U8LE) > 0);
  H5Tclose(base);
  CHECK(H5Tget_nmembers(sorting) == 3);
  const std::vector<std::pair<std::string, std::uint8_t>> members = {
      {"none", 0}, {"by_id", 1}, {"by_time", 2}};
  for (const auto& [name, value] : members) {
    std::uint8_t got = 255;
    CHECK(H5Tenum_valueof(sorting, name.c_str(), &got) >= 0);
    CHECK(got == value);
  }
  const hid_t attr = H5Aopen_by_name(h5.file(), "/spikes/exc", "sorting", H5P_DEFAULT, H5P_DEFAULT);
  std::uint8_t stored = 0;
  H5Aread(attr, sorting, &stored);
  CHECK(stored == 2);
  H5Aclose(attr);
  H5Tclose(sorting);

  // Growing datasets: chunked, unlimited, uncompressed.
  int filters = -1;
  CHECK(h5.chunk("/spikes/exc/timestamps", &filters) == std::vector<hsize_t>{64 * 1024});
  CHECK(filters == 0);
  CHECK(h5.dims("/spikes/exc/timestamps") == std::vector<hsize_t>{2});
  CHECK(h5.dims("/spikes/exc/timestamps", true) == std::vector<hsize_t>{H5S_UNLIMITED});
  CHECK(h5.dims("/spikes/silent/node_ids") == std::vector<hsize_t>{0});
}

TEST_CASE("sonata spikes: a plain SONATA file from another tool reads") {
  TempDir dir;
  const std::string path = dir.file("foreign.h5");
  {
    sonata_test::Build file(path);
    // No spikeq attributes, no creation order, int64 ids, float32 times in seconds,
    // sorting as a fixed-length string.
    file.dataset<float>("/spikes/V1/timestamps", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {0.5F, 0.25F});
    file.dataset<std::int64_t>("/spikes/V1/node_ids", H5T_STD_I64LE, H5T_NATIVE_INT64, {7, 3});
    file.fixed_string_attribute("/spikes/V1/timestamps", "units", "s");
    file.fixed_string_attribute("/spikes/V1", "sorting", "none");
    file.dataset<double>("/spikes/LGN/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1.0, 2.0});
    file.dataset<std::uint32_t>("/spikes/LGN/node_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32, {0, 1});
  }
  const SpikeFile file = read_spike_file(path);
  CHECK(file.meta.model_yaml.empty());
  CHECK(file.meta.seed == 0);
  CHECK(file.meta.spikeq_version.empty());
  CHECK(file.meta.dt == 0.0);
  CHECK(file.t_stop == 0.0);
  REQUIRE(file.populations.size() == 2);
  const auto& lgn = file.populations[0];  // by name when creation order is not tracked
  const auto& v1 = file.populations[1];
  CHECK(lgn.name == "LGN");
  CHECK(lgn.size == 0);
  CHECK(lgn.sorting.empty());
  CHECK(lgn.timestamps == std::vector<double>{1.0, 2.0});
  CHECK(lgn.node_ids == std::vector<std::uint64_t>{0, 1});
  CHECK(v1.name == "V1");
  CHECK(v1.sorting == "none");
  CHECK(v1.timestamps == std::vector<double>{500.0, 250.0});
  CHECK(v1.node_ids == std::vector<std::uint64_t>{7, 3});
}

TEST_CASE("sonata spikes: a sorting attribute stored as a string reads like the enum") {
  TempDir dir;
  const std::string path = dir.file("string_sorting.h5");
  {
    sonata_test::Build file(path);
    file.dataset<double>("/spikes/p/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1.0});
    file.dataset<std::uint64_t>("/spikes/p/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, {0});
    file.fixed_string_attribute("/spikes/p", "sorting", "by_time");
  }
  CHECK(read_spike_file(path).populations.at(0).sorting == "by_time");
}

TEST_CASE("sonata spikes: appends that break the format are refused before writing") {
  TempDir dir;
  SpikeFileWriter writer(dir.file("refused.h5"), {}, {{"exc", 10}});
  writer.append(0, {5.0}, {1});
  CHECK_THROWS_AS(writer.append(0, {4.9}, {1}),
                  spikeq::InvalidParameter);  // before the last append
  CHECK_THROWS_AS(writer.append(0, {6.0, 5.5}, {1, 1}), spikeq::InvalidParameter);
  CHECK_THROWS_AS(writer.append(0, {6.0}, {10}), spikeq::InvalidParameter);  // id >= size
  CHECK_THROWS_AS(writer.append(0, {6.0, 7.0}, {1}), spikeq::InvalidParameter);
  CHECK_THROWS_AS(writer.append(0, {std::numeric_limits<double>::quiet_NaN()}, {1}),
                  spikeq::InvalidParameter);
  CHECK_THROWS_AS(writer.append(1, {6.0}, {1}), spikeq::InvalidParameter);
  CHECK_THROWS_WITH_AS(writer.append(0, {1.0}, {1}), doctest::Contains("'exc'"),
                       spikeq::InvalidParameter);
  writer.append(0, {5.0}, {2});  // still usable: nothing was written
  writer.close();
  CHECK_THROWS_AS(writer.append(0, {6.0}, {1}), FileError);
  const SpikeFile file = read_spike_file(dir.file("refused.h5"));
  CHECK(file.populations.at(0).timestamps == std::vector<double>{5.0, 5.0});
}

TEST_CASE("sonata spikes: population names that cannot be groups are refused") {
  TempDir dir;
  CHECK_THROWS_AS(SpikeFileWriter(dir.file("a.h5"), {}, {{"a/b", 1}}), spikeq::InvalidParameter);
  CHECK_THROWS_AS(SpikeFileWriter(dir.file("a.h5"), {}, {{"", 1}}), spikeq::InvalidParameter);
  CHECK_THROWS_AS(SpikeFileWriter(dir.file("a.h5"), {}, {{"x", 1}, {"x", 2}}),
                  spikeq::InvalidParameter);
}

TEST_CASE("sonata spikes: a moved writer keeps writing the same file") {
  TempDir dir;
  const std::string path = dir.file("moved.h5");
  SpikeFileWriter first(path, {}, {{"p", 3}});
  first.append(0, {1.0}, {0});
  SpikeFileWriter second(std::move(first));
  second.append(0, {2.0}, {1});
  SpikeFileWriter third(dir.file("other.h5"), {}, {{"q", 1}});
  third = std::move(second);  // closes other.h5 first
  third.append(0, {3.0}, {2});
  third.close();
  CHECK(read_spike_file(path).populations.at(0).node_ids == std::vector<std::uint64_t>{0, 1, 2});
  CHECK(read_spike_file(dir.file("other.h5")).populations.at(0).name == "q");
}

namespace {

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("sonata spikes: the file's bytes do not depend on when it was flushed") {
  // The run loop flushes every 2 s of wall time, so a faster backend flushes less often:
  // the same spikes must still give the same file, byte for byte (chunks get their file
  // space in the order of the appends, not of the flushes).
  TempDir dir;
  auto write = [&](const std::string& name, bool flush_each) {
    const std::string path = dir.file(name);
    SpikeFileWriter writer(path, sonata_test::example_meta(), three_populations);
    std::vector<double> t;
    std::vector<std::uint64_t> id;
    for (int k = 0; k < 12; ++k) {
      t.assign(30'000, 0.5 * k);
      id.assign(30'000, static_cast<std::uint64_t>(k % 80));
      writer.append(static_cast<std::size_t>(k % 2), t, id);  // 180 000 spikes each: chunks fill
      if (flush_each) writer.flush(0.5 * k);
    }
    writer.flush(6.0);
    writer.close();
    return bytes_of(path);
  };
  const std::string rarely = write("rarely.h5", false);
  const std::string often = write("often.h5", true);
  CHECK(rarely.size() > 2'000'000);
  CHECK(rarely == often);
}
