// spikeq run on a model with a `continual:` section: the task schedule instead of a
// duration; prints the accuracy matrix, ACC and BWT, and writes them to the output file
// and the --stats JSON.
#include "continual_run.hpp"

#include <chrono>
#include <unistd.h>

#include <cstdio>

#include "interrupt.hpp"
#include "model_loading.hpp"
#include "run_output.hpp"
#include "spikeq/io/continual.hpp"
#include "summary.hpp"

namespace spikeq::cli {

namespace {

/// One line per phase and task on stderr, redrawn in place on a terminal.
void show_progress(const io::ContinualProgress& p, std::size_t tasks) {
  if (!isatty(fileno(stderr))) return;
  std::fprintf(stderr, "\r  task %zu/%zu %-8s %3.0f %%", p.task + 1, tasks, p.phase.c_str(),
               p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0);
  std::fflush(stderr);
}

/// Thrown from the progress callback to stop a run at Ctrl-C.
struct Interrupted {};

}  // namespace

void print_continual(const io::ContinualResult& r, bool multitask) {
  const std::size_t t = r.accuracy.empty() ? 0 : r.accuracy.front().size();
  std::printf(multitask ? "  accuracy (%%) on task j (columns) after training all tasks together:\n        "
                        : "  accuracy (%%) after training task i (rows) on task j (columns):\n        ");
  for (std::size_t j = 0; j < t; ++j) std::printf(" %6zu", j + 1);
  std::printf("\n");
  for (std::size_t i = 0; i < r.accuracy.size(); ++i) {
    if (multitask) {
      std::printf("    all ");
    } else {
      std::printf("  %5zu ", i + 1);
    }
    for (double a : r.accuracy[i]) std::printf(" %6.1f", 100.0 * a);
    std::printf("\n");
  }
  std::printf("  ACC %.1f %%, BWT %+.1f points\n", 100.0 * r.acc, 100.0 * r.bwt);
  for (const auto& s : r.subspaces) {
    if (s.rows.empty()) continue;  // never consolidated: HLOP off, or a single task
    std::printf("  subspace %s: rows", s.name.c_str());
    for (std::size_t rows : s.rows) std::printf(" %zu", rows);
    std::printf("; max |HH^T - I| learned");
    for (double e : s.orthogonality_learned) std::printf(" %.2g", e);
    std::printf(", consolidated");
    for (double e : s.orthogonality_consolidated) std::printf(" %.2g", e);
    std::printf("; activity left by the projection");
    for (double e : s.residual) std::printf(" %.0f %%", 100.0 * e);
    std::printf("\n");
  }
}

int run_continual_model(const ContinualRunArgs& args, const io::LoadedModel& model, Simulation& sim) {
  const io::ContinualModel& c = *model.continual;
  try {
    io::check_continual(model.network, *c.data, c.spec);
  } catch (const Error& e) {
    report_error(io::locate(e, model).what());
    return kInvalid;
  }
  const auto start = std::chrono::steady_clock::now();
  const InterruptGuard interrupt;
  io::ContinualResult result;
  std::size_t task = 0;  // the one in progress, for the interruption message
  try {
    const std::size_t tasks = c.spec.tasks.count;
    result = io::run_continual(sim, *c.stream, *c.data, c.spec, [&](const io::ContinualProgress& p) {
      task = p.task;
      if (interrupt.interrupted()) throw Interrupted{};
      if (!args.quiet) show_progress(p, tasks);
    });
    if (!args.quiet && isatty(fileno(stderr))) std::fprintf(stderr, "\r%60s\r", "");
    if (!args.output.empty()) {
      io::write_continual_file(args.output, result, c.spec, c.data->name, run_metadata(model), sim.time());
    }
  } catch (const Interrupted&) {
    // The result is the whole accuracy matrix; a part of it would not say what ACC and BWT
    // say, so nothing is written (an earlier file stays as it was).
    std::fprintf(stderr, "\nspikeq: interrupted during task %zu of %zu; nothing written\n",
                 task + 1, c.spec.tasks.count);
    return kInterrupted;
  } catch (const Error& e) {
    report_error(e.what());
    return dynamic_cast<const InvalidParameter*>(&e) ? kInvalid : kRuntimeFailure;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RunSummary summary = summarise(args.label, sim, sim.time(), args.build_s, seconds);
  summary.seed = model.options.seed;
  summary.threads = sim.threads();
  summary.continual = result;
  if (!args.output.empty()) summary.files.push_back(args.output);
  if (!args.quiet) {
    std::printf("%s: %zu %s tasks of %s (%s), %llu samples shown\n", args.label.c_str(),
                c.spec.tasks.count,
                c.spec.tasks.kind == io::TaskSchedule::Kind::permuted ? "permuted" : "split",
                c.data->name.c_str(),
                c.spec.multitask ? "trained together" : (c.spec.hlop ? "with HLOP" : "without HLOP"),
                static_cast<unsigned long long>(result.samples_shown));
    print_continual(result, c.spec.multitask);
    print_summary(summary);
  }
  if (!write_stats(summary, args.stats)) return kRuntimeFailure;
  return kOk;
}

}  // namespace spikeq::cli
