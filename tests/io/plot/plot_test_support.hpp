#pragma once
// Inputs and file helpers shared by the plot tests.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "spikeq/io/plot.hpp"

namespace plot_test {

/// A fresh path in the temporary directory, removed when the object goes out of scope;
/// the process id keeps concurrent test runs apart.
class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("spikeq_test_plot_" + std::to_string(::getpid()) + "_" + name)) {}
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  [[nodiscard]] std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every neuron of each population fires regularly, with the phase shifted per neuron,
/// from t_start to t_stop: `period_ms` apart.
inline spikeq::io::RasterPlotInput regular_input(std::uint64_t size_a, std::uint64_t size_b,
                                                 double period_ms, double t_stop_ms) {
  spikeq::io::RasterPlotInput input;
  input.title = "Regular test network";
  input.t_stop_ms = t_stop_ms;
  const std::pair<const char*, std::uint64_t> pops[] = {{"exc", size_a}, {"inh", size_b}};
  for (const auto& [name, size] : pops) {
    spikeq::io::RasterPlotInput::Population pop;
    pop.name = name;
    pop.size = size;
    for (double t0 = 0.0; t0 < t_stop_ms; t0 += period_ms) {
      for (std::uint64_t n = 0; n < size; ++n) {
        const double t = t0 + period_ms * static_cast<double>(n) / static_cast<double>(size);
        if (t >= t_stop_ms) continue;
        pop.times_ms.push_back(t);
        pop.node_ids.push_back(n);
      }
    }
    input.populations.push_back(std::move(pop));
  }
  return input;
}

inline std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace plot_test
