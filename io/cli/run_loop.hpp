#pragma once
// The part of `spikeq run` and `spikeq resume` after the build: advancing in chunks while
// writing output, checkpointing, handling Ctrl-C and errors, and the summary.
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "run_output.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::cli {

struct LoopArgs {
  std::string label;             ///< the model file, for the summary
  double duration_ms = 0.0;      ///< to simulate in this invocation
  double build_s = 0.0;
  std::string checkpoint;        ///< write checkpoints here ("" = none)
  std::optional<std::string> checkpoint_every;  ///< "10 s"; checkpoints also at the end and on Ctrl-C
  std::string stats;             ///< --stats FILE.json
  bool quiet = false;
};

/// Applies --backend, --threads and --device to `options`; false (after reporting why)
/// when --threads is below 1 or --device below 0.
bool apply_backend_args(const BackendArgs& args, SimulationOptions& options);

/// Every check of the loop's arguments and of every file the command will write (the
/// spike file `spike_path` and its reports, "" for none; --stats, --checkpoint), against
/// each other and the command's `inputs`. Reports the first problem and returns false
/// (exit code 2). Call it before any output is opened, so that a mistake costs no file.
bool outputs_writable(const LoopArgs& args, const io::LoadedModel& model, const std::string& spike_path,
                      const std::vector<std::string>& inputs);

/// Runs `sim` for args.duration_ms, returns the exit code (2 for a bad --checkpoint-every).
int run_loop(const LoopArgs& args, const io::LoadedModel& model, Simulation& sim,
             std::optional<RunOutput>& output);

}  // namespace spikeq::cli
