// spikeq resume: rebuild the model a checkpoint holds, restore its state, and run on,
// writing the spikes and recordings from the checkpoint's time onward.
#include <chrono>
#include <filesystem>

#include "commands.hpp"
#include "model_loading.hpp"
#include "run_loop.hpp"
#include "run_output.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::cli {

int resume_command(const ResumeArgs& args) {
  const auto t_build = std::chrono::steady_clock::now();
  io::CheckpointInfo info;
  std::optional<io::LoadedModel> model;
  try {
    info = io::read_checkpoint_info(args.checkpoint);
    // Named after the model's own file, so that its relative paths (weights, recordings)
    // resolve as they did.
    model.emplace(io::load_model_text(info.model_yaml, info.model_file));
  } catch (const Error& e) {
    report_error(e.what());
    return kInvalid;
  }
  model->options.seed = info.seed;
  if (!apply_backend_args(args.backend, model->options)) return kInvalid;
  double duration = model->duration.value_or(0.0) - info.time_ms;
  if (args.duration) {
    try {
      duration = io::parse_time(*args.duration, "--duration");
    } catch (const Error& e) {
      report_error(e.what());
      return kInvalid;
    }
  }
  if (!(duration > 0.0)) {
    report_error(args.checkpoint + ": the model's duration ends at the checkpoint (" +
                 detail::format_number(info.time_ms) + " ms); pass --duration to run further");
    return kInvalid;
  }

  std::string path = args.output;
  if (path.empty() && !args.no_output) {
    const std::filesystem::path base = model->output.empty()
                                           ? std::filesystem::path(info.model_file).stem()
                                           : std::filesystem::path(model->output).stem();
    path = base.string() + ".resumed.h5";
  }
  LoopArgs loop{args.checkpoint, duration, 0.0, args.next_checkpoint, args.checkpoint_every, args.stats, args.quiet};
  // Checkpointing on into the checkpoint resumed from replaces it as a run goes: allowed.
  std::vector<std::string> inputs{info.model_file};
  if (!same_file(args.next_checkpoint, args.checkpoint)) inputs.push_back(args.checkpoint);
  if (!outputs_writable(loop, *model, args.no_output ? std::string() : path, inputs)) return kInvalid;
  std::optional<Simulation> sim;
  try {
    sim.emplace(io::restore_checkpoint(args.checkpoint, model->network, model->options));
  } catch (const CapacityError& e) {
    report_error(e.what());
    return kRuntimeFailure;
  } catch (const Error& e) {
    report_error(e.what());
    return kInvalid;
  }
  loop.build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_build).count();

  std::optional<RunOutput> output;
  try {
    if (!args.no_output) output.emplace(path, *model, *sim);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  return run_loop(loop, *model, *sim, output);
}

}  // namespace spikeq::cli
