// The table of the backends compiled into this build (registry.hpp). A new backend adds
// one entry, inside the #if of the CMake definition that compiles its folder in, e.g.
//   #if defined(SPIKEQ_HAVE_MPI)
//     {"mpi", "ranks of an MPI job", true, false, &make_mpi},
//   #endif
// and its name to kEveryBackend.
#include "spikeq/backends/registry.hpp"

#include <algorithm>
#include <utility>

namespace spikeq::detail {
namespace {

std::unique_ptr<Backend> make_serial(BuiltNetwork network, const BackendSettings&) {
  return make_serial_backend(std::move(network));
}

std::unique_ptr<Backend> make_tbb(BuiltNetwork network, const BackendSettings& s) {
  return make_tbb_backend(std::move(network), s.threads);
}

std::unique_ptr<Backend> make_cuda_emulated(BuiltNetwork network, const BackendSettings& s) {
  return make_cuda_emulated_backend(std::move(network), s.device);
}

#if defined(SPIKEQ_HAVE_CUDA)
std::unique_ptr<Backend> make_cuda(BuiltNetwork network, const BackendSettings& s) {
  return make_cuda_backend(std::move(network), s.device);
}
#endif

constexpr BackendEntry kBackends[] = {
    {"serial", "the reference: one thread, every population in turn", false, false, &make_serial},
    {"tbb", "oneTBB threads on fixed neuron tiles", true, false, &make_tbb},
#if defined(SPIKEQ_HAVE_CUDA)
    {"cuda", "an NVIDIA GPU (--device N)", false, true, &make_cuda},
#endif
    {"cuda-emulated",
     "the cuda backend's kernels on one CPU thread, blocks in a shuffled order (--device N "
     "picks the order)",
     false, true, &make_cuda_emulated},
};

/// Every backend spikeq has, compiled into this build or not.
constexpr std::string_view kEveryBackend[] = {"serial", "tbb", "cuda", "cuda-emulated", "mpi"};

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
