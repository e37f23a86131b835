#pragma once
// Networks shared by several tests.
#include <cstdint>
#include <random>
#include <vector>

#include "spikeq/spikeq.hpp"

namespace spikeq::test {

struct Izhikevich2003 {
  Network net{1.0};
  PopulationId exc, inh;
};

/// The paper's 1000-neuron network (models.md section 1); `het_seed` draws the per-neuron r.
inline Izhikevich2003 izhikevich2003(std::uint32_t ne = 800, std::uint32_t ni = 200,
                                     std::uint64_t het_seed = 2003) {
  using Izh = neurons::izhikevich;
  Izhikevich2003 m;
  std::mt19937_64 gen(het_seed);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  Izh::params e = Izh::params::preset(Izh::Preset::RS);
  Izh::params i = Izh::params::preset(Izh::Preset::RS);
  std::vector<double> c(ne), d(ne), a(ni), b(ni);
  for (std::uint32_t k = 0; k < ne; ++k) {
    const double r = U(gen);
    c[k] = -65.0 + 15.0 * r * r;
    d[k] = 8.0 - 6.0 * r * r;
  }
  for (std::uint32_t k = 0; k < ni; ++k) {
    const double r = U(gen);
    a[k] = 0.02 + 0.08 * r;
    b[k] = 0.25 - 0.05 * r;
  }
  e.c = c; e.d = d;
  i.a = a; i.b = b; i.c = -65.0; i.d = 2.0;
  m.exc = m.net.add_population("exc", ne, e);
  m.inh = m.net.add_population("inh", ni, i);
  const double scale = 1000.0 / (ne + ni);
  for (auto t : {m.exc, m.inh}) {
    m.net.connect(m.exc, t, connect::AllToAll{}, {.weight = Uniform{0.0, 0.5 * scale}, .delay = 1.0});
    m.net.connect(m.inh, t, connect::AllToAll{}, {.weight = Uniform{-1.0 * scale, 0.0}, .delay = 1.0});
  }
  m.net.add_input(m.exc, NoiseInput{.mean = 0.0, .sd = 5.0});
  m.net.add_input(m.inh, NoiseInput{.mean = 0.0, .sd = 2.0});
  m.net.record_spikes(m.exc);
  m.net.record_spikes(m.inh);
  return m;
}

}  // namespace spikeq::test
