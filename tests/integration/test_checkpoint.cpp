// Checkpoint and restore: running T1, saving the state and continuing in a new
// Simulation (another backend, another thread count) for T2 gives the spikes and weights
// of one uninterrupted run of T1 + T2, byte for byte: neuron state, in-flight spikes in
// the rings, plastic traces and queues, and modulators all carry over.
#include <doctest/doctest.h>

#include <functional>

#include "../support/memory_archive.hpp"
#include "networks.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using namespace spikeq_bench;

namespace {

struct Case {
  const char* name;
  std::function<BenchNetwork()> make;
  double t1, t2;  // ms
  std::uint64_t seed;
};

std::vector<SpikeRecord> all_spikes(const Simulation& sim) {
  std::vector<SpikeRecord> out;
  for (std::uint32_t p = 0; p < sim.network().populations().size(); ++p) {
    out.push_back(sim.spikes(PopulationId{p}));
  }
  return out;
}

void check_resume(const Case& c, SimulationOptions first, SimulationOptions second) {
  CAPTURE(c.name);
  CAPTURE(first.backend);
  CAPTURE(second.threads);
  BenchNetwork b = c.make();
  Network net = b.network;
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) net.record_spikes(PopulationId{p});
  first.seed = second.seed = c.seed;
  first.oversubscribe = second.oversubscribe = true;

  Simulation whole(net, first);
  whole.run(c.t1 + c.t2);
  Simulation part(net, first);
  part.run(c.t1);
  test::MemoryArchive archive;
  part.save_state(archive);
  archive.rewind();
  Simulation resumed(net, second, archive);
  CHECK(resumed.step() == part.step());
  resumed.run(c.t2);

  const Step boundary = part.step();
  std::size_t after = 0;
  const auto w = all_spikes(whole);
  const auto r = all_spikes(resumed);
  for (std::size_t p = 0; p < w.size(); ++p) {
    SpikeRecord tail;
    for (std::size_t k = 0; k < w[p].size(); ++k) {
      if (w[p].steps[k] <= boundary) continue;
      tail.steps.push_back(w[p].steps[k]);
      tail.neurons.push_back(w[p].neurons[k]);
    }
    after += tail.size();
    CHECK(r[p].steps == tail.steps);
    CHECK(r[p].neurons == tail.neurons);
  }
  CHECK(after > 100);
  for (std::uint32_t k = 0; k < net.projections().size(); ++k) {
    if (!net.projections()[k].synapse.plasticity) continue;
    CHECK(resumed.weights(ProjectionId{k}) == whole.weights(ProjectionId{k}));
  }
}

/// Lateral neurons learning the principal subspace of a recurrent population's activity
/// (Oja's subspace rule and Sanger's), with traces and weights crossing the boundary.
BenchNetwork make_lateral_subspace() {
  BenchNetwork b{"lateral_subspace", Network(0.1), {}, {}};
  Network& net = b.network;
  neurons::lif_psc_delta::params lif;
  lif.V_init = Uniform{0.0, 15.0};
  const auto in = net.add_population("in", 400, lif);
  net.connect(in, in, connect::FixedIndegree{40}, {.weight = 0.2, .delay = Uniform{1.0, 3.0}});
  net.add_input(in, PoissonInput{.rate = 12000.0, .weight = 0.2});
  for (const plasticity::Rule& rule :
       {plasticity::Rule{plasticity::OjaSubspaceRule{.eta = 0.01, .scale = 0.5}},
        plasticity::Rule{plasticity::SangerRule{.eta = 0.01, .scale = 0.5}}}) {
    const auto lat = net.add_population("lat" + std::to_string(b.populations.size()), 30, lif);
    b.populations.push_back(lat);
    net.add_input(lat, PoissonInput{.rate = 10000.0, .weight = 0.2});
    b.projections.push_back(net.connect(
        in, lat, connect::FixedProbability{0.3},
        {.weight = Uniform{-0.2, 0.2}, .delay = Uniform{1.0, 2.0},
         .plasticity = plasticity::PlasticitySpec{.rule = rule, .apply = plasticity::Interval{.interval = 2.0},
                                                  .w_min = -2.0, .w_max = 2.0}}));
  }
  // HLOP: rows consolidated before the checkpoint and after it.
  net.add_subspace(SubspaceSpec{.name = "in_space", .population = in, .learned_by = b.projections[0],
                                .consolidate_at = {100.0, 200.0}});
  const auto out = net.add_population("out", 40, lif);
  net.add_input(out, PoissonInput{.rate = 10000.0, .weight = 0.2});
  net.connect(in, out, connect::FixedIndegree{50},
              {.weight = Uniform{0.0, 0.3}, .delay = 1.0,
               .plasticity = plasticity::PlasticitySpec{.rule = plasticity::Stdp{.A_plus = 0.01},
                                                        .w_min = 0.0, .w_max = 2.0,
                                                        .projection = "in_space"}});
  return b;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"izhikevich2003", [] { return make_izhikevich2003(1000, 1); }, 250.0, 250.0, 1},
      {"brunel2000_hetero", [] { return make_brunel2000_hetero(1000); }, 100.3, 99.7, 2},
      {"coba", [] { return make_coba(1000); }, 120.0, 80.0, 3},
      // STDP with the derivative applied once a second: the boundary falls inside a second.
      {"polychronization", [] { return make_polychronization(1000); }, 1500.0, 1200.0, 4},
      // Dopamine: pending rewards and the eligibility integral cross the boundary.
      {"dastdp", [] { return make_dastdp(1000); }, 1250.0, 1000.0, 5},
      // Error rule gated by schedules, boundary inside a trial.
      {"reservoir", [] {
         return make_reservoir_three_factor({.size = 200, .train_trials = 4, .test_trials = 2});
       }, 1730.0, 1270.0, 1},
      // Subspace rules: the boundary falls between two periodic updates.
      {"lateral_subspace", make_lateral_subspace, 150.3, 120.0, 6},
  };
  return all;
}

}  // namespace

