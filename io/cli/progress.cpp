#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace spikeq::cli {

Progress::Progress(double total_ms, bool enabled)
    : total_ms_(total_ms),
      enabled_(enabled && isatty(fileno(stderr)) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(double done_ms) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200) && done_ms < total_ms_) return;
  last_draw_ = now;
  const double wall = std::chrono::duration<double>(now - start_).count();
  const double fraction = total_ms_ > 0 ? done_ms / total_ms_ : 1.0;
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(width, ' ');
  // Real-time factor: simulated seconds per wall second.
  const double rtf = wall > 0 ? done_ms * 1e-3 / wall : 0.0;
  const double eta = fraction > 0 ? wall * (1.0 - fraction) / fraction : 0.0;
  std::fprintf(stderr, "\r[%s] %5.1f%%  %.0f / %.0f ms  %.2fx real time  ETA %.0f s   ",
               bar.c_str(), 100.0 * fraction, done_ms, total_ms_, rtf, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%100s\r", "");
  std::fflush(stderr);
}

}  // namespace spikeq::cli
