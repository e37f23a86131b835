// SONATA report files: round trips, a writer killed after flush(), the mapping other
// readers use, and reports written by other tools.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sonata_test_support.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/sonata.hpp"

using namespace spikeq::io;
using sonata_test::Inspect;
using sonata_test::TempDir;

namespace {

const std::vector<std::uint64_t> report_nodes = {5, 2, 9};

/// Row k, column j holds 100 k + j, so every value says where it belongs.
std::vector<double> rows(std::size_t first, std::size_t count) {
  std::vector<double> values;
  for (std::size_t k = first; k < first + count; ++k) {
    for (std::size_t j = 0; j < report_nodes.size(); ++j)
      values.push_back(100.0 * static_cast<double>(k) + static_cast<double>(j));
  }
  return values;
}

}  // namespace

TEST_CASE("sonata report: appends of several rows round-trip with their time mapping") {
  TempDir dir;
  const std::string path = dir.file("v.h5");
  {
    ReportFileWriter writer(path, sonata_test::example_meta(), "exc", "V_m", "mV", report_nodes,
                            1.0, 0.5);
    writer.append(rows(0, 3).data(), 3);
    writer.append(nullptr, 0);
    writer.flush();
    writer.append(rows(3, 4).data(), 4);
    writer.close();
  }
  const ReportFile report = read_report_file(path);
  CHECK(report.population == "exc");
  CHECK(report.variable == "V_m");
  CHECK(report.units == "mV");
  CHECK(report.node_ids == report_nodes);
  CHECK(report.start == 1.0);
  CHECK(report.step == 0.5);
  CHECK(report.stop == 1.0 + 7 * 0.5);  // after the last sample: SONATA's open interval
  CHECK(report.data == rows(0, 7));
  CHECK(report.meta.seed == sonata_test::example_meta().seed);
  CHECK(report.meta.model_yaml == sonata_test::example_meta().model_yaml);
  CHECK(read_report_file(path, "exc").data == report.data);
}

TEST_CASE("sonata report: a report without rows is valid") {
  TempDir dir;
  const std::string path = dir.file("empty.h5");
  ReportFileWriter(path, {}, "p", "V_m", "mV", {0}, 0.0, 0.1).close();
  const ReportFile report = read_report_file(path);
  CHECK(report.data.empty());
  CHECK(report.stop == 0.0);
}

TEST_CASE("sonata report: wide reports split rows over chunks and round-trip") {
  TempDir dir;
  const std::string path = dir.file("wide.h5");
  std::vector<std::uint64_t> nodes(100'000);
  for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i] = i;
  std::vector<double> values(nodes.size() * 3);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i) * 0.25;
  {
    ReportFileWriter writer(path, {}, "big", "V_m", "mV", nodes, 0.0, 1.0);
    writer.append(values.data(), 1);
    writer.append(values.data() + nodes.size(), 2);
  }
  const ReportFile report = read_report_file(path);
  CHECK(report.data == values);
  Inspect h5(path);
  CHECK(h5.chunk("/report/big/data") == std::vector<hsize_t>{1, 64 * 1024});
}

TEST_CASE("sonata report: a writer killed right after flush leaves a complete file") {
  TempDir dir;
  const std::string path = dir.file("killed.h5");
  const int status = sonata_test::run_in_child([&] {
    ReportFileWriter writer(path, sonata_test::example_meta(), "exc", "V_m", "mV", report_nodes,
                            0.0, 0.1);
    writer.append(rows(0, 5).data(), 5);
    writer.flush();
    ::_exit(0);  // no close, no destructors, no HDF5 shutdown
  });
  REQUIRE(status == 0);
  const ReportFile report = read_report_file(path);
  CHECK(report.data == rows(0, 5));
  CHECK(report.stop == doctest::Approx(0.5));
}

