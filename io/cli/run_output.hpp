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
#include "spikeq/io/pending_file.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/io/weights.hpp"

namespace spikeq::cli {

/// The run attributes every output file of `model` carries (io::RunMetadata).
io::RunMetadata run_metadata(const io::LoadedModel& model);


/// The files a RunOutput for `spike_path` will create: the spike file and each state
/// report (for check_outputs, before any is opened).
std::vector<PlannedOutput> planned_outputs(const std::string& spike_path, const io::LoadedModel& model);

/// Every file is written under a temporary name beside its final one and moved into
/// place by close() (io::PendingFile): a failed write or a crash leaves the old files.
class RunOutput {
 public:
  /// Creates the files (reports go beside the spike file as STEM.POPULATION.VARIABLE.h5
  /// unless the recorder names a file).
  RunOutput(const std::string& spike_path, const io::LoadedModel& model, const Simulation& sim);

  /// Moves everything recorded since the last call from the simulation to the files.
  void drain(Simulation& sim);
  /// Drains and makes the files durable up to the simulated time now.
  void flush(Simulation& sim);
  /// Final drain, flush and close, then moves the files into place; errors surface here,
  /// not in a destructor.
  void close(Simulation& sim);
  /// After a failed write: closes what can be closed and moves nothing into place (the
  /// temporary files are removed); returns what that left at each final path.
  std::string abandon();
  /// Whether a write failed: then only abandon() is left.
  [[nodiscard]] bool failed() const { return failed_; }
  /// The final paths.
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

 private:
  /// Runs a write; a failure marks the output failed (a half-written step cannot be
  /// completed or taken back) and goes on to the caller.
  template <typename Write>
  void writing(Write&& write);
  void drain_weights(Simulation& sim);

  // Declared before the writers, so that the files are closed before their temporary
  // copies are removed.
  std::vector<io::PendingFile> pending_;  ///< spike file first, then the reports
  // recorded_ is filled while spikes_ is constructed: it must be declared first.
  std::vector<PopulationId> recorded_;  ///< populations in the spike file, in file order
  io::SpikeFileWriter spikes_;
  // Writes into the spike file, which spikes_ created: declared after it.
  std::optional<io::WeightFileWriter> weights_;
  std::vector<io::ReportFileWriter> reports_;
  std::vector<RecorderId> report_ids_;
  std::vector<std::string> files_;
  bool failed_ = false;
};

}  // namespace spikeq::cli
