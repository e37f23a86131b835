#include "options.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <system_error>

#include "spikeq/core/errors.hpp"
#include "spikeq/core/simulation.hpp"

namespace spikeq_bench {
namespace {

template <typename T>
T parse_number(std::string_view flag, std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    throw UsageError(std::string(flag) + ": '" + std::string(text) + "' is not a valid number");
  }
  return value;
}

/// The backends of this build (the engine's registry), joined by `separator`.
std::string backend_names(const std::string& separator) {
  std::string out;
  for (const std::string& name : spikeq::available_backends()) {
    out += (out.empty() ? "" : separator) + name;
  }
  return out;
}

}  // namespace

Options parse_options(int argc, const char* const* argv) {
  Options o;
  for (int k = 1; k < argc; ++k) {
    std::string_view arg = argv[k];
    if (arg == "-h" || arg == "--help") {
      o.help = true;
      continue;
    }
    if (arg == "--oversubscribe") {  // the only flag without a value
      o.oversubscribe = true;
      continue;
    }
    std::string_view flag = arg;
    std::string_view value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else {
      if (k + 1 >= argc) throw UsageError(std::string(flag) + " needs a value");
      value = argv[++k];
    }
    if (flag == "--network") {
      o.network = std::string(value);
    } else if (flag == "--size") {
      // The peers take a float (--size 4000.0 is valid there), so accept one here too.
      const double s = parse_number<double>(flag, value);
      if (!(s >= 1.0) || s > std::numeric_limits<std::uint32_t>::max()) {
        throw UsageError("--size must be a positive neuron count");
      }
      o.size = static_cast<std::uint32_t>(s);
    } else if (flag == "--duration") {
      o.duration_ms = parse_number<double>(flag, value);
      if (!(o.duration_ms > 0.0) || !std::isfinite(o.duration_ms)) {
        throw UsageError("--duration must be a positive time in ms");
      }
    } else if (flag == "--seed") {
      o.seed = parse_number<std::uint64_t>(flag, value);
    } else if (flag == "--backend") {
      o.backend = std::string(value);
      try {  // the engine's message: unknown, or not compiled into this build
        spikeq::check_options({.backend = o.backend});
      } catch (const spikeq::Error& e) {
        std::string message = e.what();
        if (message.rfind("simulation: ", 0) == 0) message.erase(0, 12);
        throw UsageError("--backend: " + message);
      }
    } else if (flag == "--device") {
      o.device = parse_number<int>(flag, value);
      if (o.device < 0) throw UsageError("--device must be >= 0");
    } else if (flag == "--threads") {
      o.threads = parse_number<int>(flag, value);
      if (o.threads < 0) throw UsageError("--threads must be >= 0 (0: the backend's default)");
    } else {
      throw UsageError("unknown option '" + std::string(flag) + "'");
    }
  }
  if (!o.help && o.network.empty()) throw UsageError("--network is required");
  return o;
}

std::string usage(const std::string& program) {
  return "usage: " + program +
         " --network NAME [--size N] [--duration MS] [--seed K]\n"
         "       [--backend " + backend_names("|") + "] [--threads T] [--oversubscribe]\n"
         "  Builds one of the Brian2 peer networks (../shared/peers/brian2) with spikeq,\n"
         "  runs it and prints `key value` lines like the peers do.\n"
         "  --network   cuba, coba, izhikevich2003, brunel2000, brunel2000_scaled (the\n"
         "              in-degrees of NE = 10000 at any NE), brunel2000_hetero (delays\n"
         "              uniform in 1-20 ms, as bench/peers/brunel2000_hetero.py) or\n"
         "              potjans_diesmann\n"
         "  --size      neurons (default: 4000 for cuba/coba, 1000 for izhikevich2003;\n"
         "              NE = 10000 for the Brunel networks, 77169 for potjans_diesmann)\n"
         "  --duration  simulated time in ms (default 1000)\n"
         "  --seed      random seed (default 12345)\n"
         "  --backend   simulation backend (default serial; this build has " +
         backend_names(", ") + ")\n"
         "  --threads   worker threads (default 0: the backend's default; serial: 1,\n"
         "              tbb: every core this process may use); the report says how many ran\n"
         "  --device    the GPU of the cuda backend (cuda-emulated: its block order)\n"
         "  --oversubscribe  allow more threads than cores\n"
         "  The report's spike_digest (FNV-1a of every population's spike steps and ids)\n"
         "  is equal between backends exactly when their spikes are.\n";
}

}  // namespace spikeq_bench
