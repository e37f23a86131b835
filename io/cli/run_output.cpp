#include "run_output.hpp"

#include <filesystem>

#include "spikeq/core/config.hpp"

namespace spikeq::cli {
namespace {

io::RunMetadata metadata(const io::LoadedModel& model) {
  io::RunMetadata m;
  m.model_yaml = model.resolved_yaml;
  m.seed = model.options.seed;
  m.spikeq_version = std::to_string(SPIKEQ_VERSION_MAJOR) + "." +
                     std::to_string(SPIKEQ_VERSION_MINOR) + "." +
                     std::to_string(SPIKEQ_VERSION_PATCH);
  m.dt = model.network.dt();
  return m;
}

std::vector<io::PopulationInfo> recorded_populations(const Network& net,
                                                     std::vector<PopulationId>& ids) {
  std::vector<io::PopulationInfo> out;
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) {
    if (!net.spike_recording()[p]) continue;
    ids.push_back(PopulationId{p});
    out.push_back({net.populations()[p].name, net.populations()[p].size});
  }
  return out;
}

std::string report_path(const std::string& spike_path, const io::StateReport& r) {
  if (!r.file.empty()) return r.file;
  std::filesystem::path p(spike_path);
  const std::string stem = p.stem().string();
  return (p.parent_path() / (stem + "." + r.population + "." + r.variable + ".h5")).string();
}

}  // namespace

RunOutput::RunOutput(const std::string& spike_path, const io::LoadedModel& model,
                     const Simulation& sim)
    : spikes_(spike_path, metadata(model), recorded_populations(sim.network(), recorded_)) {
  files_.push_back(spike_path);
  for (const io::StateReport& r : model.reports) {
    std::vector<std::uint64_t> ids(r.neurons.begin(), r.neurons.end());
    const std::string path = report_path(spike_path, r);
    reports_.emplace_back(path, metadata(model), r.population, r.variable, r.units, ids,
                          r.interval, r.interval);
    report_ids_.push_back(r.recorder);
    files_.push_back(path);
  }
}

void RunOutput::drain(Simulation& sim) {
  for (std::size_t k = 0; k < recorded_.size(); ++k) {
    const SpikeRecord s = sim.take_spikes(recorded_[k]);
    if (s.size() == 0) continue;
    std::vector<double> times(s.size());
    std::vector<std::uint64_t> ids(s.neurons.begin(), s.neurons.end());
    for (std::size_t i = 0; i < s.size(); ++i) times[i] = s.time(i);
    spikes_.append(k, times, ids);
  }
  for (std::size_t k = 0; k < reports_.size(); ++k) {
    const StateTrace t = sim.take_trace(report_ids_[k]);
    if (t.samples() > 0) reports_[k].append(t.values.data(), t.samples());
  }
}

void RunOutput::close(Simulation& sim) {
  flush(sim);
  spikes_.close();
  for (auto& r : reports_) r.close();
}

void RunOutput::flush(Simulation& sim) {
  drain(sim);
  spikes_.flush(sim.time());
  for (auto& r : reports_) r.flush();
}

}  // namespace spikeq::cli
