// The cuda-emulated backend: the CUDA backend's host half and kernels, on the emulation
// runtime. It runs wherever spikeq builds, so every machine tests the device code paths.
#include <memory>
#include <utility>

#include "device_backend.hpp"
#include "spikeq/backends/device/emulated_runtime.hpp"

namespace spikeq::detail {

std::unique_ptr<Backend> make_cuda_emulated_backend(BuiltNetwork network, int device) {
  return std::make_unique<device::DeviceBackend<device::EmulatedRuntime>>(
      std::move(network), device::EmulatedRuntime(device), "cuda-emulated");
}

}  // namespace spikeq::detail
