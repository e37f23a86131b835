#pragma once
// Checkpoint files: a Simulation's state (core/checkpoint.hpp) and the model it runs,
// in one HDF5 file, enough to resume on any backend and thread count:
//   /checkpoint           attributes format ("spikeq checkpoint"), version (1),
//                         spikeq_version, step, time_ms, dt, seed, model_file, model_yaml
//   /state/<name>         one dataset per state array ("populations/exc/real/V", ...)
// Files are written to a temporary name beside the target and renamed over it when
// complete, so a crash while checkpointing leaves the previous checkpoint intact.
#include <cstdint>
#include <string>

#include "spikeq/core/simulation.hpp"

namespace spikeq::io {

struct CheckpointInfo {
  std::string model_yaml;  ///< the model as run (includes, variant and overrides resolved)
  std::string model_file;  ///< where it came from: relative paths in it resolve there
  std::uint64_t step = 0;
  double time_ms = 0.0;
  double dt = 0.0;
  std::uint64_t seed = 0;
};

/// Writes the state of `sim` (between runs) and `info`'s model to `path`, atomically.
/// The step, time, dt and seed of `info` are taken from `sim`.
void write_checkpoint(Simulation& sim, const std::string& path, CheckpointInfo info);

/// The model and time a checkpoint holds; FileError (naming file and object) if `path` is
/// not a readable spikeq checkpoint.
CheckpointInfo read_checkpoint_info(const std::string& path);

/// A Simulation of `network` continuing from the checkpoint at `path`. The network must
/// be the one checkpointed (as read_checkpoint_info's model builds it); an array that does
/// not fit is a FileError naming the file and the dataset.
Simulation restore_checkpoint(const std::string& path, const Network& network,
                              const SimulationOptions& options);

}  // namespace spikeq::io
