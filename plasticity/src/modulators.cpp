// Modulator replicas: jumps, and jumps made from the spikes of a slice.
#include <algorithm>
#include <cmath>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/plasticity/detail/plastic_state.hpp"

namespace spikeq::detail {

void ModulatorState::schedule(const ModulatorJump& j) {
  const auto at = std::upper_bound(pending.begin(), pending.end(), j.step,
                                   [](Step s, const ModulatorJump& x) { return s < x.step; });
  pending.insert(at, j);
}

void apply_jumps(const ModulatorRuntime& mod, ModulatorState& s, Step u) {
  if (!s.due(u)) return;
  // The same arithmetic as ModulatorRuntime::level, so a level read ahead of a jump
  // equals the level after it.
  std::size_t k = 0;
  for (; k < s.pending.size() && s.pending[k].step <= u; ++k) {
    const ModulatorJump& j = s.pending[k];
    s.m = j.set ? j.amount : s.m * mod.decay(j.step - s.since) + j.amount;
    s.since = j.step;
  }
  s.pending.erase(s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(k));
}

namespace {

/// Steps of the spikes of `neuron` in a span, ascending.
std::vector<Step> spikes_of(const SpikeSpan& span, std::uint32_t neuron) {
  std::vector<Step> out;
  for (std::size_t k = 0; k < span.n; ++k) {
    if (span.ids[k] == neuron) out.push_back(span.steps[k]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void ingest_spikes(const std::vector<ModulatorRuntime>& mods, std::vector<ModulatorState>& states,
                   const std::vector<SpikeSpan>& spikes, Step first, Step count,
                   std::uint64_t seed) {
  std::vector<std::uint64_t> per_step;
  for (std::size_t m = 0; m < mods.size(); ++m) {
    const ModulatorRuntime& mod = mods[m];
    ModulatorState& st = states[m];
    // Volume transmitters: counts per step, so the order of the spikes does not matter.
    for (const ModulatorRuntime::SpikeSource& src : mod.spike_sources) {
      const SpikeSpan& span = spikes[src.population];
      per_step.assign(static_cast<std::size_t>(count), 0);
      for (std::size_t k = 0; k < span.n; ++k) {
        if (!src.member.empty() && !src.member[span.ids[k]]) continue;
        ++per_step[static_cast<std::size_t>(span.steps[k] - first - 1)];
      }
      for (Step j = 0; j < count; ++j) {
        const std::uint64_t c = per_step[static_cast<std::size_t>(j)];
        if (c == 0) continue;
        st.schedule({first + 1 + j + src.delay, src.amount * static_cast<double>(c), false});
      }
    }
    // Pair rewards: walk the two neurons' spikes in time order, `first` before `second`
    // within a step.
    for (std::size_t r = 0; r < mod.reward_sources.size(); ++r) {
      const ModulatorRuntime::RewardSource& src = mod.reward_sources[r];
      const std::vector<Step> a = spikes_of(spikes[src.first_population], src.first);
      const std::vector<Step> b = spikes_of(spikes[src.second_population], src.second);
      std::size_t ia = 0;
      for (Step s : b) {
        while (ia < a.size() && a[ia] <= s) st.last_first[r] = a[ia++];
        const Step lag = s - st.last_first[r];
        if (st.last_first[r] == kNever || lag <= 0 || lag >= src.window) continue;
        const auto bits = CounterRng(seed, src.stream, static_cast<std::uint32_t>(s)).block(
            static_cast<std::uint64_t>(s) >> 32);
        const double u = to_unit_open(bits.v[0], bits.v[1]);
        const Step span_steps = src.latency_max - src.latency_min + 1;
        const Step latency =
            src.latency_min +
            std::min(span_steps - 1, static_cast<Step>(u * static_cast<double>(span_steps)));
        st.schedule({s + latency, src.amount, false});
        ++st.rewards;
      }
      while (ia < a.size()) st.last_first[r] = a[ia++];
    }
  }
}

}  // namespace spikeq::detail
