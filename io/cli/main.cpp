// spikeq: run, validate, inspect and plot spiking network models described in YAML.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "commands.hpp"
#include "spikeq/core/config.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/hdf5_exit.hpp"
#include "spikeq/io/model_file.hpp"

namespace {

/// --seed: decimal digits that fit in 64 bits, taken exactly (CLI11 alone would wrap -1
/// to 2^64 - 1 and clamp longer numbers).
CLI::Validator whole_number_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (spikeq::io::parse_whole_number(text)) return {};
        return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
      },
      "UINT64", "WHOLE_NUMBER");
}

void add_model_options(CLI::App& cmd, spikeq::cli::ModelArgs& m) {
  cmd.add_option("model", m.model, "model file (YAML)")->required();
  cmd.add_option("--set", m.set,
                 "override a value of the model, e.g. --set populations.exc.params.tau_m=\"15 ms\"");
  cmd.add_option("--seed", m.seed, "random seed (replaces simulation.seed)")->check(whole_number_check());
  cmd.add_option("--variant", m.variant, "use a variant defined in the model's variants:");
}

std::string version() {
  return std::to_string(SPIKEQ_VERSION_MAJOR) + "." + std::to_string(SPIKEQ_VERSION_MINOR) + "." +
         std::to_string(SPIKEQ_VERSION_PATCH);
}

/// The backends compiled into this build (the engine's registry), joined by `separator`.
std::string backend_names(const std::string& separator) {
  std::string out;
  for (const std::string& name : spikeq::available_backends()) {
    out += (out.empty() ? "" : separator) + name;
  }
  return out;
}

/// --backend: one of this build's backends. Any other name fails with the engine's own
/// message: "unknown backend 'gpu' (available: serial, tbb)", or "backend 'cuda' is not
/// compiled into this build (...)".
CLI::Validator backend_check() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        try {
          spikeq::check_options({.backend = name});
          return {};
        } catch (const spikeq::Error& e) {
          std::string message = e.what();
          const std::string prefix = "simulation: ";
          if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
          return message;
        }
      },
      "{" + backend_names(",") + "}", "BACKEND");
}

/// --backend, --threads and --device of run and resume.
void add_backend_options(CLI::App& cmd, spikeq::cli::BackendArgs& b, const std::string& backend_help) {
  cmd.add_option("--backend", b.backend, backend_help)->check(backend_check());
  cmd.add_option("--threads", b.threads, "worker threads of the tbb backend (default: every core)");
  cmd.add_option("--device", b.device,
                 "the GPU of the cuda backend (default 0); for cuda-emulated, which block order");
}

}  // namespace

