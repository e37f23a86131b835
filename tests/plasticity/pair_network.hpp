#pragma once
// A single plastic synapse with presynaptic and postsynaptic spikes at chosen times: a
// spike source `pre` reaches neuron `post` through the plastic synapse; a second source
// `driver` makes `post` fire in the step its strong synapse arrives.
#include <cmath>
#include <vector>

#include "spikeq/spikeq.hpp"

namespace spikeq_test {

struct PairNetwork {
  spikeq::Network net;
  spikeq::PopulationId pre, driver, post;
  spikeq::ProjectionId plastic;
};

inline PairNetwork pair_network(std::vector<double> pre_times, std::vector<double> post_drive,
                                spikeq::plasticity::PlasticitySpec spec, double w0 = 1.0,
                                double delay = 1.0, double dt = 0.1) {
  using namespace spikeq;
  PairNetwork p{Network(dt), {}, {}, {}, {}};
  p.pre = p.net.add_population(
      "pre", 1, neurons::spike_source_array::params{.times = {std::move(pre_times)}});
  p.driver = p.net.add_population(
      "driver", 1, neurons::spike_source_array::params{.times = {std::move(post_drive)}});
  p.post = p.net.add_population("post", 1, neurons::lif_psc_delta::params{});
  p.plastic = p.net.connect(p.pre, p.post, connect::OneToOne{},
                            {.weight = w0, .delay = delay, .plasticity = std::move(spec)},
                            "plastic");
  // 100 mV: the post neuron fires in the update that consumes it.
  p.net.connect(p.driver, p.post, connect::OneToOne{}, {.weight = 100.0, .delay = dt}, "drive");
  p.net.record_spikes(p.post);
  p.net.record_spikes(p.pre);
  return p;
}

/// Weight of the single plastic synapse.
inline double weight(const spikeq::Simulation& sim, spikeq::ProjectionId p) {
  return sim.weights(p).at(0);
}

}  // namespace spikeq_test
