#pragma once
// The files of a run: the SONATA spike file (with the weight snapshots of the weight
// recorders under /weights) and one SONATA report per state recorder, filled from the
// simulation's recordings as it runs.
#include <optional>
#include <string>
#include <vector>

#include "output_paths.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/model_file.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/weights.hpp"

namespace spikeq::cli {

/// The run attributes every output file of `model` carries (io::RunMetadata).
io::RunMetadata run_metadata(const io::LoadedModel& model);


/// The files a RunOutput for `spike_path` will create: the spike file and each state
/// report (for check_outputs, before any is opened).
std::vector<PlannedOutput> planned_outputs(const std::string& spike_path, const io::LoadedModel& model);

class RunOutput {
 public:
  /// Creates the files (reports go beside the spike file as STEM.POPULATION.VARIABLE.h5
  /// unless the recorder names a file).
  RunOutput(const std::string& spike_path, const io::LoadedModel& model, const Simulation& sim);

  /// Moves everything recorded since the last call from the simulation to the files.
  void drain(Simulation& sim);
  /// Drains and makes the files durable up to the simulated time now.
  void flush(Simulation& sim);
  /// Final drain, flush and close; errors surface here, not in a destructor.
  void close(Simulation& sim);
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

 private:
  // recorded_ is filled while spikes_ is constructed: it must be declared first.
  std::vector<PopulationId> recorded_;  ///< populations in the spike file, in file order
  io::SpikeFileWriter spikes_;
  // Writes into the spike file, which spikes_ created: declared after it.
  std::optional<io::WeightFileWriter> weights_;
  std::vector<io::ReportFileWriter> reports_;
  std::vector<RecorderId> report_ids_;
  std::vector<std::string> files_;
};

}  // namespace spikeq::cli
