// Every backend of this build against the serial reference, byte for byte
// (backend_suite.hpp): oneTBB at several thread counts, and the cuda backend's kernels on
// the CPU (cuda-emulated) under two block orders. A new backend joins by one line in the
// lists below; the cuda backend runs the same suite on a GPU (test_cuda_backends.cpp).
#include <cstdint>

#include "spikeq/spikeq.hpp"

namespace backend_suite {

/// The oneTBB backend on N threads; more threads than cores are allowed here because
/// the point is to run the same tiles under other schedules.
template <int N>
struct Tbb {
  static spikeq::SimulationOptions options(std::uint64_t seed) {
    return {.seed = seed, .backend = "tbb", .threads = N, .oversubscribe = true};
  }
};

/// The cuda backend's kernels on the CPU, blocks and threads in the order of emulated
/// device D: two devices, two schedules, one result.
template <int D>
struct CudaEmulated {
  static spikeq::SimulationOptions options(std::uint64_t seed) {
    return {.seed = seed, .backend = "cuda-emulated", .device = D};
  }
};

}  // namespace backend_suite

#define SPIKEQ_SUITE_ALL Serial, Tbb<1>, Tbb<2>, Tbb<3>, Tbb<8>, CudaEmulated<0>, CudaEmulated<7>
#define SPIKEQ_SUITE_PLASTIC SPIKEQ_SUITE_ALL
#include "backend_suite.hpp"
