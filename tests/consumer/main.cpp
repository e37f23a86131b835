// Builds networks through the installed package: the C++ API (spikeq::spikeq) and a
// YAML model written to a SONATA file (spikeq::io).
#include <cstdio>
#include <filesystem>

#include <spikeq/io/model_file.hpp>
#include <spikeq/io/sonata.hpp>
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

  const io::LoadedModel m = io::load_model_text(
      "populations: [{name: p, model: poisson_source, size: 20, params: {rate: 20 Hz}}]",
      "inline.yaml");
  Simulation yaml_sim(m.network, m.options);
  yaml_sim.run(500.0);
  const std::string path = (std::filesystem::temp_directory_path() / "spikeq_consumer.h5").string();
  {
    io::SpikeFileWriter writer(path, {m.resolved_yaml, m.options.seed, "consumer", 0.1},
                               {{"p", 20}});
    const SpikeRecord& s = yaml_sim.spikes(PopulationId{0});
    std::vector<double> t;
    for (std::size_t k = 0; k < s.size(); ++k) t.push_back(s.time(k));
    writer.append(0, t, {s.neurons.begin(), s.neurons.end()});
    writer.close();
  }
  const io::SpikeFile f = io::read_spike_file(path);
  std::printf("consumer: YAML model wrote %zu spikes to %s\n", f.populations[0].timestamps.size(),
              path.c_str());
  std::filesystem::remove(path);
  return sim.spikes(dst).size() > 0 && f.populations[0].timestamps.size() == yaml_sim.spike_count(PopulationId{0})
             ? 0
             : 1;
}
