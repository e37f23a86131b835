// The device backend's own behaviour, on the emulation runtime that every build has: the
// emulated schedule really is shuffled, both delivery variants give the serial backend's
// spikes, Poisson drives of every size draw the host's counts, and reading or saving the
// state in the middle of a run changes nothing (the equivalence suites are
// tests/integration/backend_suite.hpp and test_checkpoint.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "networks.hpp"
#include "spikeq/backends/device/emulated_runtime.hpp"
#include "spikeq/spikeq.hpp"
#include "../support/memory_archive.hpp"

using namespace spikeq;
using spikeq::detail::device::EmulatedRuntime;
using spikeq::detail::device::Grid;
using spikeq::detail::device::kBlockThreads;

namespace {

/// Records the order in which the emulation runs a grid's threads.
struct OrderKernel {
  std::vector<std::uint64_t>* seen;
  void operator()(std::uint32_t block, std::uint32_t thread) const {
    seen->push_back(std::uint64_t{block} * kBlockThreads + thread);
  }
};

std::vector<std::uint64_t> launch_order(int device, std::uint32_t blocks) {
  EmulatedRuntime rt(device);
  std::vector<std::uint64_t> seen;
  rt.launch("order", Grid{blocks}, OrderKernel{&seen});
  return seen;
}


/// Every population's spikes after `ms`.
std::vector<SpikeRecord> run_spikes(Network net, const SimulationOptions& options, double ms) {
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) net.record_spikes(PopulationId{p});
  Simulation sim(net, options);
  sim.run(ms);
  std::vector<SpikeRecord> out;
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) out.push_back(sim.spikes(PopulationId{p}));
  return out;
}

void check_same(const std::vector<SpikeRecord>& a, const std::vector<SpikeRecord>& b) {
  REQUIRE(a.size() == b.size());
  std::size_t total = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    CAPTURE(p);
    CHECK(a[p].steps == b[p].steps);
    CHECK(a[p].neurons == b[p].neurons);
    total += a[p].size();
  }
  CHECK(total > 1000);
}

/// Sets an environment variable for one scope.
struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* value) : name(n) { setenv(n, value, 1); }
  ~ScopedEnv() { unsetenv(name); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
};

}  // namespace

TEST_CASE("cuda-emulated: every thread runs once, in an order that depends on the device") {
  const std::uint32_t blocks = 37;
  const auto a = launch_order(0, blocks);
  const auto b = launch_order(7, blocks);
  REQUIRE(a.size() == std::uint64_t{blocks} * kBlockThreads);
  for (const auto* order : {&a, &b}) {
    std::vector<std::uint64_t> sorted = *order;
    std::sort(sorted.begin(), sorted.end());
    for (std::uint64_t k = 0; k < sorted.size(); ++k) REQUIRE(sorted[k] == k);
  }
  CHECK(a != b);
  // Not the launch order of a plain loop either, for the blocks or the threads in them.
  std::vector<std::uint64_t> in_order(a.size());
  std::iota(in_order.begin(), in_order.end(), 0u);
  CHECK(a != in_order);
  CHECK((a[0] % kBlockThreads != 0 || a[1] % kBlockThreads != 1));
  CHECK(launch_order(7, blocks) == b);  // seeded: the same device, the same order
}

TEST_CASE("cuda-emulated: delivery by rows and by warp pieces both give the serial spikes") {
  for (const bool hetero : {false, true}) {
    CAPTURE(hetero);
    const Network net = hetero ? spikeq_bench::make_brunel2000_hetero(1000).network
                               : spikeq_bench::make_cuba(2000).network;
    const auto ref = run_spikes(net, {.seed = 4}, 150.0);
    for (const char* mode : {"row", "piece", "auto"}) {
      CAPTURE(mode);
      const ScopedEnv env("SPIKEQ_DEVICE_DELIVERY", mode);
      check_same(run_spikes(net, {.seed = 4, .backend = "cuda-emulated", .device = 2}, 150.0), ref);
    }
  }
  const ScopedEnv env("SPIKEQ_DEVICE_DELIVERY", "warp");
  CHECK_THROWS_WITH_AS(run_spikes(spikeq_bench::make_cuba(100).network, {.backend = "cuda-emulated"}, 1.0),
                       "SPIKEQ_DEVICE_DELIVERY must be auto, row or piece (got 'warp')",
                       InvalidParameter);
}

TEST_CASE("cuda-emulated: Poisson drives of 40 and more per step (PTRS) give the serial spikes") {
  Network net(0.1);
  neurons::lif_psc_exp::params lif;
  lif.V_init = Uniform{-70.0, -55.0};
  const auto a = net.add_population("drive", 300, lif);
  // 500 kHz: 50 per step, PTRS; a subset at 40 per step, through its own kernel; and the
  // inhibition that keeps the rate finite.
  net.add_input(a, PoissonInput{.rate = 500000.0, .weight = 4.0});
  net.add_input(a, PoissonInput{.rate = 400000.0, .weight = -1.0, .neurons = {1, 5, 77, 299}});
  net.add_input(a, PoissonInput{.rate = 450000.0, .weight = -2.5});
  const auto ref = run_spikes(net, {.seed = 8}, 100.0);
  check_same(run_spikes(net, {.seed = 8, .backend = "cuda-emulated", .device = 4}, 100.0), ref);
}

