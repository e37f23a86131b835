// The table of the backends compiled into this build (registry.hpp). A new backend adds
// one entry, inside the #if of the CMake definition that compiles its folder in, e.g.
//   #if defined(SPIKEQ_HAVE_CUDA)
//     {"cuda", "NVIDIA GPU", false, &make_cuda_backend},
//   #endif
// and its name to kEveryBackend.
#include "spikeq/backends/registry.hpp"

#include <algorithm>
#include <utility>

namespace spikeq::detail {
namespace {

std::unique_ptr<Backend> make_serial(BuiltNetwork network, int /*threads: always 1*/) {
  return make_serial_backend(std::move(network));
}

constexpr BackendEntry kBackends[] = {
    {"serial", "the reference: one thread, every population in turn", false, &make_serial},
    {"tbb", "oneTBB threads on fixed neuron tiles", true, &make_tbb_backend},
};

/// Every backend spikeq has, compiled into this build or not.
constexpr std::string_view kEveryBackend[] = {"serial", "tbb", "cuda", "mpi"};

}  // namespace

std::span<const BackendEntry> backend_registry() noexcept { return kBackends; }

const BackendEntry* find_backend(std::string_view name) noexcept {
  for (const BackendEntry& b : kBackends) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

bool backend_not_built(std::string_view name) noexcept {
  return find_backend(name) == nullptr &&
         std::find(std::begin(kEveryBackend), std::end(kEveryBackend), name) != std::end(kEveryBackend);
}

}  // namespace spikeq::detail
