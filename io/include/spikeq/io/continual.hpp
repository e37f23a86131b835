#pragma once
// Continual learning of image classification tasks by a spiking network, with and
// without orthogonal-projection plasticity (HLOP: Xiao et al., ICLR 2024, arXiv
// 2402.11984). docs/continual-learning.md describes the method and the schedule.
//
// A sample is an image shown to the input population (one neuron per pixel) for
// `present` ms, then `rest` ms of silence. The network runs as always; what learns is
// measured per sample as spike counts over the presentation and rest: x (a projection's
// source), y (the output population). Learning happens between samples, once per
// mini-batch, from these counts and local signals only:
//   error rule (a readout):  Δw_kj = η e_k x̃_j,        e_k = target_k − y_k
//   feedback alignment:      Δw_ij = η (B e)_i g_i x̃_j  (B fixed random, g_i the surrogate)
// where x̃ = x − H₀ᵀ H₀ x when the rule names a subspace (HLOP) and x otherwise. H₀ holds
// the consolidated rows of the subspace learned (Hebbian) on the source population's
// counts after each earlier task.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spikeq/core/replay.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/datasets.hpp"
#include "spikeq/io/sonata.hpp"
#include "spikeq/plasticity/subspace.hpp"

namespace spikeq::io {

/// How an image becomes spikes of the input population.
struct ImageCoding {
  enum class Kind {
    rate,     ///< Poisson: a pixel of intensity v fires in each step with probability v max_rate dt
    latency,  ///< one spike per pixel with v > threshold, at (1 - v) of the presentation
  };
  Kind kind = Kind::rate;
  double max_rate = 100.0;  ///< Hz, at intensity 1 (rate coding)
  double present = 50.0;    ///< ms each image is shown
  double rest = 0.0;        ///< ms of silence after each image
  double threshold = 0.0;   ///< latency coding: dimmer pixels do not fire
};

/// The spikes of the input population, one image at a time: the source of its
/// spike_replay population. The runner shows an image; the engine reads its spikes.
class ImageStream : public ReplaySource {
 public:
  /// For a population of `pixels` neurons and steps of `dt` ms; `seed` keys the draws.
  ImageStream(ImageCoding coding, std::uint32_t pixels, double dt, std::uint64_t seed);
  /// Shows `image` (`pixels` intensities in [0, 1]) during updates [start, start +
  /// present): its spikes carry stamps start + 1 .. start + present. `key` numbers the
  /// presentation: equal keys give equal spikes.
  void show(const float* image, Step start, std::uint64_t key);
  [[nodiscard]] std::unique_ptr<ReplayCursor> open(double dt, std::uint32_t neurons) const override;
  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] const ImageCoding& coding() const;
  [[nodiscard]] Step present_steps() const;
  [[nodiscard]] Step sample_steps() const;  ///< present + rest

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

/// Which tasks a dataset is cut into.
struct TaskSchedule {
  enum class Kind {
    permuted,  ///< every task has all classes; task t > 0 permutes the pixels
    split,     ///< task t has classes t c .. t c + c - 1 (c = classes_per_task)
  };
  Kind kind = Kind::permuted;
  std::size_t count = 5;
  std::size_t classes_per_task = 2;  ///< split only
  std::uint64_t seed = 1;            ///< permuted: keys the permutations
  /// true: a task is judged among its own classes (one head per task); false: among all.
  bool per_task_heads = false;
};

/// A learning rule applied between samples to a static projection.
struct TrialLearning {
  enum class Rule { error, feedback_alignment };
  std::string projection;
  Rule rule = Rule::error;
  double eta = 0.0;  ///< weight unit per spike² (a batch's mean update)
  double w_min = -std::numeric_limits<double>::infinity();
  double w_max = std::numeric_limits<double>::infinity();
  std::string subspace;  ///< HLOP: project x onto the complement of this subspace; "" none
  /// feedback_alignment: B's entries are normal with sd feedback_sd / sqrt(outputs).
  double feedback_sd = 1.0;
  /// feedback_alignment surrogate: g_i = 1 while target neuron i fires at most
  /// `saturation` spikes per sample, and g_silent when it does not fire at all.
  double saturation = std::numeric_limits<double>::infinity();
  double g_silent = 0.0;
};

/// A Hebbian subspace of a population's activity (the HLOP lateral neurons).
struct SubspaceLearning {
  std::string name;
  std::string population;
  /// Rows (lateral neurons) added after task t; the last value repeats.
  std::vector<std::size_t> lateral{10};
  plasticity::SubspaceOptions options;
  std::size_t epochs = 1;  ///< passes over the task's counts
  std::size_t batch = 32;  ///< samples per Hebbian update
};

struct ContinualSpec {
  std::string input;   ///< spike_replay population driven by the ImageStream
  std::string output;  ///< one neuron per class
  TaskSchedule tasks;
  std::size_t epochs = 1;         ///< passes over each task's training samples
  std::size_t batch = 16;         ///< samples per weight update
  std::size_t train_samples = 0;  ///< per task, the first n (0: all)
  std::size_t test_samples = 0;   ///< per task, the first n (0: all)
  double target = 5.0;            ///< spikes the label's neuron should fire per sample
  std::uint64_t seed = 1;         ///< sample order of each epoch
  std::vector<TrialLearning> learning;
  std::vector<SubspaceLearning> subspaces;
  bool hlop = true;  ///< false: the same run without projection (subspaces unused)
  /// true: train all tasks together, their samples mixed (the upper bound a continual
  /// learner is measured against); the accuracy matrix has one row.
  bool multitask = false;
};

/// Progress of a run, for a command line's report.
struct ContinualProgress {
  std::size_t task = 0;
  std::string phase;            ///< "train", "subspace", "test"
  std::size_t done = 0, total = 0;
};

struct ContinualResult {
  /// accuracy[i][j]: fraction of task j's test samples classified right after training
  /// tasks 0..i (multitask: one row, after training all together).
  std::vector<std::vector<double>> accuracy;
  double acc = 0;  ///< mean of the last row
  double bwt = 0;  ///< mean over j < T-1 of accuracy[T-1][j] - accuracy[j][j]
  /// Per subspace, per task: rows and max |H Hᵀ - I| before and after consolidation.
  struct SubspaceLog {
    std::string name;
    std::vector<std::size_t> rows;
    std::vector<double> orthogonality_learned, orthogonality_consolidated;
    /// The share of the task's activity energy that the projection leaves, mean ‖x −
    /// H₀ᵀH₀x‖² / mean ‖x‖² over its samples after consolidation: how well the subspace
    /// protects the task (0: fully, 1: not at all).
    std::vector<double> residual;
  };
  std::vector<SubspaceLog> subspaces;
  std::uint64_t samples_shown = 0;
  double seconds = 0;
  /// What the run was, as read_continual_file finds it in the file's attributes (empty
  /// or nullopt where the file does not say); run_continual leaves them unset.
  std::string dataset;   ///< the dataset's name ("digits")
  std::string schedule;  ///< "permuted" or "split"
  std::optional<bool> hlop;  ///< false: the run without projection
};

/// A model file's `continual:` section, read (io/model_file.hpp).
struct ContinualModel {
  ContinualSpec spec;
  std::shared_ptr<const Dataset> data;
  std::shared_ptr<ImageStream> stream;
};

/// ACC and BWT of an accuracy matrix (Lopez-Paz & Ranzato 2017).
double average_accuracy(const std::vector<std::vector<double>>& r);
double backward_transfer(const std::vector<std::vector<double>>& r);

/// Writes `result` to the HDF5 file `path` (/continual: acc, bwt, the accuracy matrix,
/// the subspaces' logs; the run attributes of every spikeq output) through a temporary
/// file, so that a fault leaves the old file or the whole new one.
void write_continual_file(const std::string& path, const ContinualResult& result,
                          const ContinualSpec& spec, const std::string& dataset,
                          const RunMetadata& meta, double t_stop_ms);
/// The accuracy matrix, ACC and BWT of such a file; FileError naming what is wrong.
ContinualResult read_continual_file(const std::string& path);
/// Whether the HDF5 file `path` holds a continual-learning result (a /continual group);
/// FileError if it cannot be opened.
bool has_continual_results(const std::string& path);

/// Checks `spec` against the network (populations, static projections, sizes, subspace
/// names); throws InvalidParameter naming what is wrong.
void check_continual(const Network& network, const Dataset& data, const ContinualSpec& spec);

/// Trains the tasks in order on `sim`, whose input population replays `stream`, and
/// measures every task after each. The network's learned projections must be static;
/// spike recording must be on for every population a rule or subspace reads.
ContinualResult run_continual(Simulation& sim, ImageStream& stream, const Dataset& data,
                              const ContinualSpec& spec,
                              const std::function<void(const ContinualProgress&)>& progress = {});

}  // namespace spikeq::io
