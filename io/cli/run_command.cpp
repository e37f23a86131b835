// spikeq run: load, validate, build, then run_loop (chunks, output, checkpoints, summary).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "continual_run.hpp"
#include "model_loading.hpp"
#include "output_paths.hpp"
#include "run_loop.hpp"
#include "run_output.hpp"
#include "spikeq/io/model_file.hpp"

namespace spikeq::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string default_output(const RunArgs& args, const io::LoadedModel& model) {
  if (!args.output.empty()) return args.output;
  if (!model.output.empty()) return model.output;
  return std::filesystem::path(args.model.model).stem().string() + ".h5";
}

/// A model with a `continual:` section trains its tasks; a duration does not apply.
int run_continual(const RunArgs& args, const io::LoadedModel& model, Clock::time_point t_build) {
  if (args.duration) {
    report_error("--duration: model " + args.model.model +
                 " trains a task schedule (continual:); its length is set by its tasks");
    return kInvalid;
  }
  if (!args.checkpoint.empty() || args.checkpoint_every) {
    report_error("--checkpoint: continual-learning runs cannot be checkpointed yet");
    return kInvalid;
  }
  // Before the build and the training, as for any run: a mistake costs no time.
  const std::string output = args.no_output ? std::string() : default_output(args, model);
  if (const std::string error = check_outputs({{"-o", output}, {"--stats", args.stats}}, {args.model.model});
      !error.empty()) {
    report_error(error);
    return kInvalid;
  }
  std::optional<Simulation> sim;
  try {
    sim.emplace(model.network, model.options);
  } catch (const CapacityError& e) {
    report_error(e.what());
    return kRuntimeFailure;
  } catch (const Error& e) {
    report_error(io::locate(e, model).what());
    return kInvalid;
  }
  const ContinualRunArgs c{args.model.model, output, args.stats, seconds_since(t_build), args.quiet};
  return run_continual_model(c, model, *sim);
}

}  // namespace

int run_command(const RunArgs& args) {
  const auto t_build = Clock::now();
  int failure = kInvalid;
  std::optional<io::LoadedModel> model = load_checked(args.model, nullptr, &failure);
  if (!model) return failure;
  if (!apply_backend_args(args.backend, model->options)) return kInvalid;
  if (model->continual) return run_continual(args, *model, t_build);
  double duration = model->duration.value_or(-1.0);
  if (args.duration) {
    try {
      duration = io::parse_time(*args.duration, "--duration");
    } catch (const io::ModelError& e) {
      report_error(e.what());
      return kInvalid;
    }
    if (duration < 0) {
      report_error("--duration: must not be negative");
      return kInvalid;
    }
  }
  if (duration < 0) {
    report_error(args.model.model + ": no duration: set simulation.duration or pass --duration");
    return kInvalid;
  }

  // Arguments and output paths are checked before the build: a mistake costs no time
  // and no file.
  LoopArgs loop{args.model.model, duration, 0.0, args.checkpoint, args.checkpoint_every, args.stats, args.quiet};
  const std::string spike_path = args.no_output ? std::string() : default_output(args, *model);
  if (!outputs_writable(loop, *model, spike_path, {args.model.model})) return kInvalid;
  std::optional<Simulation> sim;
  try {
    sim.emplace(model->network, model->options);
    // Whole steps only; the check names the offending value.
    (void)duration_to_steps(duration, model->network.dt(), "duration");
  } catch (const CapacityError& e) {
    report_error(e.what());
    return kRuntimeFailure;
  } catch (const Error& e) {
    report_error(io::locate(e, *model).what());
    return kInvalid;
  }
  loop.build_s = seconds_since(t_build);

  std::optional<RunOutput> output;
  try {
    if (!args.no_output) output.emplace(spike_path, *model, *sim);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }

  return run_loop(loop, *model, *sim, output);
}

}  // namespace spikeq::cli
