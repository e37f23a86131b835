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

/// The same network with heterogeneous delays: each synapse's delay drawn uniformly in
/// [delay_min, delay_max] ms (rounded to the nearest step at build), as
/// bench/peers/brunel2000_hetero.py. Same population and input names as make_brunel2000.
BenchNetwork make_brunel2000_hetero(std::uint32_t ne, double delay_min = 1.0,
                                    double delay_max = 20.0, double g = 5.0,
                                    double eta = 2.0);

/// Potjans & Diesmann (2014) microcircuit; `scale` shrinks every population.
BenchNetwork make_potjans_diesmann(double scale = 1.0);

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
