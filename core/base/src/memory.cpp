#include "spikeq/core/memory.hpp"

#include <cstdio>
#include <sstream>

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

}  // namespace spikeq
