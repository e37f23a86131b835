// Builds a small network through the installed spikeq package and checks it runs.
#include <cstdio>

#include <spikeq/spikeq.hpp>

int main() {
  using namespace spikeq;
  using namespace spikeq::literals;
  Network net(0.1_ms);
  auto src = net.add_population("src", 10, neurons::poisson_source::params{.rate = 50.0_Hz});
  auto dst = net.add_population("dst", 5, neurons::lif_psc_exp::params{});
  net.connect(src, dst, connect::AllToAll{}, {.weight = 400.0_pA, .delay = 1.5_ms});
  net.record_spikes(dst);
  Simulation sim(net, {.seed = 3});
  sim.run(1_s);
  std::printf("consumer: %zu spikes, %.1f Hz\n", sim.spikes(dst).size(), sim.mean_rate(dst));
  return sim.spikes(dst).size() > 0 ? 0 : 1;
}
