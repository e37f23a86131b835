#pragma once
// The format readers behind io::open_replay: each streams (time, unit) pairs of one pass
// through a file in time order, a chunk at a time. Private to io/src/replay.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/io/replay.hpp"

namespace spikeq::io::replay {

/// Spikes handed out per chunk (per unit and refill, for NWB).
inline constexpr std::size_t kChunk = std::size_t{1} << 16;

class RawSpikes {
 public:
  virtual ~RawSpikes() = default;
  /// Replaces `t` (ms) and `unit` with the next spikes, in non-decreasing time; false at
  /// the end. Throws FileError for decreasing or negative times and malformed data.
  virtual bool next(std::vector<double>& t, std::vector<std::uint64_t>& unit) = 0;
  /// Spikes held besides the last chunk handed out.
  [[nodiscard]] virtual std::uint64_t buffered() const = 0;
  /// "file: dataset" of the last chunk, for messages.
  [[nodiscard]] virtual std::string where() const = 0;
};

/// The reader of options.format, positioned at the start; checks the layout.
std::unique_ptr<RawSpikes> open_raw(const ReplayOptions& options);

std::unique_ptr<RawSpikes> open_sonata(const ReplayOptions& options);
std::unique_ptr<RawSpikes> open_shd(const ReplayOptions& options);
std::unique_ptr<RawSpikes> open_nwb(const ReplayOptions& options);
std::unique_ptr<RawSpikes> open_csv(const ReplayOptions& options);

/// Throws FileError "<where>: times decrease at <position> (<b> ms after <a> ms)" or
/// "negative time" unless a <= b and b >= 0; shared by the readers.
void check_order(double previous, double t, const std::string& where, const std::string& position);

}  // namespace spikeq::io::replay
