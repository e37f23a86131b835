#pragma once
// The benchmark networks, each built exactly as its Brian2 peer script defines it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spikeq/spikeq.hpp"

namespace spikeq_bench {

/// A network description plus the handles the measurement needs. Every population
/// records spikes: the exact count of synaptic events needs the spiking neuron ids.
struct BenchNetwork {
  std::string name;  ///< as the peer reports it (CUBA, COBA, Izhikevich2003, ...)
  spikeq::Network network;
  std::vector<spikeq::PopulationId> populations;
  std::vector<spikeq::ProjectionId> projections;
};

BenchNetwork make_cuba(std::uint32_t n);
BenchNetwork make_coba(std::uint32_t n);
/// `seed` draws the per-neuron heterogeneity r (izhikevich::params::paper_2003).
BenchNetwork make_izhikevich2003(std::uint32_t n, std::uint64_t seed);

/// Brunel (2000) model A with NE excitatory neurons (12500 neurons in all at NE = 10000).
BenchNetwork make_brunel2000(std::uint32_t ne, double g = 5.0, double eta = 2.0);

/// The same network with the in-degrees of NE = 10000 (C_E = 1000, C_I = 250) at any NE:
/// the rates stay those of the paper as the network grows.
BenchNetwork make_brunel2000_scaled(std::uint32_t ne);

/// The same network with heterogeneous delays: each synapse's delay drawn uniformly in
/// [delay_min, delay_max] ms (rounded to the nearest step at build), as
/// bench/peers/brunel2000_hetero.py. Same population and input names as make_brunel2000.
BenchNetwork make_brunel2000_hetero(std::uint32_t ne, double delay_min = 1.0,
                                    double delay_max = 20.0, double g = 5.0,
                                    double eta = 2.0);

/// Potjans & Diesmann (2014) microcircuit; `scale` shrinks every population.
BenchNetwork make_potjans_diesmann(double scale = 1.0);

/// Izhikevich (2006) polychronization network of n neurons (spnet; 1000 in the paper),
/// with spnet's STDP on the excitatory synapses, or with static synapses.
BenchNetwork make_polychronization(std::uint32_t n, bool plastic = true);
/// spnet's STDP rule (nearest pairs, derivative applied once per second, bounds [0, 10]).
spikeq::plasticity::PlasticitySpec spnet_stdp();

/// Izhikevich (2007) distal reward network of n neurons (daspnet.m; 1000 in the paper).
/// Projection "rewarded" is the single synapse exc 1 -> exc kDaStdpRewardedTarget.
inline constexpr std::uint32_t kDaStdpRewardedTarget = 57;
BenchNetwork make_dastdp(std::uint32_t n);

/// A heterogeneous Izhikevich reservoir with an error-modulated three-factor readout
/// (models/reservoir_three_factor.yaml, docs/models/reservoir_three_factor.md). Trial k
/// spans [k, k + 1) x kReservoirTrial ms; the cue fires kReservoirCue ms into it and the
/// target modulator jumps kReservoirTargetDelay ms after the cue. The first train_trials
/// trials learn with the gate ("attention") open, the test_trials after them with it
/// closed; with `attention` false it stays closed throughout, so nothing is learned.
/// Populations: exc, inh, cue, readout. Projections: exc->exc, exc->inh, inh->exc,
/// inh->inh, cue->exc and "readout" (exc -> readout, plastic, weights start at 0).
inline constexpr double kReservoirTrial = 500.0;       // ms
inline constexpr double kReservoirCue = 50.0;          // ms into each trial
inline constexpr double kReservoirTargetDelay = 80.0;  // ms after the cue
struct ReservoirThreeFactorOptions {
  std::uint32_t size = 500;  ///< reservoir neurons, 80 % excitatory
  std::uint32_t train_trials = 150;
  std::uint32_t test_trials = 20;
  bool attention = true;     ///< open the gate during the training trials
  std::uint64_t seed = 1;    ///< draws the heterogeneity; use it as the Simulation seed too
};
BenchNetwork make_reservoir_three_factor(const ReservoirThreeFactorOptions& options = {});

struct NetworkKind {
  std::string_view flag;        ///< value of --network
  std::uint32_t default_size;   ///< the peer script's default --size
  BenchNetwork (*make)(std::uint32_t size, std::uint64_t seed);
};

/// nullptr if `flag` names no network.
const NetworkKind* find_network(std::string_view flag);

/// Every --network value, comma-separated, for messages.
std::string network_names();

}  // namespace spikeq_bench
