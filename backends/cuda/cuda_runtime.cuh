#pragma once
// The device runtime of the cuda backend: device arrays from cudaMalloc, copies with
// cudaMemcpy, and a kernel launch of a kernel body (kernels.hpp) from one __global__
// wrapper. Every CUDA error becomes a spikeq error naming the call or the kernel; a
// kernel's own fault surfaces at the next copy, which names the last kernel launched
// (SPIKEQ_CUDA_SYNC=1 checks after every launch, naming the faulting one exactly).
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "spikeq/backends/device/kernels.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/memory.hpp"

namespace spikeq::detail::device {

template <typename Kernel>
__global__ void run_kernel(Kernel kernel) {
  kernel(blockIdx.x, threadIdx.x);
}

/// A CUDA failure at run time: a spikeq Error (exit code 1 on the command line).
inline void check_cuda(cudaError_t status, const std::string& during) {
  if (status != cudaSuccess) {
    throw Error("CUDA error in " + during + ": " + cudaGetErrorName(status) + " (" +
                cudaGetErrorString(status) + ")");
  }
}

class CudaRuntime {
  struct Free {
    void operator()(void* p) const noexcept { cudaFree(p); }
  };

 public:
  template <typename T>
  class Buffer {
   public:
    [[nodiscard]] T* data() { return static_cast<T*>(p_.get()); }
    [[nodiscard]] const T* data() const { return static_cast<const T*>(p_.get()); }
    [[nodiscard]] std::size_t size() const { return n_; }

   private:
    friend class CudaRuntime;
    std::unique_ptr<void, Free> p_;
    std::size_t n_ = 0;
  };

  /// Selects GPU `device`; throws when there is none or not that one.
  explicit CudaRuntime(int device) : device_(device) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess || count == 0) {
      throw Error(std::string("backend 'cuda': no CUDA device is available (") +
                  (status != cudaSuccess ? cudaGetErrorString(status) : "none found") +
                  "); use backend 'cuda-emulated' to run the same kernels on the CPU");
    }
    if (device >= count) {
      throw InvalidParameter("backend 'cuda': device " + std::to_string(device) +
                             " does not exist (this machine has " + std::to_string(count) +
                             " CUDA device" + (count == 1 ? "" : "s") + ", numbered from 0)");
    }
    check_cuda(cudaSetDevice(device), "cudaSetDevice(" + std::to_string(device) + ")");
    cudaDeviceProp prop{};
    check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    name_ = prop.name;
    const char* sync = std::getenv("SPIKEQ_CUDA_SYNC");
    sync_each_launch_ = sync != nullptr && std::string(sync) == "1";
  }

  [[nodiscard]] std::string describe() const {
    return "device " + std::to_string(device_) + " (" + name_ + ")";
  }

  /// Refuses a network whose device arrays would not fit in the free device memory.
  void check_fits(std::uint64_t bytes, const std::string& breakdown) const {
    std::size_t free = 0, total = 0;
    check_cuda(cudaMemGetInfo(&free, &total), "cudaMemGetInfo");
    if (bytes > free) {
      throw CapacityError("backend 'cuda': the network needs " + format_bytes(double(bytes)) +
                          " of device memory (" + breakdown + "), but " + describe() + " has " +
                          format_bytes(double(free)) + " free of " + format_bytes(double(total)));
    }
  }

  template <typename T>
  Buffer<T> allocate(std::size_t n, const char* what) {
    Buffer<T> b;
    b.n_ = n;
    if (n == 0) return b;
    void* p = nullptr;
    check_cuda(cudaMalloc(&p, n * sizeof(T)),
               std::string("cudaMalloc of ") + format_bytes(double(n * sizeof(T))) + " (" + what + ")");
    b.p_.reset(p);
    zero(b, n);
    return b;
  }
  template <typename T>
  void upload(Buffer<T>& to, const T* from, std::size_t n, std::size_t at = 0) {
    if (n == 0) return;
    check_cuda(cudaMemcpy(to.data() + at, from, n * sizeof(T), cudaMemcpyHostToDevice),
               "a copy to the device, after kernel '" + last_kernel_ + "'");
  }
  template <typename T>
  void download(T* to, const Buffer<T>& from, std::size_t n, std::size_t at = 0) {
    if (n == 0) return;
    check_cuda(cudaMemcpy(to, from.data() + at, n * sizeof(T), cudaMemcpyDeviceToHost),
               "a copy from the device, after kernel '" + last_kernel_ + "'");
  }
  template <typename T>
  void zero(Buffer<T>& b, std::size_t n) {
    if (n == 0) return;
    check_cuda(cudaMemset(b.data(), 0, n * sizeof(T)), "cudaMemset");
  }

  template <typename Kernel>
  void launch(const char* name, Grid grid, const Kernel& kernel) {
    if (grid.blocks == 0) return;
    last_kernel_ = name;
    run_kernel<Kernel><<<grid.blocks, kBlockThreads>>>(kernel);
    check_cuda(cudaGetLastError(), std::string("the launch of kernel '") + name + "'");
    if (sync_each_launch_) check_cuda(cudaDeviceSynchronize(), std::string("kernel '") + name + "'");
  }

  void synchronize() {
    check_cuda(cudaDeviceSynchronize(), "kernels up to '" + last_kernel_ + "'");
  }

 private:
  int device_;
  std::string name_;
  std::string last_kernel_ = "(none)";
  bool sync_each_launch_ = false;
};

}  // namespace spikeq::detail::device