TEST_CASE("checkpoint serial, resume on TBB: the uninterrupted run's spikes and weights") {
  for (const Case& c : cases()) {
    check_resume(c, {.backend = "serial", .threads = 1}, {.backend = "tbb", .threads = 3});
  }
}

TEST_CASE("checkpoint on TBB, resume serial or on other thread counts: the same") {
  for (const Case& c : cases()) {
    check_resume(c, {.backend = "tbb", .threads = 2}, {.backend = "serial", .threads = 1});
    check_resume(c, {.backend = "tbb", .threads = 4}, {.backend = "tbb", .threads = 1});
  }
}

TEST_CASE("checkpoint on cuda-emulated, resume serial, and the other way round: the same") {
  // The state comes back from the device for saving and goes up to it after restoring:
  // traces, pending arrivals (host queues) and postsynaptic spikes (device flags) included.
  for (const Case& c : cases()) {
    check_resume(c, {.backend = "cuda-emulated", .device = 3}, {.backend = "serial", .threads = 1});
    check_resume(c, {.backend = "serial", .threads = 1}, {.backend = "cuda-emulated", .device = 5});
    check_resume(c, {.backend = "tbb", .threads = 2}, {.backend = "cuda-emulated"});
  }
}

TEST_CASE("restoring into another network fails naming the array") {
  BenchNetwork a = make_izhikevich2003(1000, 1);
  BenchNetwork b = make_izhikevich2003(900, 1);
  Simulation sim(a.network);
  sim.run(10.0);
  test::MemoryArchive archive;
  sim.save_state(archive);
  archive.rewind();
  CHECK_THROWS_WITH(Simulation(b.network, {}, archive), doctest::Contains("populations/exc/real/v"));
}

TEST_CASE("a damaged or forged checkpoint is refused, naming the array, the index and the value") {
  Network net(0.1);
  neurons::lif_psc_exp::params lif;
  lif.t_ref = 2.0;
  const auto n = net.add_population("n", 60, lif);
  net.connect(n, n, connect::FixedIndegree{6},
              {.weight = 30.0, .delay = Uniform{1.0, 3.0},
               .plasticity = plasticity::PlasticitySpec{.rule = plasticity::Stdp{}, .w_min = 0.0, .w_max = 100.0}},
              "stdp");
  net.add_input(n, PoissonInput{.rate = 20000.0, .weight = 30.0});
  Simulation sim(net, {.seed = 4});
  sim.run(40.0);
  test::MemoryArchive clean;
  sim.save_state(clean);
  clean.rewind();
  (void)Simulation(net, {.seed = 4}, clean);  // the clean one restores

  auto refused = [&](const std::function<void(test::MemoryArchive&)>& forge) {
    test::MemoryArchive a;
    sim.save_state(a);
    forge(a);
    a.rewind();
    try {
      (void)Simulation(net, {.seed = 4}, a);
    } catch (const InvalidParameter& e) {
      return std::string(e.what());
    }
    return std::string("(restored)");
  };
  CHECK(refused([](auto& a) { a.template stored<std::int64_t>("step")[0] = -5; }) ==
        "checkpoint: step -5 is outside [0, 2^62)");
  CHECK(refused([](auto& a) { a.template stored<double>("populations/n/real/V")[7] = std::nan(""); }) ==
        "checkpoint: populations/n/real/V[7] = nan: must be finite");
  CHECK(refused([](auto& a) { a.template stored<std::int32_t>("populations/n/int/0")[3] = -2147483647 - 1; })
            .find("checkpoint: populations/n/int/0[3] = -2147483648: must lie in [0, 2147483647]") == 0);
  CHECK(refused([](auto& a) { a.template stored<std::int64_t>("populations/n/rings")[0] = std::int64_t{1} << 62 | 1; })
            .find("checkpoint: populations/n/rings[0] = 4611686018427387905: must lie in") == 0);
  CHECK(refused([](auto& a) { a.template stored<float>("projections/stdp/weights")[2] = 3e38f; })
            .find("checkpoint: projections/stdp/weights[2] = 3e+38: must lie in the rule's bounds [0, 100]") == 0);
  CHECK(refused([](auto& a) {
          auto& counts = a.template stored<std::uint64_t>("projections/stdp/queue0/arrivals/counts");
          auto& values = a.template stored<std::uint32_t>("projections/stdp/queue0/arrivals/values");
          std::fill(counts.begin(), counts.end(), 0);
          counts[0] = 2;
          values = {5, 4000000000u};
        }).find("checkpoint: projections/stdp/queue0/arrivals: slot 0 range [5, 4000000000) is not within") == 0);
}
