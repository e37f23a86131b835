#include <unistd.h>

#include <string>

#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/memory.hpp"

// format_bytes and MemoryReport::to_string are in core/base/src/memory.cpp, memory_of in
// backends/host/memory_of.cpp (docs/architecture.md, "Layers").
namespace spikeq::detail {

void check_allocation(double bytes, const std::string& what) {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown: let the allocator decide
  const double physical = static_cast<double>(pages) * static_cast<double>(page_size);
  if (bytes > 0.9 * physical) {
    throw CapacityError(what + " needs about " + format_bytes(bytes) + " of memory, more than the " +
                        format_bytes(physical) + " this machine has");
  }
}

}  // namespace spikeq::detail
