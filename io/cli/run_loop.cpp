#include "run_loop.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>
#include <variant>

#include "commands.hpp"
#include "interrupt.hpp"
#include "model_loading.hpp"
#include "progress.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "summary.hpp"

namespace spikeq::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Throws if a population's first state variable (its membrane potential) is no longer
/// finite: parameters far outside a model's range (Izhikevich with I_e = 1e300 pA)
/// overflow its equations, and a run must not go on writing NaN as if it were a result.
void check_state_finite(const Simulation& sim) {
  const Network& net = sim.network();
  for (std::uint32_t p = 0; p < net.populations().size(); ++p) {
    const std::string variable = std::visit(
        [](const auto& params) -> std::string {
          using M = model_of_t<std::decay_t<decltype(params)>>;
          if constexpr (M::recordables.empty()) return {};
          else return std::string(M::recordables[0].name);
        },
        net.populations()[p].model);
    if (variable.empty()) continue;
    const std::vector<double> values = sim.state(PopulationId{p}, variable);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::isfinite(values[i])) continue;
      throw Error("population '" + net.populations()[p].name + "': " + variable + " of neuron " +
                  std::to_string(i) + " is " + detail::format_number(values[i]) + " at " +
                  detail::format_number(sim.time()) +
                  " ms: the model's equations overflowed; check its parameters and inputs");
    }
  }
}

void checkpoint_now(const LoopArgs& args, const io::LoadedModel& model, Simulation& sim,
                    std::optional<RunOutput>& output) {
  // The output is made durable first, so that it reaches at least the checkpoint's time.
  if (output) output->flush(sim);
  io::CheckpointInfo info;
  info.model_yaml = model.resolved_yaml;
  // Absolute, so that `resume` finds the model's relative paths from any folder.
  info.model_file = model.file.empty() ? std::string() : std::filesystem::absolute(model.file).string();
  io::write_checkpoint(sim, args.checkpoint, info);
}

/// "--checkpoint-every" as ms; an error message in `error` if it is not a time > 0 in
/// whole steps or lacks --checkpoint.
std::optional<double> parse_checkpoint_every(const std::optional<std::string>& text,
                                             const std::string& checkpoint, double dt,
                                             std::string& error) {
  if (!text) return std::nullopt;
  if (checkpoint.empty()) {
    error = "--checkpoint-every needs --checkpoint FILE";
    return std::nullopt;
  }
  try {
    const double ms = io::parse_time(*text, "--checkpoint-every");
    if (!(ms > 0.0)) {
      error = "--checkpoint-every: must be > 0";
      return std::nullopt;
    }
    (void)duration_to_steps(ms, dt, "--checkpoint-every");
    return ms;
  } catch (const Error& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace

bool outputs_writable(const LoopArgs& args, const io::LoadedModel& model, const std::string& spike_path,
                      const std::vector<std::string>& inputs) {
  std::string error;
  (void)parse_checkpoint_every(args.checkpoint_every, args.checkpoint, model.network.dt(), error);
  if (error.empty()) {
    std::vector<PlannedOutput> outputs;
    if (!spike_path.empty()) outputs = planned_outputs(spike_path, model);
    outputs.push_back({"--stats", args.stats});
    outputs.push_back({"--checkpoint", args.checkpoint});
    error = check_outputs(outputs, inputs);
  }
  if (!error.empty()) report_error(error);
  return error.empty();
}

bool apply_backend_args(const BackendArgs& args, SimulationOptions& options) {
  if (args.backend) options.backend = *args.backend;
  if (args.threads) {
    if (*args.threads < 1) {
      report_error("--threads must be at least 1 (got " + std::to_string(*args.threads) + ")");
      return false;
    }
    options.threads = *args.threads;
  }
  if (args.device) {
    if (*args.device < 0) {
      report_error("--device must be at least 0 (got " + std::to_string(*args.device) + ")");
      return false;
    }
    options.device = *args.device;
  }
  return true;
}

int run_loop(const LoopArgs& args, const io::LoadedModel& model, Simulation& sim,
             std::optional<RunOutput>& output) {
  std::string error;
  const std::optional<double> every_ms =
      parse_checkpoint_every(args.checkpoint_every, args.checkpoint, model.network.dt(), error);
  if (!error.empty()) {
    report_error(error);
    return kInvalid;
  }
  // Run in chunks of about 100 ms of simulated time, writing as we go; chunks end at the
  // checkpoint times.
  const double dt = model.network.dt();
  const InterruptGuard interrupt;
  Progress progress(args.duration_ms, !args.quiet);
  const Step total = duration_to_steps(args.duration_ms, dt, "duration");
  const Step chunk = std::max<Step>(1, static_cast<Step>(std::llround(100.0 / dt)));
  const Step every = every_ms ? duration_to_steps(*every_ms, dt, "--checkpoint-every") : 0;
  const Step first = sim.step();
  const auto t_sim = Clock::now();
  auto last_flush = Clock::now();
  Step done = 0;
  try {
    while (done < total && !interrupt.interrupted()) {
      Step n = std::min(chunk, total - done);
      const Step now = first + done;
      if (every > 0) n = std::min(n, (now / every + 1) * every - now);
      sim.run(static_cast<double>(n) * dt);
      done += n;
      check_state_finite(sim);
      if (output) {
        output->drain(sim);
        if (seconds_since(last_flush) > 2.0) {
          output->flush(sim);
          last_flush = Clock::now();
        }
      }
      if (every > 0 && sim.step() % every == 0 && done < total) checkpoint_now(args, model, sim, output);
      progress.update(static_cast<double>(done) * dt);
    }
    if (!args.checkpoint.empty()) checkpoint_now(args, model, sim, output);
    if (output) output->close(sim);
  } catch (const Error& e) {
    progress.finish();
    report_error(e.what());
    // Keep everything simulated before a failure of the model (bad recorded data found
    // mid-run): the files end at the last complete step. After a failed write the new
    // files cannot be completed, and the old ones stay.
    if (output && !output->failed()) {
      try {
        output->drain(sim);
        output->close(sim);
      } catch (const Error& again) {
        report_error(again.what());
      }
    }
    if (output && output->failed()) report_error("no output was replaced: " + output->abandon());
    return dynamic_cast<const InvalidParameter*>(&e) ? kInvalid : kRuntimeFailure;
  }
  const double simulate_s = seconds_since(t_sim);
  progress.finish();

  RunSummary summary = summarise(args.label, sim, args.duration_ms, args.build_s, simulate_s);
  summary.seed = model.options.seed;
  summary.threads = sim.threads();
  summary.interrupted = interrupt.interrupted();
  if (output) summary.files = output->files();
  if (!args.checkpoint.empty()) summary.files.push_back(args.checkpoint);
  if (!args.quiet) print_summary(summary);
  if (!write_stats(summary, args.stats)) return kRuntimeFailure;
  if (summary.interrupted) {
    std::fprintf(stderr, "spikeq: interrupted at %.1f ms; the output holds everything up to then%s\n",
                 sim.time(), args.checkpoint.empty() ? "" : ", and the checkpoint resumes from there");
    return kInterrupted;
  }
  return kOk;
}

}  // namespace spikeq::cli
