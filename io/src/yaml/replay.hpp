#pragma once
// Recorded spikes in model files: the replay options of a `spike_replay` population's
// params and of a clamp's `source`, and the `clamps:` section.
#include <memory>
#include <string_view>

#include "load_state.hpp"
#include "reader.hpp"
#include "spikeq/core/replay.hpp"
#include "spikeq/io/replay.hpp"

namespace spikeq::io::yaml {

/// A map of replay options (docs/replay.md#options), read but not opened.
ReplayOptions read_replay_options(const Cursor& c, const Scope& scope, std::string_view what);

/// The same, opened: the file and its layout are checked now, errors pointing at `file`.
std::shared_ptr<const ReplaySource> read_replay_source(const Cursor& c, const Scope& scope,
                                                       std::string_view what);

/// `clamps:` a list of {population, start, stop, source}.
void read_clamps(const Cursor& c, LoadState& s);

}  // namespace spikeq::io::yaml
