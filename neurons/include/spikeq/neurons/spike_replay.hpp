#pragma once
// A population whose spikes are recorded data played back (core/replay.hpp): no dynamics
// and no receptors, a projection source like any population. The engine hands it the
// spikes of each window of steps; which neuron fires when is the source's business.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "spikeq/core/errors.hpp"
#include "spikeq/core/replay.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/parameters.hpp"

namespace spikeq::neurons {

struct spike_replay {
  static constexpr std::string_view name = "spike_replay";

  struct params {
    std::shared_ptr<const ReplaySource> source;  // io::open_replay(...)
  };

  struct derived {};

  static constexpr int n_real = 0;
  static constexpr int n_int = 0;
  static constexpr std::array<std::string_view, 0> real_names{};
  static constexpr std::array<ReceptorInfo, 0> receptors{};
  static constexpr std::array<Recordable, 0> recordables{};
  using view = Columns<n_real, n_int>;
  static constexpr std::array<Param<params>, 1> parameters{
      custom<params>("file", "file name", "required",
                     "the recorded spikes and the replay options (see Replaying recorded data)")};

  static derived derive(const params& p, double, const std::string& pop) {
    if (!p.source) {
      throw InvalidParameter("population '" + pop + "': parameter 'source' is missing; a "
                             "spike_replay population needs recorded spikes (io::open_replay)");
    }
    return {};
  }

  template <typename Filler>
  static void init(const params&, const derived&, Filler&) {}

  SPIKEQ_HD static double read(const derived&, const view&, int, std::uint32_t) { return 0.0; }
};

}  // namespace spikeq::neurons
