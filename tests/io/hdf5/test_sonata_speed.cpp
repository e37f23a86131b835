// Writing must not slow a simulation down: 10^7 spikes appended 10^5 at a time should
// take well under a second. The bound checked is loose (shared, busy test machines);
// the time measured is printed.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sonata_test_support.hpp"
#include "spikeq/io/sonata.hpp"

using namespace spikeq::io;
using sonata_test::TempDir;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("sonata speed: 10 million spikes in appends of 100 thousand") {
  constexpr std::size_t total = 10'000'000;
  constexpr std::size_t block = 100'000;
  constexpr std::uint64_t nodes = 1'000'000;
  std::vector<double> times(block);
  std::vector<std::uint64_t> ids(block);
  TempDir dir;
  const std::string path = dir.file("speed.h5");

  const auto start = std::chrono::steady_clock::now();
  {
    SpikeFileWriter writer(path, sonata_test::example_meta(), {{"exc", nodes}});
    for (std::size_t first = 0; first < total; first += block) {
      for (std::size_t i = 0; i < block; ++i) {
        times[i] = 1e-4 * static_cast<double>(first + i);
        ids[i] = (first + i) * 2654435761ULL % nodes;
      }
      writer.append(0, times, ids);
    }
    writer.flush(1e-4 * total);
    writer.close();
  }
  const double write_s = seconds_since(start);

  const auto read_start = std::chrono::steady_clock::now();
  const SpikeFile file = read_spike_file(path);
  const double read_s = seconds_since(read_start);

  MESSAGE("wrote 1e7 spikes (" << 16 * total / 1'000'000 << " MB) in " << write_s
                               << " s, read them back in " << read_s << " s");
  REQUIRE(file.populations.size() == 1);
  CHECK(file.populations[0].timestamps.size() == total);
  CHECK(file.populations[0].node_ids[total - 1] == (total - 1) * 2654435761ULL % nodes);
  CHECK(write_s < 5.0);
}

TEST_CASE("sonata speed: a report of 1000 nodes over 10000 samples in appends of 10 rows") {
  constexpr std::size_t nodes = 1000;
  constexpr std::size_t samples = 10'000;
  constexpr std::size_t block = 10;
  std::vector<std::uint64_t> node_ids(nodes);
  for (std::size_t i = 0; i < nodes; ++i) node_ids[i] = i;
  std::vector<double> values(nodes * block, -65.0);
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  {
    ReportFileWriter writer(dir.file("report.h5"), {}, "exc", "V_m", "mV", node_ids, 0.0, 0.1);
    for (std::size_t row = 0; row < samples; row += block) writer.append(values.data(), block);
  }
  const double write_s = seconds_since(start);
  MESSAGE("wrote 1e7 report values (80 MB) in " << write_s << " s");
  CHECK(write_s < 5.0);
}
