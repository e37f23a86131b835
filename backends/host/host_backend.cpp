#include "spikeq/backends/host_backend.hpp"

#include <utility>

#include "spikeq/backends/host_kernels.hpp"

namespace spikeq::detail {

HostBackend::HostBackend(BuiltNetwork net) : net_(std::move(net)) { bind_tables(net_); }

MemoryReport HostBackend::memory() const { return memory_of(net_); }

void HostBackend::set_replay(std::uint32_t population, ReplayWindow window) {
  net_.populations[population].replay = std::move(window);
}

}  // namespace spikeq::detail
