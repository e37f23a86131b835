// The Izhikevich (2006) polychronization and (2007) distal-reward models against the
// reference behaviour (models.md, validation V6-V9). Short runs here; the full hour is
// opt-in: SPIKEQ_LONG_TESTS=1.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <thread>

#include "networks.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

bool long_tests() { return std::getenv("SPIKEQ_LONG_TESTS") != nullptr; }

struct WeightSummary {
  double mean = 0, at_max = 0, near_zero = 0;
};

WeightSummary summarise(const std::vector<float>& w, float w_max) {
  WeightSummary s;
  for (float x : w) {
    s.mean += x;
    s.at_max += x >= 0.99f * w_max;
    s.near_zero += x < 0.1f * w_max;
  }
  const auto n = static_cast<double>(w.size());
  return {s.mean / n, s.at_max / n, s.near_zero / n};
}

/// Rates (Hz) of both populations over the next `ms` of a run.
std::pair<double, double> rates_over(Simulation& sim, const spikeq_bench::BenchNetwork& b, double ms) {
  const auto e0 = sim.spike_count(b.populations[0]), i0 = sim.spike_count(b.populations[1]);
  sim.run(ms);
  const double s = ms / 1000.0;
  return {static_cast<double>(sim.spike_count(b.populations[0]) - e0) / 800.0 / s,
          static_cast<double>(sim.spike_count(b.populations[1]) - i0) / 200.0 / s};
}

std::vector<float> excitatory_weights(const Simulation& sim, const spikeq_bench::BenchNetwork& b) {
  std::vector<float> w = sim.weights(b.projections[0]);
  const std::vector<float> w2 = sim.weights(b.projections[1]);
  w.insert(w.end(), w2.begin(), w2.end());
  return w;
}

/// Minutes of spnet, then the V7 bands over the last window.
void check_polychronization(double minutes, double window_s) {
  const auto b = spikeq_bench::make_polychronization(1000, true);
  Simulation sim(b.network, {.seed = 1});
  sim.run(minutes * 60000.0 - window_s * 1000.0);
  const auto [exc, inh] = rates_over(sim, b, window_s * 1000.0);
  const WeightSummary w = summarise(excitatory_weights(sim, b), 10.0f);
  MESSAGE("spnet after " << minutes << " min: exc " << exc << " Hz, inh " << inh
                         << " Hz, mean weight " << w.mean << ", at max " << w.at_max
                         << ", below 1: " << w.near_zero);
  CHECK(exc >= 2.5);
  CHECK(exc <= 6.5);
  CHECK(inh >= 20.0);
  CHECK(inh <= 47.0);
  // Bimodal: 40-50 % at the maximum, most of the rest near 0.
  CHECK(w.at_max >= 0.40);
  CHECK(w.at_max <= 0.50);
  CHECK(w.near_zero >= 0.6 * (1.0 - w.at_max));
  CHECK(w.mean >= 5.0);
  CHECK(w.mean <= 6.8);
}

}  // namespace

TEST_CASE("spnet: 5 synapses per delay value, inhibitory delays of 1 ms, static inhibition") {
  const auto b = spikeq_bench::make_polychronization(1000, true);
  Simulation sim(b.network, {.seed = 3});
  const SynapseList ee = sim.synapses(b.projections[0]);
  const SynapseList ei = sim.synapses(b.projections[1]);
  const SynapseList ie = sim.synapses(b.projections[2]);
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> per_delay;  // (source, delay)
  for (const SynapseList* l : {&ee, &ei}) {
    for (std::size_t k = 0; k < l->sources.size(); ++k) ++per_delay[{l->sources[k], l->delays[k]}];
  }
  CHECK(per_delay.size() == 800u * 20u);
  CHECK(std::all_of(per_delay.begin(), per_delay.end(), [](const auto& e) { return e.second == 5; }));
  CHECK(std::all_of(ie.delays.begin(), ie.delays.end(), [](std::uint32_t d) { return d == 1; }));
  const std::vector<float> inh_before = sim.weights(b.projections[2]);
  sim.run(10000.0);
  CHECK(sim.weights(b.projections[2]) == inh_before);
  const std::vector<float> exc = excitatory_weights(sim, b);
  CHECK(std::all_of(exc.begin(), exc.end(), [](float w) { return w >= 0.0f && w <= 10.0f; }));
  // They learned: most moved away from the initial 6 mV (a mean alone could stay near 6).
  const auto moved = std::count_if(exc.begin(), exc.end(), [](float w) { return w != 6.0f; });
  CHECK(static_cast<std::size_t>(moved) > exc.size() / 2);
}

