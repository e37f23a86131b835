#pragma once
// A team of threads working through phases of independent items, phase after phase,
// with one cheap synchronisation per phase and cache affinity.
//
// Every item has a home thread (a fixed, balanced split of the items), so in the common
// case a tile's state stays in the cache of the core that updated it last. Items are
// still claimed, not assigned: each phase a thread claims and runs its own items, then
// claims any item of the phase that is still unclaimed (a thread the scheduler has not
// started yet, or a slow one), and then waits until every item of the phase is done.
// Any thread can run any item and nobody waits for an unclaimed item, so the team makes
// progress with any number of threads actually running, even one: unlike a barrier it
// never needs every thread to be present. A phase costs one claim per item (an
// uncontended compare-exchange on the item's own cache line) and one shared increment
// per thread.
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace spikeq::detail {

class PhaseTeam {
 public:
  /// `home[t] .. home[t + 1]` are the items of thread t; home.back() is the item count.
  PhaseTeam(std::uint64_t phases, const std::vector<std::uint32_t>& home)
      : phases_(phases), home_(home), items_(home.back()), claims_(home.back()) {}

  /// Runs work(phase, item) for every phase and item, as thread `self` of the team. Call
  /// from every thread (any may be missing or late), then rethrow().
  template <typename Work>
  void run(std::uint32_t self, Work&& work) {
    for (std::uint64_t phase = 0; phase < phases_; ++phase) {
      if (!wait_done(phase * items_)) return;
      std::uint64_t ran = 0;
      if (!run_items(self, phase, work, ran)) return;
      // Release: the items' writes become visible to whoever sees the count.
      if (ran > 0) done_.fetch_add(ran, std::memory_order_acq_rel);
      // Wait for the others; only if they take long, claim what nobody has started (a
      // thread the scheduler has not run yet, or one far behind). Taking another
      // thread's tile at once would move its state to this core's cache and back every
      // phase.
      const std::uint64_t end = (phase + 1) * items_;
      for (unsigned spins = 0; done_.load(std::memory_order_acquire) < end; ++spins) {
        if (failed_.load(std::memory_order_relaxed)) return;
        if (spins % kStealAfter == kStealAfter - 1) {
          std::uint64_t stolen = 0;
          for (std::uint32_t k = 1; k < threads(); ++k) {
            if (!run_items((self + k) % threads(), phase, work, stolen)) return;
          }
          if (stolen > 0) done_.fetch_add(stolen, std::memory_order_acq_rel);
        }
        backoff(spins);
      }
    }
  }

  /// Rethrows the first exception a work item threw, if any.
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct alignas(64) Claim {
    std::atomic<std::uint64_t> phases{0};  // phases of this item claimed so far
  };

  /// Spins before a waiting thread looks for unclaimed items of the phase.
  static constexpr unsigned kStealAfter = 256;

  [[nodiscard]] std::uint32_t threads() const {
    return static_cast<std::uint32_t>(home_.size() - 1);
  }

  /// Claims and runs the unclaimed items of thread t's home in this phase.
  template <typename Work>
  bool run_items(std::uint32_t t, std::uint64_t phase, Work& work, std::uint64_t& ran) {
    for (std::uint32_t item = home_[t]; item < home_[t + 1]; ++item) {
      if (!claim(item, phase)) continue;
      try {
        work(phase, item);
      } catch (...) {
        fail(std::current_exception());
        return false;
      }
      ++ran;
    }
    return true;
  }

  bool claim(std::uint32_t item, std::uint64_t phase) {
    std::atomic<std::uint64_t>& c = claims_[item].phases;
    std::uint64_t expected = phase;
    // A plain load first: a claimed item costs no write to someone else's line.
    return c.load(std::memory_order_relaxed) == expected &&
           c.compare_exchange_strong(expected, phase + 1, std::memory_order_relaxed);
  }

  bool wait_done(std::uint64_t needed) {
    for (unsigned spins = 0; done_.load(std::memory_order_acquire) < needed; ++spins) {
      if (failed_.load(std::memory_order_relaxed)) return false;
      backoff(spins);
    }
    return !failed_.load(std::memory_order_relaxed);
  }

  static void backoff(unsigned spins) {
    if (spins < 4096) {
      pause();
    } else {
      std::this_thread::yield();  // oversubscribed: let the items' holders run
    }
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

  const std::uint64_t phases_;
  const std::vector<std::uint32_t>& home_;
  const std::uint64_t items_;
  std::vector<Claim> claims_;
  alignas(64) std::atomic<std::uint64_t> done_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace spikeq::detail
