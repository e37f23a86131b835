#pragma once
// Ctrl-C during a run: finish the current slice, write the files, then stop.
namespace spikeq::cli {

/// While alive, SIGINT and SIGTERM set a flag instead of killing the process (a second
/// Ctrl-C still kills it). The flag is the one piece of process-wide state in spikeq:
/// a signal handler can reach nothing else.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  [[nodiscard]] bool interrupted() const;
};

}  // namespace spikeq::cli