TEST_CASE("spnet: the first seconds fire at 4-8 Hz per neuron (V6)") {
  const auto b = spikeq_bench::make_polychronization(1000, true);
  Simulation sim(b.network, {.seed = 1});
  const auto [exc, inh] = rates_over(sim, b, 2000.0);
  const double all = 0.8 * exc + 0.2 * inh;
  MESSAGE("spnet first 2 s: exc " << exc << " Hz, inh " << inh << " Hz");
  CHECK(all >= 4.0);
  CHECK(all <= 8.0);
}

TEST_CASE("spnet: after 5 minutes, rates and the bimodal weights are in the reference bands (V7)") {
  check_polychronization(5.0, 120.0);
}

TEST_CASE("spnet: after one hour, the same bands (opt-in: SPIKEQ_LONG_TESTS=1)" *
          doctest::skip(!long_tests())) {
  check_polychronization(60.0, 300.0);
}

namespace {

struct DaOutcome {
  double rewarded = 0, mean_exc = 0, rate = 0;
  std::uint64_t rewards = 0;
};

/// daspnet for `seconds`; rewards counted from the spikes by the model's own rule.
DaOutcome run_dastdp(double seconds, std::uint64_t seed = 1) {
  const auto b = spikeq_bench::make_dastdp(1000);
  Simulation sim(b.network, {.seed = seed});
  sim.run(seconds * 1000.0);
  DaOutcome o;
  o.rewarded = sim.weights(b.projections[2]).at(0);
  std::vector<float> w = sim.weights(b.projections[0]);
  const std::vector<float> w2 = sim.weights(b.projections[1]);
  w.insert(w.end(), w2.begin(), w2.end());
  o.mean_exc = summarise(w, 4.0f).mean;
  o.rate = static_cast<double>(sim.spike_count(b.populations[0]) + sim.spike_count(b.populations[1])) /
           1000.0 / seconds;
  const SpikeRecord& exc = sim.spikes(b.populations[0]);
  Step last_first = -1000000;
  for (std::size_t k = 0; k < exc.size(); ++k) {
    if (exc.neurons[k] == 1) last_first = exc.steps[k];
    const Step lag = exc.steps[k] - last_first;
    if (exc.neurons[k] == spikeq_bench::kDaStdpRewardedTarget && lag > 0 && lag < 20) ++o.rewards;
  }
  return o;
}

void report(const DaOutcome& o, double seconds, std::uint64_t seed) {
  MESSAGE("daspnet seed " << seed << " after " << seconds << " s: rewarded synapse "
                          << o.rewarded << ", mean excitatory weight " << o.mean_exc
                          << ", network rate " << o.rate << " Hz, rewards " << o.rewards);
}

}  // namespace

TEST_CASE("daspnet: within ten minutes the rewarded synapse outgrows the rest (V9, short)") {
  // How soon the rewarded synapse climbs depends on when its neurons happen to pair, so
  // three seeds run side by side; the reference needs 1149-1748 s to reach the maximum.
  constexpr double kSeconds = 600.0;
  std::vector<DaOutcome> runs(3);
  std::vector<std::thread> threads;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    threads.emplace_back([&runs, s] { runs[s] = run_dastdp(kSeconds, s + 1); });
  }
  for (auto& t : threads) t.join();
  double rewarded = 0, mean = 0;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    const DaOutcome& o = runs[s];
    report(o, kSeconds, s + 1);
    CHECK(o.rewards >= 5);
    CHECK(o.rate >= 1.0);
    CHECK(o.rate <= 1.6);
    CHECK(o.mean_exc < 0.8);  // drifts down from 1 (reference: to 0.6-0.8 in the hour)
    CHECK(o.rewarded > o.mean_exc);  // from 0, past the others
    rewarded += o.rewarded / 3.0;
    mean += o.mean_exc / 3.0;
  }
  CHECK(rewarded > 2.0 * mean);
}

TEST_CASE("daspnet: after one hour the rewarded synapse sits near its maximum (opt-in: SPIKEQ_LONG_TESTS=1)" *
          doctest::skip(!long_tests())) {
  const DaOutcome o = run_dastdp(3600.0);
  report(o, 3600.0, 1);
  CHECK(o.rewards >= 100);
  CHECK(o.rewarded > 3.5);
  CHECK(o.mean_exc >= 0.5);
  CHECK(o.mean_exc <= 1.0);
  CHECK(o.rewarded > 3.0 * o.mean_exc);
}
