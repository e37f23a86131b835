#pragma once
// The command line of spikeq_bench, mirroring the Brian2 peers' common.py.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace spikeq_bench {

struct Options {
  std::string network;                 ///< cuba | coba | izhikevich2003 | brunel2000 | ...
  std::optional<std::uint32_t> size;   ///< neurons; unset: the network's reference size
  double duration_ms = 1000.0;
  std::uint64_t seed = 12345;          ///< the peers' default, for like-for-like runs
  std::string backend = "serial";      ///< SimulationOptions::backend
  int threads = 0;                     ///< SimulationOptions::threads; 0: backend default
  int device = 0;                      ///< SimulationOptions::device
  bool oversubscribe = false;          ///< SimulationOptions::oversubscribe
  bool help = false;
};

/// A command line that cannot be understood; the message says why.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Accepts `--flag value` and `--flag=value`; throws UsageError.
Options parse_options(int argc, const char* const* argv);

std::string usage(const std::string& program);

}  // namespace spikeq_bench
