#include "run_output.hpp"

#include <filesystem>
#include <type_traits>
#include <variant>

#include "spikeq/core/config.hpp"
#include "spikeq/io/plot.hpp"

namespace spikeq::cli {

io::RunMetadata run_metadata(const io::LoadedModel& model) {
  io::RunMetadata m;
  m.model_yaml = model.resolved_yaml;
  m.seed = model.options.seed;
  m.spikeq_version = std::to_string(SPIKEQ_VERSION_MAJOR) + "." +
                     std::to_string(SPIKEQ_VERSION_MINOR) + "." +
                     std::to_string(SPIKEQ_VERSION_PATCH);
  m.dt = model.network.dt();
  return m;
}

namespace {

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

/// The unit of the weights reaching a projection's receptor ("pA", "nS", "mV"); every
/// receptor of a model shares it.
std::string weight_units(const Network& net, ProjectionId p) {
  const ProjectionSpec& proj = net.spec(p);
  return std::visit(
      [&](const auto& params) -> std::string {
        using M = model_of_t<std::decay_t<decltype(params)>>;
        for (const auto& r : M::receptors) {
          if (r.name == proj.synapse.receptor) return std::string(r.weight_unit);
        }
        return M::receptors.empty() ? std::string{} : std::string(M::receptors[0].weight_unit);
      },
      net.spec(proj.target).model);
}

std::vector<io::WeightSeriesInfo> weight_series(const Simulation& sim) {
  std::vector<io::WeightSeriesInfo> out;
  const Network& net = sim.network();
  for (std::uint32_t k = 0; k < net.weight_recorders().size(); ++k) {
    const WeightTrace& t = sim.weight_trace(WeightRecorderId{k});
    io::WeightSeriesInfo info;
    info.projection = t.projection;
    info.units = weight_units(net, net.weight_recorders()[k].projection);
    info.source_ids = t.sources;
    info.target_ids = t.targets;
    info.delays.reserve(t.delays.size());
    for (std::uint32_t d : t.delays) info.delays.push_back(static_cast<double>(d) * t.dt);
    out.push_back(std::move(info));
  }
  return out;
}

std::string report_path(const std::string& spike_path, const io::StateReport& r) {
  if (!r.file.empty()) return r.file;
  return io::report_file_name(spike_path, r.population, r.variable);
}

}  // namespace

std::vector<PlannedOutput> planned_outputs(const std::string& spike_path, const io::LoadedModel& model) {
  std::vector<PlannedOutput> out{{"-o", spike_path}};
  for (const io::StateReport& r : model.reports) {
    out.push_back({"the report of " + r.population + "." + r.variable, report_path(spike_path, r)});
  }
  return out;
}

namespace {

std::vector<io::PendingFile> pending_files(const std::string& spike_path, const io::LoadedModel& model) {
  std::vector<io::PendingFile> out;
  out.emplace_back(spike_path);
  for (const io::StateReport& r : model.reports) out.emplace_back(report_path(spike_path, r));
  return out;
}

}  // namespace

RunOutput::RunOutput(const std::string& spike_path, const io::LoadedModel& model,
                     const Simulation& sim)
    : pending_(pending_files(spike_path, model)),
      spikes_(pending_.front().path(), run_metadata(model), recorded_populations(sim.network(), recorded_)) {
  files_.push_back(spike_path);
  if (!sim.network().weight_recorders().empty()) weights_.emplace(pending_.front().path(), weight_series(sim));
  for (std::size_t k = 0; k < model.reports.size(); ++k) {
    const io::StateReport& r = model.reports[k];
    std::vector<std::uint64_t> ids(r.neurons.begin(), r.neurons.end());
    // The first sample after the simulation's start (a resumed run starts later).
    const Step every = duration_to_steps(r.interval, sim.network().dt(), "interval");
    const double first = static_cast<double>((sim.step() / every + 1) * every) * sim.network().dt();
    reports_.emplace_back(pending_[k + 1].path(), run_metadata(model), r.population, r.variable, r.units,
                          ids, first, r.interval);
    report_ids_.push_back(r.recorder);
    files_.push_back(pending_[k + 1].final_path());
  }
}

template <typename Write>
void RunOutput::writing(Write&& write) {
  if (failed_) throw io::FileError(files_.front() + ": an earlier write of this run's output failed");
  try {
    write();
  } catch (...) {
    failed_ = true;
    throw;
  }
}

void RunOutput::drain(Simulation& sim) {
  writing([&] {
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
    if (weights_) drain_weights(sim);
  });
}

void RunOutput::drain_weights(Simulation& sim) {
  const std::size_t n = sim.network().weight_recorders().size();
  for (std::uint32_t k = 0; k < n; ++k) {
    // take_weight_trace copies the synapse lists: only when there is something to take.
    if (sim.weight_trace(WeightRecorderId{k}).samples() == 0) continue;
    const WeightTrace t = sim.take_weight_trace(WeightRecorderId{k});
    std::vector<double> times(t.samples());
    for (std::size_t i = 0; i < times.size(); ++i) times[i] = static_cast<double>(t.steps[i]) * t.dt;
    weights_->append(k, times.data(), t.values.data(), t.samples());
  }
}

void RunOutput::close(Simulation& sim) {
  flush(sim);
  writing([&] {
    // The weights share the spike file: the spike writer's close is the last, which
    // writes the file back and reports a failure.
    if (weights_) weights_->close();
    spikes_.close();
    for (auto& r : reports_) r.close();
    for (auto& p : pending_) p.commit();
  });
}

void RunOutput::flush(Simulation& sim) {
  drain(sim);
  writing([&] {
    if (weights_) weights_->flush();
    spikes_.flush(sim.time());
    for (auto& r : reports_) r.flush();
  });
}

std::string RunOutput::abandon() {
  failed_ = true;
  // Closing may fail again (the disk is still full): the files are dropped either way.
  auto quietly = [](auto& writer) {
    try {
      writer.close();
    } catch (const Error&) {
    }
  };
  if (weights_) quietly(*weights_);
  quietly(spikes_);
  for (auto& r : reports_) quietly(r);
  std::string left;
  for (auto& p : pending_) {
    std::error_code ec;
    const bool old = std::filesystem::exists(p.final_path(), ec);
    left += (left.empty() ? "" : "; ") + p.final_path() + (old ? ": the old file is unchanged" : ": not written");
    p.discard();
  }
  return left;
}

}  // namespace spikeq::cli
