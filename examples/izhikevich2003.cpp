// Izhikevich (2003) "Simple model of spiking neurons": 800 excitatory and 200 inhibitory
// neurons, all-to-all random weights and random thalamic input, 1 s at dt = 1 ms.
// The same network as models/izhikevich2003.yaml (`spikeq run` it for files and plots).
#include <cstdio>

#include "spikeq/spikeq.hpp"

int main() {
  using namespace spikeq;
  using Izh = neurons::izhikevich;
  const std::uint32_t ne = 800, ni = 200;
  const std::uint64_t seed = 42;

  Network net(1.0);  // dt = 1 ms
  // The paper's heterogeneity: one r ~ U(0, 1) per neuron sets (c, d) or (a, b).
  auto E = net.add_population("exc", ne, Izh::params::paper_2003(true, ne, seed, "exc"));
  auto I = net.add_population("inh", ni, Izh::params::paper_2003(false, ni, seed, "inh"));
  // Dense coupling: 0.5 U(0,1) from excitatory, -U(0,1) from inhibitory sources, one
  // step of delay (the paper adds a spike's weights in the step after it is detected).
  for (auto target : {E, I}) {
    net.connect(E, target, connect::AllToAll{}, {.weight = Uniform{0.0, 0.5}, .delay = 1.0});
    net.connect(I, target, connect::AllToAll{}, {.weight = Uniform{-1.0, 0.0}, .delay = 1.0});
  }
  net.add_input(E, NoiseInput{.mean = 0.0, .sd = 5.0}, "thalamus_exc");  // thalamic input
  net.add_input(I, NoiseInput{.mean = 0.0, .sd = 2.0}, "thalamus_inh");
  net.record_spikes(E);
  net.record_spikes(I);

  Simulation sim(net, {.seed = seed});
  sim.run(1000.0);

  std::printf("Izhikevich 2003 network: %u neurons, %llu synapses, %g s simulated\n", ne + ni,
              static_cast<unsigned long long>(sim.build_info().synapses), sim.time() / 1e3);
  std::printf("mean rate: excitatory %.2f Hz, inhibitory %.2f Hz, all %.2f Hz\n",
              sim.mean_rate(E), sim.mean_rate(I),
              double(sim.spike_count(E) + sim.spike_count(I)) / (ne + ni) / (sim.time() / 1e3));
  std::printf("memory: %s\n", sim.memory().to_string().c_str());
  return 0;
}
