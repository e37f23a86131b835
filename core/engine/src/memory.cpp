#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>

#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/memory.hpp"

// format_bytes and MemoryReport::to_string are in core/base/src/memory.cpp, memory_of in
// backends/host/memory_of.cpp (docs/architecture.md, "Layers").
namespace spikeq::detail {

namespace {

/// A bound on the memory this process can use, and what it is, for the message.
struct MemoryBound {
  double bytes;
  std::string what;
};

/// The first number in file `path` (a cgroup's memory.max, "max" when unlimited), or 0.
double number_in(const std::string& path) {
  std::ifstream in(path);
  double v = 0.0;
  return (in >> v) ? v : 0.0;
}

/// The cgroup v2 memory.max of this process, or 0 when there is none or it is "max".
double cgroup_limit() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) != 0) continue;
    return number_in("/sys/fs/cgroup" + line.substr(3) + "/memory.max");
  }
  return 0.0;
}

/// MemAvailable of /proc/meminfo, in bytes, or 0.
double available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kib = 0.0;
  std::string unit;
  while (in >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024.0;
  }
  return 0.0;
}

/// The tightest of: 90 % of physical memory, the available memory, the process's
/// address-space limit (ulimit -v) and its cgroup's memory.max. Unknown ones are skipped.
std::optional<MemoryBound> memory_bound() {
  std::optional<MemoryBound> out;
  auto consider = [&](double bytes, const std::string& what) {
    if (bytes > 0.0 && (!out || bytes < out->bytes)) out = MemoryBound{bytes, what};
  };
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) {
    const double physical = static_cast<double>(pages) * static_cast<double>(page_size);
    consider(0.9 * physical, "the " + format_bytes(physical) + " this machine has");
  }
  if (const double available = available_memory(); available > 0.0) {
    consider(available, "the " + format_bytes(available) + " of memory available now");
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const auto bytes = static_cast<double>(limit.rlim_cur);
    consider(bytes, "the process's address-space limit of " + format_bytes(bytes) + " (ulimit -v)");
  }
  if (const double cgroup = cgroup_limit(); cgroup > 0.0) {
    consider(cgroup, "the cgroup's memory limit of " + format_bytes(cgroup) + " (memory.max)");
  }
  return out;
}

}  // namespace

void check_allocation(double bytes, const std::string& what) {
  const std::optional<MemoryBound> bound = memory_bound();
  if (bound && bytes > bound->bytes) {
    throw CapacityError(what + " needs about " + format_bytes(bytes) + " of memory, more than " +
                        bound->what);
  }
}

}  // namespace spikeq::detail