TEST_CASE("cuda-emulated: reading and saving the state between runs changes nothing") {
  const Network net = spikeq_bench::make_brunel2000_hetero(1000).network;
  const SimulationOptions device{.seed = 9, .backend = "cuda-emulated", .device = 1};
  const auto ref = run_spikes(net, device, 200.0);

  Network recorded = net;
  for (std::uint32_t p = 0; p < recorded.populations().size(); ++p) recorded.record_spikes(PopulationId{p});
  Simulation sim(recorded, device);
  sim.run(70.0);
  const std::vector<double> v = sim.state(PopulationId{0}, "V");
  test::MemoryArchive archive;
  sim.save_state(archive);
  sim.run(60.0);
  (void)sim.state(PopulationId{1}, "V");
  sim.run(70.0);
  std::vector<SpikeRecord> got;
  for (std::uint32_t p = 0; p < recorded.populations().size(); ++p) got.push_back(sim.spikes(PopulationId{p}));
  check_same(got, ref);

  // The state read back is the serial backend's at the same time.
  Simulation serial(recorded, {.seed = 9});
  serial.run(70.0);
  CHECK(serial.state(PopulationId{0}, "V") == v);
}

namespace {

/// STDP with a dendritic delay of 1 ms (postsynaptic spikes wait 10 updates on the device)
/// and an eligibility trace, so that a cut in the middle of a run finds spikes in flight
/// both ways.
Network dendritic_network() {
  using namespace spikeq::plasticity;
  Network net(0.1);
  neurons::lif_psc_exp::params lif;
  lif.V_init = Uniform{-70.0, -55.0};
  const auto a = net.add_population("a", 600, lif);
  const auto b = net.add_population("b", 400, lif);
  net.add_modulator(ModulatorSpec{.name = "da", .tau = 50.0,
                                  .sources = {modulation::Schedule{{30.0, 90.0}, {1.0, 0.5}}}});
  const Stdp stdp{.A_plus = 4.0, .A_minus = 5.0, .tau_plus = 15.0, .tau_minus = 25.0};
  // A static projection with 1 ms delays sets the minimum delay (10 steps), which the
  // axonal part of every plastic delay must reach.
  net.connect(a, a, connect::FixedIndegree{20}, {.weight = 15.0, .delay = 1.0});
  net.connect(a, b, connect::FixedIndegree{50},
              {.weight = Uniform{10.0, 90.0}, .delay = Uniform{2.0, 5.0},
               .plasticity = PlasticitySpec{.rule = stdp, .w_min = 0.0, .w_max = 120.0,
                                            .dendritic_delay = 1.0}});
  net.connect(b, a, connect::FixedIndegree{30},
              {.weight = Uniform{0.0, 60.0}, .delay = 2.0,
               .plasticity = PlasticitySpec{.rule = stdp, .apply = Eligibility{.tau_c = 100.0},
                                            .modulator = "da", .w_min = 0.0, .w_max = 100.0,
                                            .dendritic_delay = 0.5}});
  net.add_input(a, PoissonInput{.rate = 9000.0, .weight = 22.0});
  net.add_input(b, PoissonInput{.rate = 7000.0, .weight = 22.0});
  net.record_spikes(a);
  net.record_spikes(b);
  return net;
}

}  // namespace

TEST_CASE("cuda-emulated: plastic state survives a checkpoint in the middle of a run, both ways") {
  const Network net = dendritic_network();
  const SimulationOptions device{.seed = 6, .backend = "cuda-emulated", .device = 2};
  Simulation whole(net, device);
  whole.run(150.0);
  for (const SimulationOptions& second : {device, SimulationOptions{.seed = 6}}) {
    for (const SimulationOptions& first : {device, SimulationOptions{.seed = 6}}) {
      CAPTURE(first.backend);
      CAPTURE(second.backend);
      Simulation part(net, first);
      part.run(73.3);
      test::MemoryArchive archive;
      part.save_state(archive);
      archive.rewind();
      Simulation resumed(net, second, archive);
      resumed.run(150.0 - 73.3);
      part.run(150.0 - 73.3);  // saving changed nothing either
      for (std::uint32_t k = 1; k < 3; ++k) {
        CHECK(resumed.weights(ProjectionId{k}) == whole.weights(ProjectionId{k}));
        CHECK(part.weights(ProjectionId{k}) == whole.weights(ProjectionId{k}));
      }
      CHECK(part.spikes(PopulationId{1}).neurons == whole.spikes(PopulationId{1}).neurons);
    }
  }
  Simulation before(net, device);
  CHECK(before.weights(ProjectionId{1}) != whole.weights(ProjectionId{1}));  // it learned
  CHECK(before.weights(ProjectionId{2}) != whole.weights(ProjectionId{2}));
}

TEST_CASE("cuda-emulated: memory is reported before the run, synapses as the host holds them") {
  const Network net = spikeq_bench::make_cuba(2000).network;
  const Simulation host(net, {});
  const Simulation device(net, {.backend = "cuda-emulated"});
  const MemoryReport h = host.memory(), d = device.memory();
  CHECK(d.synapses == h.synapses);
  CHECK(d.synapse_bytes == h.synapse_bytes);
  CHECK(d.ring_bytes == h.ring_bytes);
  CHECK(d.recording_bytes > h.recording_bytes);  // the device's spike buffers
}
