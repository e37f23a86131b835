#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <variant>

#include "spikeq/backends/backend.hpp"
#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/memory.hpp"

namespace spikeq {

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::string MemoryReport::to_string() const {
  std::ostringstream s;
  char bps[32];
  std::snprintf(bps, sizeof bps, "%.2f", bytes_per_synapse());
  s << "synapses " << format_bytes(static_cast<double>(synapse_bytes)) << " (" << synapses
    << " synapses, " << bps << " B/synapse), rings " << format_bytes(static_cast<double>(ring_bytes))
    << ", neurons " << format_bytes(static_cast<double>(neuron_bytes)) << ", recordings "
    << format_bytes(static_cast<double>(recording_bytes)) << ", total "
    << format_bytes(static_cast<double>(total()));
  return s.str();
}

namespace detail {

MemoryReport memory_of(const BuiltNetwork& net) {
  MemoryReport r;
  for (const auto& proj : net.projections) {
    r.synapse_bytes += proj.csr.bytes() + (proj.plastic ? proj.plastic->bytes() : 0);
    r.synapses += proj.csr.size();
  }
  for (const auto& pop : net.populations) {
    r.ring_bytes += pop.rings.size() * sizeof(Accum);
    r.neuron_bytes += std::visit([](const auto& pp) { return pp.bytes(); }, pop.state);
    r.neuron_bytes += (pop.current_static.size() + pop.current_step.size()) * sizeof(double) +
                      pop.fired.size() +
                      (pop.user_of_internal.size() + pop.internal_of_user.size()) * 4;
  }
  return r;
}

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

}  // namespace detail
}  // namespace spikeq
