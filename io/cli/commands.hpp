#pragma once
// The subcommands of `spikeq`. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 invalid model or usage, 130 interrupted (Ctrl-C).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spikeq::cli {

inline constexpr int kOk = 0;
inline constexpr int kRuntimeFailure = 1;
inline constexpr int kInvalid = 2;
inline constexpr int kInterrupted = 130;

struct ModelsArgs {
  std::string name;       ///< one model's parameters; "" lists the models
  bool markdown = false;  ///< every model's parameter table as Markdown (the docs' tables)
};

/// spikeq models [NAME] [--markdown]
int models_command(const ModelsArgs& args);

struct ModelArgs {
  std::string model;
  std::vector<std::string> set;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> variant;
};

/// --backend, --threads and --device of run and resume.
struct BackendArgs {
  std::optional<std::string> backend;
  std::optional<int> threads;
  std::optional<int> device;
};

struct RunArgs {
  ModelArgs model;
  std::string output;          ///< -o; "" = model's output.file or <model>.h5
  bool no_output = false;
  BackendArgs backend;
  std::optional<std::string> duration;  ///< "2 s", "500 ms" or a number of ms
  std::string stats;           ///< --stats FILE.json
  bool quiet = false;
  std::string checkpoint;      ///< --checkpoint FILE
  std::optional<std::string> checkpoint_every;  ///< --checkpoint-every "10 s"
};

int run_command(const RunArgs& args);

struct ResumeArgs {
  std::string checkpoint;      ///< the checkpoint to continue from
  std::string output;          ///< -o; "" = <model output stem>.resumed.h5
  bool no_output = false;
  BackendArgs backend;
  std::optional<std::string> duration;  ///< further time; default: to the model's end
  std::string stats;
  bool quiet = false;
  std::string next_checkpoint;  ///< --checkpoint FILE: keep checkpointing
  std::optional<std::string> checkpoint_every;
};
int resume_command(const ResumeArgs& args);
int validate_command(const ModelArgs& args);
int info_command(const std::string& file);

struct PlotArgs {
  std::string file;
  std::string output;
  std::optional<double> start, stop;  ///< ms
  std::uint64_t max_neurons = 0;
  double bin_ms = 0.0;
  bool no_weights = false;  ///< leave out the weight panels of /weights
  std::vector<std::string> reports;  ///< --report: plot exactly these state reports
  bool no_reports = false;  ///< leave out the state-report panels
};
int plot_command(const PlotArgs& args);
int graph_command(const ModelArgs& args, const std::string& output);

}  // namespace spikeq::cli
