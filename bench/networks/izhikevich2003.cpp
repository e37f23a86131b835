// Izhikevich (2003) random network, as /work/shared/peers/brian2/izhikevich2003.py:
// N neurons, 80 % excitatory, all-to-all (self-connections included), weights scaled
// by 1000 / N, thalamic noise, dt = 1 ms, a spike's weights act in the next step.
#include <random>
#include <vector>

#include "networks.hpp"

namespace spikeq_bench {

BenchNetwork make_izhikevich2003(std::uint32_t n, std::uint64_t seed) {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const auto ne = static_cast<std::uint32_t>(0.8 * n);  // the peer's int(0.8 * N)
  const std::uint32_t ni = n - ne;
  const double wscale = 1000.0 / n;

  // One r ~ U(0, 1) per neuron shapes two of its parameters, so they are drawn here.
  // 53 random bits per r: mt19937_64 is specified exactly by the standard, unlike
  // uniform_real_distribution, so every standard library gives the same network.
  std::mt19937_64 gen(seed);
  auto U = [&gen] { return static_cast<double>(gen() >> 11) * 0x1p-53; };
  std::vector<double> c(ne), d(ne), a(ni), b_(ni);
  for (std::uint32_t i = 0; i < ne; ++i) {
    const double r = U();
    c[i] = -65.0 + 15.0 * r * r;
    d[i] = 8.0 - 6.0 * r * r;
  }
  for (std::uint32_t i = 0; i < ni; ++i) {
    const double r = U();
    a[i] = 0.02 + 0.08 * r;
    b_[i] = 0.25 - 0.05 * r;
  }
  // v(0) = -65 and u(0) = b v(0) are the model's defaults; the listing's scheme is too.
  Izh::params exc;
  exc.a = 0.02;
  exc.b = 0.2;
  exc.c = std::move(c);
  exc.d = std::move(d);
  Izh::params inh;
  inh.a = std::move(a);
  inh.b = std::move(b_);
  inh.c = -65.0;
  inh.d = 2.0;

  BenchNetwork b{"Izhikevich2003", Network(1.0), {}, {}};
  const PopulationId E = b.network.add_population("exc", ne, exc);
  const PopulationId I = b.network.add_population("inh", ni, inh);
  b.populations = {E, I};
  for (const PopulationId target : {E, I}) {
    b.projections.push_back(b.network.connect(
        E, target, connect::AllToAll{}, {.weight = Uniform{0.0, 0.5 * wscale}, .delay = 1.0}));
    b.projections.push_back(b.network.connect(
        I, target, connect::AllToAll{}, {.weight = Uniform{-wscale, 0.0}, .delay = 1.0}));
  }
  b.network.add_input(E, NoiseInput{.mean = 0.0, .sd = 5.0});  // thalamic input
  b.network.add_input(I, NoiseInput{.mean = 0.0, .sd = 2.0});
  for (const PopulationId pop : b.populations) b.network.record_spikes(pop);
  return b;
}

}  // namespace spikeq_bench
