// The cuda backend: the device backend (backends/device) on the CUDA runtime. Compiled by
// nvcc with --fmad=false, so the kernels do the host's arithmetic operation for operation.
#include <memory>
#include <utility>

#include "../device/device_backend.hpp"
#include "cuda_runtime.cuh"

namespace spikeq::detail {

std::unique_ptr<Backend> make_cuda_backend(BuiltNetwork network, int device) {
  return std::make_unique<device::DeviceBackend<device::CudaRuntime>>(
      std::move(network), device::CudaRuntime(device), "cuda");
}

}  // namespace spikeq::detail