int main(int argc, char** argv) {
  spikeq::io::skip_hdf5_exit_handler();
  namespace cli = spikeq::cli;
  CLI::App app{"spikeq " + version() + ": event-driven spiking neural network simulator"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version() + "\nbackends: " + backend_names(", "));

  cli::RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "build and run a model, writing SONATA output");
  add_model_options(*run_cmd, run.model);
  run_cmd->add_option("-o,--output", run.output, "spike file (SONATA HDF5); default: output.file of the model or MODEL.h5");
  run_cmd->add_flag("--no-output", run.no_output, "write no files");
  add_backend_options(*run_cmd, run.backend,
                      "a backend of this build (serial: the reference); all give identical results");
  run_cmd->add_option("--duration", run.duration, "simulated time, e.g. \"2 s\" (replaces simulation.duration)");
  run_cmd->add_option("--stats", run.stats, "also write the summary as JSON to this file");
  run_cmd->add_flag("-q,--quiet", run.quiet, "no progress bar and no summary");
  run_cmd->add_option("--checkpoint", run.checkpoint,
                      "write a checkpoint to this file at the end (and on Ctrl-C), to resume from");
  run_cmd->add_option("--checkpoint-every", run.checkpoint_every,
                      "also checkpoint every so much simulated time, e.g. \"10 s\"");

  cli::ResumeArgs resume;
  auto* resume_cmd = app.add_subcommand(
      "resume", "continue a run from a checkpoint, writing the output from its time onward");
  resume_cmd->add_option("checkpoint", resume.checkpoint, "checkpoint file (spikeq run --checkpoint)")
      ->required();
  resume_cmd->add_option("-o,--output", resume.output,
                         "spike file; default: the model's output name with .resumed.h5");
  resume_cmd->add_flag("--no-output", resume.no_output, "write no files");
  add_backend_options(*resume_cmd, resume.backend,
                      "a backend of this build; any backend resumes any checkpoint");
  resume_cmd->add_option("--duration", resume.duration,
                         "simulated time to add; default: up to the model's duration");
  resume_cmd->add_option("--stats", resume.stats, "also write the summary as JSON to this file");
  resume_cmd->add_flag("-q,--quiet", resume.quiet, "no progress bar and no summary");
  resume_cmd->add_option("--checkpoint", resume.next_checkpoint, "keep checkpointing to this file");
  resume_cmd->add_option("--checkpoint-every", resume.checkpoint_every,
                         "checkpoint every so much simulated time");

  cli::ModelArgs validate;
  auto* validate_cmd = app.add_subcommand("validate", "check a model without running it");
  add_model_options(*validate_cmd, validate);

  std::string info_file;
  auto* info_cmd = app.add_subcommand("info", "summarise a spike file");
  info_cmd->add_option("file", info_file, "SONATA spike file")->required();

  cli::PlotArgs plot;
  auto* plot_cmd = app.add_subcommand(
      "plot", "raster plot, population rate, state reports and recorded weights of a spike file");
  plot_cmd->add_option("file", plot.file, "SONATA spike file, or a continual-learning result")->required();
  plot_cmd->add_option("-o,--output", plot.output, "image file, .png or .svg")->required();
  plot_cmd->add_option("--start", plot.start, "first time shown (ms)");
  plot_cmd->add_option("--stop", plot.stop, "last time shown (ms)");
  plot_cmd->add_option("--max-neurons", plot.max_neurons, "show at most this many neurons per population");
  plot_cmd->add_option("--bin", plot.bin_ms, "rate bin width (ms); default: automatic");
  plot_cmd->add_flag("--no-weights", plot.no_weights, "leave out the weight panels (/weights)");
  auto* report_opt =
      plot_cmd
          ->add_option("--report", plot.reports,
                       "plot this state report (SONATA report file) instead of those of the "
                       "spike file; repeatable")
          ->type_name("FILE");
  plot_cmd->add_flag("--no-reports", plot.no_reports, "leave out the state-report rows")
      ->excludes(report_opt);
  plot_cmd->footer(
      "The figure: spike raster; population rates; one row per state report (at most 4): the\n"
      "variable over the same time window, each neuron's trace for up to 5 neurons, else the\n"
      "mean over the neurons and the 10-90 % band; then the weights of up to 3 projections.\n"
      "The reports of a spike file are those of its run's state recorders: beside it as\n"
      "STEM.POPULATION.VARIABLE.h5, or the recorder's file. For a spike file that stores no\n"
      "model (another simulator's): every STEM.*.*.h5 beside it.\n"
      "A continual-learning result (a file with /continual) is drawn as its accuracy matrix.");

  cli::ModelArgs graph;
  std::string graph_out;
  auto* graph_cmd = app.add_subcommand("graph", "write the population/projection graph (Graphviz)");
  add_model_options(*graph_cmd, graph);
  graph_cmd->add_option("-o,--output", graph_out, "output file (.dot)")->required();

  cli::ModelsArgs models;
  auto* models_cmd = app.add_subcommand(
      "models", "the neuron models, or one model's parameters, recordables and receptors");
  models_cmd->add_option("name", models.name, "a model's name");
  models_cmd->add_flag("--markdown", models.markdown,
                       "every model's parameter table in Markdown (as in the YAML reference)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return cli::kInvalid;
  }
  if (*run_cmd) return cli::run_command(run);
  if (*resume_cmd) return cli::resume_command(resume);
  if (*validate_cmd) return cli::validate_command(validate);
  if (*info_cmd) return cli::info_command(info_file);
  if (*plot_cmd) return cli::plot_command(plot);
  if (*models_cmd) return cli::models_command(models);
  return cli::graph_command(graph, graph_out);
}
