// spikeq run: load, validate, build, run in chunks writing output as it goes, summarise.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "interrupt.hpp"
#include "model_loading.hpp"
#include "progress.hpp"
#include "run_output.hpp"
#include "summary.hpp"
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

}  // namespace

int run_command(const RunArgs& args) {
  const auto t_build = Clock::now();
  std::optional<io::LoadedModel> model = load_checked(args.model);
  if (!model) return kInvalid;
  if (args.backend) model->options.backend = *args.backend;
  if (args.threads) {
    if (*args.threads < 1) {
      report_error("--threads must be at least 1 (got " + std::to_string(*args.threads) + ")");
      return kInvalid;
    }
    model->options.threads = *args.threads;
  }
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
  const double build_s = seconds_since(t_build);

  std::optional<RunOutput> output;
  try {
    if (!args.no_output) output.emplace(default_output(args, *model), *model, *sim);
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }

  // Run in chunks of about 100 ms of simulated time (whole slices), writing as we go.
  const InterruptGuard interrupt;
  Progress progress(duration, !args.quiet);
  const Step total = duration_to_steps(duration, model->network.dt(), "duration");
  const Step chunk = std::max<Step>(1, static_cast<Step>(std::llround(100.0 / model->network.dt())));
  const auto t_sim = Clock::now();
  auto last_flush = Clock::now();
  Step done = 0;
  try {
    while (done < total && !interrupt.interrupted()) {
      const Step n = std::min(chunk, total - done);
      sim->run(static_cast<double>(n) * model->network.dt());
      done += n;
      if (output) {
        output->drain(*sim);
        if (seconds_since(last_flush) > 2.0) {
          output->flush(*sim);
          last_flush = Clock::now();
        }
      }
      progress.update(static_cast<double>(done) * model->network.dt());
    }
    if (output) output->close(*sim);
  } catch (const Error& e) {
    progress.finish();
    report_error(e.what());
    // Keep everything simulated before the failure (bad recorded data found mid-run, a
    // failing write): the files end at the last complete step.
    if (output) {
      try {
        output->drain(*sim);
        output->close(*sim);
      } catch (const Error& again) {
        report_error(again.what());
      }
    }
    return dynamic_cast<const InvalidParameter*>(&e) ? kInvalid : kRuntimeFailure;
  }
  const double simulate_s = seconds_since(t_sim);
  progress.finish();

  RunSummary summary = summarise(args.model.model, *sim, duration, build_s, simulate_s);
  summary.seed = model->options.seed;
  summary.threads = sim->threads();
  summary.interrupted = interrupt.interrupted();
  if (output) summary.files = output->files();
  if (!args.quiet) print_summary(summary);
  if (!args.stats.empty()) {
    try {
      write_json(summary, args.stats);
    } catch (const Error& e) {
      report_error(e.what());
      return kRuntimeFailure;
    }
  }
  if (summary.interrupted) {
    std::fprintf(stderr, "spikeq: interrupted at %.1f ms; the output holds everything up to then\n",
                 sim->time());
    return kInterrupted;
  }
  return kOk;
}

}  // namespace spikeq::cli
