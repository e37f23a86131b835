#pragma once
// A progress line on stderr while running: simulated time, real-time factor, ETA.
#include <chrono>

namespace spikeq::cli {

class Progress {
 public:
  /// Shows nothing unless `enabled` and stderr is a terminal.
  Progress(double total_ms, bool enabled);
  /// Redraws at most a few times per second.
  void update(double done_ms);
  /// Clears the line.
  void finish();

 private:
  double total_ms_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace spikeq::cli
