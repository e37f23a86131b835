// The files as Python users see them: h5py (Debian python3-h5py, importable from
// /usr/bin/python3) checks dtypes, shapes and attribute types of files whose writer was
// killed after flush(). Reported skipped by CTest where that Python or h5py is missing.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>

#include "../../support/prerequisites.hpp"
#include "sonata_test_support.hpp"
#include "spikeq/io/sonata.hpp"

using namespace spikeq::io;
using sonata_test::TempDir;

namespace {

constexpr const char* python = "/usr/bin/python3";

struct Run {
  int status = -1;
  std::string output;
};

Run run(const std::string& command) {
  Run result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST_CASE("sonata h5py: spike and report files have the layout Python readers expect") {
  if (!std::filesystem::exists(python)) {
    spikeq::test::report_skipped(std::string(python).append(" not found"));
    return;
  }
  if (run(std::string(python) + " -c 'import h5py'").status != 0) {
    std::string why = "h5py cannot be imported by ";
    why.append(python).append(" (Debian package python3-h5py)");
    spikeq::test::report_skipped(why);
    return;
  }
  TempDir dir;
  const std::string spikes = dir.file("spikes.h5");
  const std::string report = dir.file("report.h5");
  // Written by a process that dies right after flush(), without closing: h5py must
  // read that as well as a closed file.
  const int status = sonata_test::run_in_child([&] {
    SpikeFileWriter spike_writer(spikes, sonata_test::example_meta(), {{"exc", 80}, {"inh", 20}});
    spike_writer.append(0, {1.0, 2.0}, {0, 1});
    spike_writer.append(0, {3.5}, {79});
    spike_writer.flush(12.5);
    ReportFileWriter report_writer(report, sonata_test::example_meta(), "exc", "V_m", "mV",
                                   {5, 2, 9}, 1.0, 0.5);
    std::array<double, 12> values{};
    std::iota(values.begin(), values.end(), 0.0);
    report_writer.append(values.data(), 1);
    report_writer.append(values.data() + 3, 3);
    report_writer.flush();
    ::_exit(0);
  });
  REQUIRE(status == 0);
  const Run check =
      run(std::string(python) + " " + SPIKEQ_SONATA_LAYOUT_CHECK + " " + spikes + " " + report);
  INFO(check.output);
  CHECK(check.status == 0);
  CHECK(check.output == "OK\n");
}
