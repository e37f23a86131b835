#pragma once
// The device runtime of the cuda-emulated backend: "device memory" is host memory and a
// launch calls the kernel body for every thread of every block, on one CPU thread. The
// blocks run in an order shuffled per launch, and the threads of each block in a shuffled
// order too, both drawn from the emulated device's number: any result that depended on
// the order in which a GPU schedules work would differ between device numbers, and from
// the serial backend's. The interface is the one DeviceBackend needs of a runtime; the
// CUDA runtime (backends/cuda/cuda_runtime.cuh) has the same.
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "spikeq/backends/device/kernels.hpp"
#include "spikeq/core/detail/rng.hpp"

namespace spikeq::detail::device {

class EmulatedRuntime {
 public:
  /// A device array: here, a host vector.
  template <typename T>
  class Buffer {
   public:
    [[nodiscard]] T* data() { return v_.empty() ? nullptr : v_.data(); }
    [[nodiscard]] const T* data() const { return v_.empty() ? nullptr : v_.data(); }
    [[nodiscard]] std::size_t size() const { return v_.size(); }

   private:
    friend class EmulatedRuntime;
    std::vector<T> v_;
  };

  /// `device` numbers the emulated device: it seeds the order of blocks and threads.
  explicit EmulatedRuntime(int device) : device_(static_cast<std::uint32_t>(device)) {}

  [[nodiscard]] std::string describe() const {
    return "emulated device " + std::to_string(device_) + " (host memory, one thread)";
  }

  /// Host memory is not checked ahead: the build already holds the same arrays.
  void check_fits(std::uint64_t /*bytes*/, const std::string& /*breakdown*/) const {}

  template <typename T>
  Buffer<T> allocate(std::size_t n, const char* /*what*/) {
    Buffer<T> b;
    b.v_.assign(n, T{});
    return b;
  }
  template <typename T>
  void upload(Buffer<T>& to, const T* from, std::size_t n, std::size_t at = 0) {
    if (n > 0) std::memcpy(to.v_.data() + at, from, n * sizeof(T));
  }
  template <typename T>
  void download(T* to, const Buffer<T>& from, std::size_t n, std::size_t at = 0) {
    if (n > 0) std::memcpy(to, from.v_.data() + at, n * sizeof(T));
  }
  template <typename T>
  void zero(Buffer<T>& b, std::size_t n) {
    if (n > 0) std::memset(static_cast<void*>(b.v_.data()), 0, n * sizeof(T));
  }

  /// Runs `kernel` for every thread of `grid`, blocks and threads in a shuffled order.
  template <typename Kernel>
  void launch(const char* /*name*/, Grid grid, const Kernel& kernel) {
    if (grid.blocks == 0) return;
    DrawStream draws(CounterRng(device_, kScheduleStream, 0), launches_++);
    order_.resize(grid.blocks);
    std::iota(order_.begin(), order_.end(), 0u);
    for (std::uint32_t b = grid.blocks; b > 1; --b) std::swap(order_[b - 1], order_[draws.below(b)]);
    // Threads: an odd multiplier and an offset give a permutation of [0, kBlockThreads).
    for (std::uint32_t block : order_) {
      const std::uint32_t a = 2 * draws.below(kBlockThreads / 2) + 1;
      const std::uint32_t c = draws.below(kBlockThreads);
      for (std::uint32_t t = 0; t < kBlockThreads; ++t) kernel(block, (a * t + c) % kBlockThreads);
    }
  }

  void synchronize() {}

 private:
  static constexpr std::uint32_t kScheduleStream = 0x5c4ed;
  std::uint32_t device_;
  std::uint64_t launches_ = 0;
  std::vector<std::uint32_t> order_;
};

}  // namespace spikeq::detail::device
