#pragma once
// A team of threads working through phases of independent items, phase after phase,
// with one cheap synchronisation per phase.
//
// Items are handed out as tickets in (phase, item) order from one counter. A thread that
// draws an item of phase j first waits until every item of the earlier phases is done,
// then runs it. The holders of the earliest unfinished phase never wait, so the team
// makes progress with any number of threads, even if the scheduler runs only one of
// them: no thread is ever required to be present, unlike a barrier. A phase costs one
// atomic increment per item and a spin on a shared counter, which is what lets
// fine-grained simulations (4000 neurons, a few microseconds of work per step) scale.
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>

namespace spikeq::detail {

class TicketTeam {
 public:
  /// Runs work(phase, item) for every phase < phases and item < items; call run() from
  /// each thread of the team (any number, at any time) and rethrow() after all returned.
  TicketTeam(std::uint64_t phases, std::uint64_t items)
      : items_(items), total_(phases * items) {}

  template <typename Work>
  void run(Work&& work) {
    for (;;) {
      const std::uint64_t ticket = next_.fetch_add(1, std::memory_order_relaxed);
      if (ticket >= total_) return;
      const std::uint64_t phase = ticket / items_;
      if (!wait_done(phase * items_)) return;
      try {
        work(phase, ticket % items_);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      // Release: the item's writes become visible to whoever sees the count.
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  /// Rethrows the first exception a work item threw, if any.
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  bool wait_done(std::uint64_t needed) {
    for (unsigned spins = 0; done_.load(std::memory_order_acquire) < needed; ++spins) {
      if (failed_.load(std::memory_order_relaxed)) return false;
      if (spins < 256) {
        pause();
      } else {
        std::this_thread::yield();  // oversubscribed: let the item's holder run
      }
    }
    return !failed_.load(std::memory_order_relaxed);
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void fail(std::exception_ptr e) {
    {
      const std::lock_guard lock(mutex_);
      if (!error_) error_ = e;
    }
    failed_.store(true, std::memory_order_relaxed);
  }

  const std::uint64_t items_;
  const std::uint64_t total_;
  alignas(64) std::atomic<std::uint64_t> next_{0};
  alignas(64) std::atomic<std::uint64_t> done_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace spikeq::detail