TEST_CASE("sonata report: mapping and data have the layout SONATA readers expect") {
  TempDir dir;
  const std::string path = dir.file("layout.h5");
  {
    ReportFileWriter writer(path, sonata_test::example_meta(), "exc", "V_m", "mV", report_nodes,
                            1.0, 0.5);
    writer.append(rows(0, 2).data(), 2);
    writer.flush();
  }
  Inspect h5(path);
  REQUIRE(h5.ok());
  CHECK(h5.dataset_is("/report/exc/data", H5T_IEEE_F64LE));
  CHECK(h5.dims("/report/exc/data") == std::vector<hsize_t>{2, 3});
  CHECK(h5.dims("/report/exc/data", true) == std::vector<hsize_t>{H5S_UNLIMITED, 3});
  int filters = -1;
  CHECK(h5.chunk("/report/exc/data", &filters) == std::vector<hsize_t>{64 * 1024 / 3, 3});
  CHECK(filters == 0);
  CHECK(h5.attribute_is_utf8_string("/report/exc/data", "units"));
  CHECK(h5.attribute_is_utf8_string("/", "variable"));
  CHECK(h5.attribute_is("/", "seed", H5T_STD_U64LE));

  CHECK(h5.dataset_is("/report/exc/mapping/node_ids", H5T_STD_U64LE));
  CHECK(h5.read<std::uint64_t>("/report/exc/mapping/node_ids", H5T_NATIVE_UINT64) == report_nodes);
  CHECK(h5.attribute_is("/report/exc/mapping/node_ids", "sorted", H5T_STD_I8LE));
  for (const char* name :
       {"/report/exc/mapping/index_pointers", "/report/exc/mapping/index_pointer"}) {
    CAPTURE(name);
    CHECK(h5.dataset_is(name, H5T_STD_U64LE));
    CHECK(h5.read<std::uint64_t>(name, H5T_NATIVE_UINT64) ==
          std::vector<std::uint64_t>{0, 1, 2, 3});
  }
  CHECK(h5.dataset_is("/report/exc/mapping/element_ids", H5T_STD_U32LE));
  CHECK(h5.read<std::uint32_t>("/report/exc/mapping/element_ids", H5T_NATIVE_UINT32) ==
        std::vector<std::uint32_t>{0, 0, 0});
  CHECK(h5.dataset_is("/report/exc/mapping/time", H5T_IEEE_F64LE));
  CHECK(h5.read<double>("/report/exc/mapping/time", H5T_NATIVE_DOUBLE) ==
        std::vector<double>{1.0, 2.0, 0.5});
  CHECK(h5.attribute_is_utf8_string("/report/exc/mapping/time", "units"));
}

