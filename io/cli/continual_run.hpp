#pragma once
// `spikeq run` of a model with a `continual:` section (io/continual.hpp).
#include <string>

#include "commands.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/continual.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::cli {

struct ContinualRunArgs {
  std::string label;   ///< the model file, for the summary
  std::string output;  ///< "" = no output file
  std::string stats;   ///< --stats FILE.json
  double build_s = 0;
  bool quiet = false;
};

/// Trains the model's tasks on `sim`; prints and writes the accuracy matrix. Exit code.
int run_continual_model(const ContinualRunArgs& args, const io::LoadedModel& model, Simulation& sim);

/// The accuracy matrix (percent), ACC, BWT and the subspaces' logs, on stdout; a multitask
/// run's one row is labelled "all".
void print_continual(const io::ContinualResult& result, bool multitask);

}  // namespace spikeq::cli
