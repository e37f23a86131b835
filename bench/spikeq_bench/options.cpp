#include "options.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <system_error>

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

}  // namespace

Options parse_options(int argc, const char* const* argv) {
  Options o;
  for (int k = 1; k < argc; ++k) {
    std::string_view arg = argv[k];
    if (arg == "-h" || arg == "--help") {
      o.help = true;
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
    } else {
      throw UsageError("unknown option '" + std::string(flag) + "'");
    }
  }
  if (!o.help && o.network.empty()) throw UsageError("--network is required");
  return o;
}

std::string usage(const std::string& program) {
  return "usage: " + program +
         " --network cuba|coba|izhikevich2003 [--size N] [--duration MS] [--seed K]\n"
         "  Builds one of the Brian2 peer networks (/work/shared/peers/brian2) with spikeq,\n"
         "  runs it on the serial backend and prints `key value` lines like the peers do.\n"
         "  --size      neurons (default: 4000 for cuba/coba, 1000 for izhikevich2003)\n"
         "  --duration  simulated time in ms (default 1000)\n"
         "  --seed      random seed (default 12345)\n";
}

}  // namespace spikeq_bench