TEST_CASE("sonata report: a soma report from another tool reads") {
  TempDir dir;
  const std::string path = dir.file("bmtk.h5");
  {
    sonata_test::Build file(path);
    // bmtk's names (index_pointer), float32 data, int32 ids, no spikeq attributes, units
    // as libsonata's early writer stored them.
    file.dataset<float>("/report/V1/data", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {1, 2, 3, 4, 5, 6},
                        {3, 2});
    file.dataset<std::int32_t>("/report/V1/mapping/node_ids", H5T_STD_I32LE, H5T_NATIVE_INT32,
                               {4, 1});
    file.dataset<std::uint64_t>("/report/V1/mapping/index_pointer", H5T_STD_U64LE,
                                H5T_NATIVE_UINT64, {0, 1, 2});
    file.dataset<std::uint64_t>("/report/V1/mapping/element_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                {0, 0});
    file.dataset<double>("/report/V1/mapping/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                         {0.0, 1.5, 0.5});
    file.char_array_attribute("/report/V1/data", "units", "mV");
    file.fixed_string_attribute("/report/V1/data", "variable", "v");
  }
  const ReportFile report = read_report_file(path);
  CHECK(report.population == "V1");
  CHECK(report.variable == "v");
  CHECK(report.units == "mV");
  CHECK(report.node_ids == std::vector<std::uint64_t>{4, 1});
  CHECK(report.start == 0.0);
  CHECK(report.stop == 1.5);
  CHECK(report.step == 0.5);
  CHECK(report.data == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(report.meta.spikeq_version.empty());
}

TEST_CASE("sonata report: files with several populations need the population named") {
  TempDir dir;
  const std::string path = dir.file("two.h5");
  {
    sonata_test::Build file(path);
    for (const std::string pop : {"a", "b"}) {
      file.dataset<double>("/report/" + pop + "/data", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                           {pop == "a" ? 1.0 : 2.0}, {1, 1});
      file.dataset<std::uint64_t>("/report/" + pop + "/mapping/node_ids", H5T_STD_U64LE,
                                  H5T_NATIVE_UINT64, {0});
      file.dataset<std::uint64_t>("/report/" + pop + "/mapping/index_pointers", H5T_STD_U64LE,
                                  H5T_NATIVE_UINT64, {0, 1});
      file.dataset<double>("/report/" + pop + "/mapping/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                           {0, 1, 1});
    }
  }
  CHECK_THROWS_WITH_AS(read_report_file(path), doctest::Contains("2 populations (a, b)"),
                       FileError);
  CHECK(read_report_file(path, "b").data == std::vector<double>{2.0});
  CHECK_THROWS_WITH_AS(read_report_file(path, "c"), doctest::Contains("/report/c: group missing"),
                       FileError);
}

TEST_CASE("sonata report: compartment reports with several values per node are refused") {
  TempDir dir;
  const std::string path = dir.file("compartments.h5");
  {
    sonata_test::Build file(path);
    file.dataset<double>("/report/p/data", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1, 2, 3}, {1, 3});
    file.dataset<std::uint64_t>("/report/p/mapping/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                {0, 1});
    file.dataset<std::uint64_t>("/report/p/mapping/index_pointers", H5T_STD_U64LE,
                                H5T_NATIVE_UINT64, {0, 2, 3});
    file.dataset<double>("/report/p/mapping/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {0, 1, 1});
  }
  CHECK_THROWS_WITH_AS(
      read_report_file(path),
      doctest::Contains("/report/p/mapping/index_pointers: node 0 does not have exactly one value"),
      FileError);
}

TEST_CASE("sonata report: invalid writer arguments are refused") {
  TempDir dir;
  const std::string path = dir.file("bad.h5");
  CHECK_THROWS_AS(ReportFileWriter(path, {}, "p", "V_m", "mV", {}, 0.0, 0.1),
                  spikeq::InvalidParameter);
  CHECK_THROWS_AS(ReportFileWriter(path, {}, "p", "V_m", "mV", {0}, 0.0, 0.0),
                  spikeq::InvalidParameter);
  CHECK_THROWS_AS(ReportFileWriter(path, {}, "p", "V_m", "mV", {0}, 0.0, -1.0),
                  spikeq::InvalidParameter);
  CHECK_THROWS_AS(ReportFileWriter(path, {}, "a/b", "V_m", "mV", {0}, 0.0, 0.1),
                  spikeq::InvalidParameter);
  ReportFileWriter writer(path, {}, "p", "V_m", "mV", {0}, 0.0, 0.1);
  CHECK_THROWS_AS(writer.append(nullptr, 2), spikeq::InvalidParameter);
}

TEST_CASE("sonata report: the file's bytes do not depend on when it was flushed") {
  TempDir dir;
  std::vector<std::uint64_t> nodes(700);
  for (std::uint64_t k = 0; k < nodes.size(); ++k) nodes[k] = k;
  auto write = [&](const std::string& name, bool flush_each) {
    const std::string path = dir.file(name);
    {
      ReportFileWriter writer(path, sonata_test::example_meta(), "exc", "V_m", "mV", nodes, 0.0, 0.1);
      std::vector<double> values(nodes.size() * 37);
      for (int k = 0; k < 20; ++k) {  // 740 rows: 8 chunks of 93 rows, appended in 37s
        for (std::size_t j = 0; j < values.size(); ++j) values[j] = k + 1e-3 * static_cast<double>(j);
        writer.append(values.data(), 37);
        if (flush_each) writer.flush();
      }
      writer.close();
    }
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  CHECK(write("rarely.h5", false) == write("often.h5", true));
}
