// Simulation::set_weights: learning done outside the engine reaches the synapses from the
// next step on, on every backend (a device backend refreshes its copy), and bad weights
// are refused.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "../support/memory_archive.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

/// One source firing at 2 and 12 ms onto two non-leaky delta-synapse neurons (homogeneous
/// weight 1 mV, so the projection starts without per-synapse weights).
Network two_spikes() {
  Network net(1.0);
  const PopulationId src = net.add_population("src", 1, neurons::spike_source_array::params{{{2.0, 12.0}}});
  neurons::lif_psc_delta::params p;
  p.tau_m = 1e12;
  p.V_th = 0.0;
  const PopulationId tgt = net.add_population("tgt", 2, p);
  net.connect(src, tgt, connect::AllToAll{}, {.weight = 1.0, .delay = 1.0}, "p");
  return net;
}

}  // namespace

TEST_CASE("set_weights: the new weights carry the next spikes, on every backend") {
  const Network net = two_spikes();
  auto near = [](const std::vector<double>& v, double a, double b) {
    return v.size() == 2 && std::abs(v[0] - a) < 1e-6 && std::abs(v[1] - b) < 1e-6;
  };
  for (const std::string backend : {"serial", "tbb", "cuda-emulated"}) {
    CAPTURE(backend);
    SimulationOptions o;
    o.backend = backend;
    Simulation sim(net, o);
    const ProjectionId p = net.projection("p");
    const PopulationId tgt = net.population("tgt");
    sim.run(5.0);
    CHECK(near(sim.state(tgt, "V"), -69.0, -69.0));
    sim.set_weights(p, {2.0f, 3.5f});
    CHECK(sim.weights(p) == std::vector<float>{2.0f, 3.5f});
    sim.run(10.0);
    CHECK(near(sim.state(tgt, "V"), -67.0, -65.5));
  }
}

TEST_CASE("set_weights: wrong counts, values that are not finite and plastic projections") {
  Network net = two_spikes();
  plasticity::PlasticitySpec stdp;
  stdp.w_max = 10.0;
  net.connect(net.population("src"), net.population("tgt"), connect::AllToAll{},
              {.weight = 1.0, .delay = 1.0, .plasticity = stdp}, "learns");
  Simulation sim(net);
  const ProjectionId p = net.projection("p");
  CHECK_THROWS_WITH_AS(sim.set_weights(p, {1.0f}), "set_weights: projection 'p' has 2 synapses, got 1 weights",
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(sim.set_weights(p, {1.0f, std::numeric_limits<float>::quiet_NaN()}),
                       "set_weights: projection 'p': weight 1 (nan) is not finite", InvalidParameter);
  CHECK_THROWS_WITH_AS(sim.set_weights(p, {3e9f, 1.0f}),
                       "set_weights: projection 'p': weight 0 (3e+09) is beyond the fixed-point range (2^30)",
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(sim.set_weights(net.projection("learns"), {1.0f, 1.0f}),
                       "set_weights: projection 'learns' is plastic; its rule owns its weights",
                       InvalidParameter);
  CHECK(sim.weights(p) == std::vector<float>{1.0f, 1.0f});  // nothing changed
}

TEST_CASE("set_weights: no negative conductances, and no checkpoint of weights it set") {
  Network net(1.0);
  const PopulationId src = net.add_population("src", 1, neurons::spike_source_array::params{{{2.0}}});
  const PopulationId tgt = net.add_population("tgt", 1, neurons::lif_cond_exp::params{});
  net.connect(src, tgt, connect::AllToAll{}, {.weight = 1.0, .delay = 1.0}, "g");
  Simulation sim(net);
  const ProjectionId g = net.projection("g");
  CHECK_THROWS_WITH_AS(sim.set_weights(g, {-1.0f}),
                       "set_weights: projection 'g': weight 0 (-1) is negative; conductances cannot be",
                       InvalidParameter);
  sim.set_weights(g, {2.0f});
  test::MemoryArchive archive;
  CHECK_THROWS_WITH_AS(sim.save_state(archive),
                       doctest::Contains("set_weights changed static weights, which a checkpoint does not store"),
                       InvalidParameter);
}
