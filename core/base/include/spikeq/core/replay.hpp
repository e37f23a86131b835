#pragma once
// Recorded spikes played into a network: the interface between the engine, which asks
// for the spikes of the next window of steps, and the readers of recorded data (io/:
// SONATA, SHD, NWB, CSV), which stream them from their files in time order and never
// hold a whole file.
//
// Step rule: a spike at time t (ms, after the source's offset and scaling) belongs to the
// step that contains it, ((S-1) dt, S dt], and is stamped at grid step S = ceil(t / dt),
// as recorded spikes are; t = 0 goes to the first step (S = 1). A neuron fires at most
// once per step, so spikes of one neuron that fall into one step become one.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/core/time.hpp"

namespace spikeq {

struct ReplayEvent {
  Step stamp;            ///< grid step S: emitted by update S - 1
  std::uint32_t neuron;  ///< id in the replaying population
};

/// One pass through recorded spikes, in stamp order.
class ReplayCursor {
 public:
  virtual ~ReplayCursor() = default;
  /// Appends, in non-decreasing stamp order, every event with stamp < `end` that has not
  /// been returned yet. Throws io::FileError (naming file and dataset) on bad data.
  virtual void read(Step end, std::vector<ReplayEvent>& out) = 0;
  /// Spikes read from the file and held in memory now, for bounded-memory checks.
  [[nodiscard]] virtual std::uint64_t buffered() const = 0;
};

/// Recorded spikes that a population replays; each Simulation opens its own cursor.
class ReplaySource {
 public:
  virtual ~ReplaySource() = default;
  /// A cursor at the start, for steps of `dt` ms into a population of `neurons`.
  [[nodiscard]] virtual std::unique_ptr<ReplayCursor> open(double dt,
                                                           std::uint32_t neurons) const = 0;
  /// "SHD file 'x.h5' (samples 0-3)", for messages and summaries.
  [[nodiscard]] virtual std::string describe() const = 0;
};

}  // namespace spikeq
