// The zoo model reservoir_three_factor (bench/networks/reservoir.cpp,
// docs/models/reservoir_three_factor.md): an error-modulated three-factor readout of a
// heterogeneous Izhikevich reservoir learns to fire kReservoirTargetDelay ms after a cue,
// and keeps doing so once its gate ("attention") is closed; with the gate closed
// throughout, nothing is learned.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "networks.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using namespace spikeq_bench;

namespace {

constexpr double kWindow = 20.0;  // ms either side of cue + T

/// The readout's spikes in trials [first, last).
struct Score {
  std::uint32_t trials = 0;
  std::uint32_t spikes = 0;
  std::uint32_t in_window = 0;       // within kWindow of cue + T
  std::uint32_t trials_hit = 0;      // trials with at least one spike in the window
  double sum_lag = 0, sum_lag2 = 0;  // spike time - (cue + T), of the spikes in the window

  [[nodiscard]] double fraction() const { return spikes ? double(in_window) / spikes : 0.0; }
  [[nodiscard]] double rate() const { return spikes / (trials * kReservoirTrial / 1000.0); }
  [[nodiscard]] double mean_lag() const { return in_window ? sum_lag / in_window : 0.0; }
  [[nodiscard]] double sd_lag() const {
    if (in_window < 2) return 0.0;
    const double m = mean_lag();
    return std::sqrt(std::max(0.0, sum_lag2 / in_window - m * m));
  }
};

Score score(const SpikeRecord& readout, std::uint32_t first, std::uint32_t last) {
  Score s;
  s.trials = last - first;
  std::vector<bool> hit(last - first, false);
  for (std::size_t j = 0; j < readout.size(); ++j) {
    const double t = readout.time(j);
    const auto k = static_cast<std::uint32_t>(t / kReservoirTrial);
    if (k < first || k >= last) continue;
    ++s.spikes;
    const double lag = t - (k * kReservoirTrial + kReservoirCue + kReservoirTargetDelay);
    if (std::abs(lag) <= kWindow) {
      ++s.in_window;
      s.sum_lag += lag;
      s.sum_lag2 += lag * lag;
      hit[k - first] = true;
    }
  }
  s.trials_hit = static_cast<std::uint32_t>(std::count(hit.begin(), hit.end(), true));
  return s;
}

void report(const std::string& what, const Score& s) {
  MESSAGE(what << ": " << s.spikes << " readout spikes in " << s.trials << " trials (" << s.rate()
               << " Hz), " << s.in_window << " within +-" << kWindow << " ms of cue + "
               << kReservoirTargetDelay << " ms (fraction " << s.fraction() << ", lag "
               << s.mean_lag() << " +- " << s.sd_lag() << " ms), " << s.trials_hit
               << " trials with a spike there");
}

}  // namespace

TEST_CASE("reservoir_three_factor: the readout learns to fire at cue + T, and keeps it ungated") {
  const ReservoirThreeFactorOptions o;
  const BenchNetwork b = make_reservoir_three_factor(o);
  const PopulationId readout = b.populations[3];
  const ProjectionId plastic = b.projections.back();
  Simulation sim(b.network, {.seed = o.seed});

  sim.run(o.train_trials * kReservoirTrial);
  const std::vector<float> trained = sim.weights(plastic);
  sim.run(o.test_trials * kReservoirTrial);
  CHECK(sim.weights(plastic) == trained);  // the gate is closed in the test trials

  const Score early = score(sim.spikes(readout), 0, 10);
  const Score late = score(sim.spikes(readout), o.train_trials - 10, o.train_trials);
  const Score test = score(sim.spikes(readout), o.train_trials, o.train_trials + o.test_trials);
  report("first 10 training trials", early);
  report("last 10 training trials", late);
  report("test trials (gate closed)", test);
  const auto [lo, hi] = std::minmax_element(trained.begin(), trained.end());
  const auto positive =
      std::count_if(trained.begin(), trained.end(), [](float w) { return w > 0; });
  MESSAGE("readout weights after training: "
          << positive << " of " << trained.size() << " positive, range [" << *lo << ", " << *hi
          << "] pA; reservoir rates " << sim.mean_rate(b.populations[0]) << " Hz exc, "
          << sim.mean_rate(b.populations[1]) << " Hz inh");

  // Before learning the readout fires at random: about 2 x 20 / 500 of its spikes fall in
  // the window by chance.
  CHECK(early.spikes >= 5);
  CHECK(early.fraction() < 0.25);
  // After it, in trials without learning: most spikes at cue + T, in most trials.
  CHECK(test.fraction() >= 0.6);
  CHECK(test.trials_hit >= 3 * o.test_trials / 4);
  CHECK(std::abs(test.mean_lag()) <= 10.0);
  CHECK(test.rate() < 10.0);  // not by firing all the time
}

TEST_CASE("reservoir_three_factor: with the gate closed throughout nothing is learned") {
  const ReservoirThreeFactorOptions o{.attention = false};
  const BenchNetwork b = make_reservoir_three_factor(o);
  const PopulationId readout = b.populations[3];
  Simulation sim(b.network, {.seed = o.seed});
  sim.run((o.train_trials + o.test_trials) * kReservoirTrial);

  const std::vector<float> w = sim.weights(b.projections.back());
  CHECK(std::all_of(w.begin(), w.end(), [](float x) { return x == 0.0f; }));
  const Score test = score(sim.spikes(readout), o.train_trials, o.train_trials + o.test_trials);
  report("gate closed throughout, test trials", test);
  CHECK(test.spikes >= 10);
  CHECK(test.fraction() < 0.25);
}
