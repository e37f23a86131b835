// The task schedule of a continual-learning run: train task i, consolidate what it used
// into the subspaces (HLOP), measure every task; then the next.
#include <algorithm>
#include <chrono>

#include "learned_projection.hpp"
#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::io {

using continual::Counts;
using continual::LearnedProjection;

namespace {

/// Images of one split of the dataset, by index: tasks share the dataset, never copy it.
struct Samples {
  const ImageSet* set = nullptr;
  std::vector<std::uint32_t> index;

  [[nodiscard]] std::size_t count() const { return index.size(); }
  [[nodiscard]] std::uint8_t label(std::size_t k) const { return set->labels[index[k]]; }
  [[nodiscard]] const float* image(std::size_t k) const {
    return set->images.data() + std::size_t{index[k]} * set->pixels;
  }
};

struct Task {
  Samples train, test;
  std::vector<std::uint32_t> permutation;  // pixel p shows pixel permutation[p]; empty: none
  std::vector<std::uint8_t> head;          // the output neurons (classes) it is judged among
};

std::vector<std::uint8_t> all_classes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t c = 0; c < n; ++c) out[c] = static_cast<std::uint8_t>(c);
  return out;
}

/// The first `limit` images of `set` (0: all) whose class is in `classes` (empty: any).
Samples samples_of(const ImageSet& set, const std::vector<std::uint8_t>& classes, std::size_t limit) {
  Samples out{&set, {}};
  for (std::size_t k = 0; k < set.count && (limit == 0 || out.count() < limit); ++k) {
    const bool wanted = classes.empty() || std::find(classes.begin(), classes.end(), set.labels[k]) != classes.end();
    if (wanted) out.index.push_back(static_cast<std::uint32_t>(k));
  }
  return out;
}

std::vector<Task> make_tasks(const Dataset& d, const ContinualSpec& spec) {
  std::vector<Task> tasks;
  const auto split = spec.tasks.kind == TaskSchedule::Kind::split
                         ? split_classes(d.classes, spec.tasks.classes_per_task)
                         : std::vector<std::vector<std::uint8_t>>{};
  for (std::size_t t = 0; t < spec.tasks.count; ++t) {
    Task task;
    const std::vector<std::uint8_t> classes = split.empty() ? std::vector<std::uint8_t>{} : split[t];
    task.train = samples_of(d.train, classes, spec.train_samples);
    task.test = samples_of(d.test, classes, spec.test_samples);
    if (spec.tasks.kind == TaskSchedule::Kind::permuted && t > 0) {
      task.permutation = task_permutation(d.train.pixels, spec.tasks.seed, t);
    }
    task.head = spec.tasks.per_task_heads && !split.empty() ? split[t] : all_classes(d.classes);
    tasks.push_back(std::move(task));
  }
  return tasks;
}

/// The order of one epoch's samples: a permutation keyed by the seed, task and epoch.
std::vector<std::uint32_t> epoch_order(std::size_t n, std::uint64_t seed, std::size_t task,
                                       std::size_t epoch) {
  return task_permutation(n, seed * 1000003u + task, epoch + 1);
}

int subspace_index(const ContinualSpec& spec, const std::string& name) {
  for (std::size_t k = 0; k < spec.subspaces.size(); ++k) {
    if (spec.subspaces[k].name == name) return static_cast<int>(k);
  }
  return -1;
}

class Experiment {
 public:
  Experiment(Simulation& sim, ImageStream& stream, const Dataset& data, const ContinualSpec& spec,
             const std::function<void(const ContinualProgress&)>& progress)
      : sim_(sim), stream_(stream), spec_(spec), progress_(progress), tasks_(make_tasks(data, spec)),
        output_(sim.network().population(spec.output).index), classes_(data.classes) {
    const Network& net = sim.network();
    counts_.resize(net.populations().size());
    read_.assign(net.populations().size(), false);
    read_[output_] = true;
    for (const TrialLearning& rule : spec.learning) {
      const int s = spec.hlop ? subspace_index(spec, rule.subspace) : -1;
      learned_.emplace_back(sim, rule, net.populations()[output_].size, s, sim.options().seed);
      read_[learned_.back().source()] = read_[learned_.back().target()] = true;
    }
    for (const SubspaceLearning& s : spec.subspaces) {
      const std::uint32_t p = net.population(s.population).index;
      subspaces_.emplace_back(net.populations()[p].size, s.options);
      subspace_population_.push_back(p);
      read_[p] = true;
      result_.subspaces.push_back({s.name, {}, {}, {}});
    }
    for (std::size_t p = 0; p < read_.size(); ++p) {
      counts_[p].assign(read_[p] ? net.populations()[p].size : 0, 0.0);
    }
  }

  ContinualResult run() {
    const auto start = std::chrono::steady_clock::now();
    if (spec_.multitask) {
      train_together();
    } else {
      train_in_order();
    }
    result_.acc = average_accuracy(result_.accuracy);
    result_.bwt = backward_transfer(result_.accuracy);
    result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result_;
  }

 private:
  /// A training sample: its task and its index in the task's training set.
  struct SampleRef {
    std::uint32_t task;
    std::uint32_t index;
  };

  /// Task after task: train it, consolidate what it used (HLOP), measure every task.
  void train_in_order() {
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      std::vector<SampleRef> samples;
      append_samples(i, samples);
      train(samples, i);
      if (spec_.hlop && i + 1 < tasks_.size()) learn_subspaces(i);
      test_all(i);
    }
  }

  /// Every task's samples mixed in one schedule (the multitask bound), then one row.
  void train_together() {
    std::vector<SampleRef> all;
    for (std::size_t i = 0; i < tasks_.size(); ++i) append_samples(i, all);
    train(all, 0);
    test_all(tasks_.size() - 1);
  }

  void append_samples(std::size_t task, std::vector<SampleRef>& out) const {
    for (std::size_t k = 0; k < tasks_[task].train.count(); ++k) {
      out.push_back({static_cast<std::uint32_t>(task), static_cast<std::uint32_t>(k)});
    }
  }

  /// A row of the accuracy matrix: every task, measured after training through task i.
  void test_all(std::size_t i) {
    std::vector<double> row;
    for (std::size_t j = 0; j < tasks_.size(); ++j) row.push_back(test(i, j));
    result_.accuracy.push_back(std::move(row));
  }

  void report(std::size_t task, const char* phase, std::size_t done, std::size_t total) const {
    if (progress_) progress_({task, phase, done, total});
  }

  /// Shows image k of `set` (with the task's pixel permutation) for a sample's time and
  /// counts the spikes of every population read.
  void show(const Task& task, const Samples& set, std::size_t k) {
    const float* image = set.image(k);
    if (!task.permutation.empty()) {
      permuted_.resize(task.permutation.size());
      for (std::size_t p = 0; p < permuted_.size(); ++p) permuted_[p] = image[task.permutation[p]];
      image = permuted_.data();
    }
    stream_.show(image, sim_.step(), result_.samples_shown++);
    sim_.run(static_cast<double>(stream_.sample_steps()) * sim_.network().dt());
    const auto& recording = sim_.network().spike_recording();
    for (std::size_t p = 0; p < recording.size(); ++p) {
      if (!recording[p]) continue;
      const SpikeRecord r = sim_.take_spikes(PopulationId{static_cast<std::uint32_t>(p)});
      if (!read_[p]) continue;  // recorded for someone else: dropped, memory stays bounded
      std::fill(counts_[p].begin(), counts_[p].end(), 0.0);
      for (std::uint32_t id : r.neurons) counts_[p][id] += 1.0;
    }
  }

  /// target - y on the task's head, 0 elsewhere.
  std::vector<double> output_error(const Task& task, std::uint8_t label) const {
    std::vector<double> e(classes_, 0.0);
    for (std::uint8_t c : task.head) e[c] = (c == label ? spec_.target : 0.0) - counts_[output_][c];
    return e;
  }

  /// The presynaptic counts a rule learns from: projected out of its subspace (HLOP).
  const std::vector<double>& presynaptic(const LearnedProjection& l) {
    const std::vector<double>& x = counts_[l.source()];
    const int s = l.subspace();
    if (s < 0 || subspaces_[s].consolidated() == 0) return x;
    projected_.resize(x.size());
    subspaces_[s].project_out(x.data(), projected_.data());
    return projected_;
  }

  /// Shows `samples` in a new order each epoch, learning once per batch.
  void train(const std::vector<SampleRef>& samples, std::size_t progress_task) {
    const std::size_t n = samples.size();
    for (std::size_t epoch = 0; epoch < spec_.epochs; ++epoch) {
      const auto order = epoch_order(n, spec_.seed, progress_task, epoch);
      std::size_t in_batch = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const SampleRef s = samples[order[k]];
        const Task& task = tasks_[s.task];
        show(task, task.train, s.index);
        const std::vector<double> e = output_error(task, task.train.label(s.index));
        for (LearnedProjection& l : learned_) l.accumulate(presynaptic(l), e, counts_[l.target()]);
        if (++in_batch == spec_.batch || k + 1 == n) {
          for (LearnedProjection& l : learned_) l.apply(sim_, in_batch);
          in_batch = 0;
        }
        if (k % 256 == 0) report(progress_task, "train", epoch * n + k, spec_.epochs * n);
      }
    }
  }

  /// Adds task i's lateral neurons to each subspace and teaches them (Hebbian) on the
  /// task's activity, with the weights as the task left them; then freezes them. The
  /// counts are whole numbers, kept exactly as floats.
  void learn_subspaces(std::size_t i) {
    if (subspaces_.empty()) return;
    const Task& task = tasks_[i];
    const Samples& set = task.train;
    std::vector<std::vector<float>> samples(subspaces_.size());
    for (std::size_t s = 0; s < subspaces_.size(); ++s) {
      const double bytes = static_cast<double>(set.count()) * static_cast<double>(subspaces_[s].n()) * sizeof(float);
      detail::check_allocation(bytes, "continual: the counts of subspace '" + spec_.subspaces[s].name +
                                          "' over a task's training images");
      samples[s].reserve(set.count() * subspaces_[s].n());
    }
    for (std::size_t k = 0; k < set.count(); ++k) {
      show(task, set, k);
      for (std::size_t s = 0; s < subspaces_.size(); ++s) {
        const auto& x = counts_[subspace_population_[s]];
        samples[s].insert(samples[s].end(), x.begin(), x.end());
      }
      if (k % 256 == 0) report(i, "subspace", k, set.count());
    }
    for (std::size_t s = 0; s < subspaces_.size(); ++s) grow_and_learn(s, i, samples[s]);
  }

  void grow_and_learn(std::size_t s, std::size_t i, const std::vector<float>& samples) {
    const SubspaceLearning& spec = spec_.subspaces[s];
    plasticity::Subspace& sub = subspaces_[s];
    const std::size_t rows = spec.lateral[std::min(i, spec.lateral.size() - 1)];
    sub.add_rows(rows, spec_.seed * 7919u + s * 131u + i);
    const std::size_t n = sub.n(), count = samples.size() / n;
    std::vector<double> batch;
    for (std::size_t epoch = 0; epoch < spec.epochs; ++epoch) {
      for (std::size_t k = 0; k < count; k += spec.batch) {
        const std::size_t size = std::min(spec.batch, count - k);
        batch.assign(samples.begin() + static_cast<std::ptrdiff_t>(k * n),
                     samples.begin() + static_cast<std::ptrdiff_t>((k + size) * n));
        sub.learn(batch.data(), size);
      }
    }
    ContinualResult::SubspaceLog& log = result_.subspaces[s];
    log.orthogonality_learned.push_back(sub.orthogonality_error());
    sub.consolidate();
    log.orthogonality_consolidated.push_back(sub.orthogonality_error());
    log.rows.push_back(sub.rows());
    log.residual.push_back(residual_share(sub, samples));
  }

  /// mean ‖x − H₀ᵀH₀x‖² / mean ‖x‖² over `samples` (n values each).
  static double residual_share(const plasticity::Subspace& sub, const std::vector<float>& samples) {
    const std::size_t n = sub.n();
    std::vector<double> x(n), rest(n);
    double left = 0, total = 0;
    for (std::size_t k = 0; k + n <= samples.size(); k += n) {
      x.assign(samples.begin() + static_cast<std::ptrdiff_t>(k), samples.begin() + static_cast<std::ptrdiff_t>(k + n));
      sub.project_out(x.data(), rest.data());
      for (std::size_t j = 0; j < n; ++j) {
        left += rest[j] * rest[j];
        total += x[j] * x[j];
      }
    }
    return total > 0 ? left / total : 0.0;
  }

  /// The fraction of task j's test samples classified right (learning off).
  double test(std::size_t i, std::size_t j) {
    const Task& task = tasks_[j];
    std::size_t right = 0;
    const std::size_t n = task.test.count();
    for (std::size_t k = 0; k < n; ++k) {
      show(task, task.test, k);
      if (predicted(task) == task.test.label(k)) ++right;
      if (k % 256 == 0) report(i, "test", j * n + k, tasks_.size() * n);
    }
    return n == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(n);
  }

  /// The head's class whose neuron fired most (the first of equals); none when all are silent.
  int predicted(const Task& task) const {
    int best = -1;
    double most = 0;
    for (std::uint8_t c : task.head) {
      if (counts_[output_][c] > most) {
        most = counts_[output_][c];
        best = c;
      }
    }
    return best;
  }

  Simulation& sim_;
  ImageStream& stream_;
  const ContinualSpec& spec_;
  std::function<void(const ContinualProgress&)> progress_;
  std::vector<Task> tasks_;
  std::uint32_t output_;
  std::size_t classes_;
  Counts counts_;
  std::vector<bool> read_;
  std::vector<LearnedProjection> learned_;
  std::vector<plasticity::Subspace> subspaces_;
  std::vector<std::uint32_t> subspace_population_;
  std::vector<double> projected_;
  std::vector<float> permuted_;  // the image shown, for permuted tasks
  ContinualResult result_;
};

}  // namespace

double average_accuracy(const std::vector<std::vector<double>>& r) {
  if (r.empty() || r.back().empty()) return 0.0;
  double sum = 0;
  for (double a : r.back()) sum += a;
  return sum / static_cast<double>(r.back().size());
}

double backward_transfer(const std::vector<std::vector<double>>& r) {
  if (r.size() < 2) return 0.0;
  const std::size_t last = r.size() - 1;
  double sum = 0;
  for (std::size_t j = 0; j < last; ++j) sum += r[last][j] - r[j][j];
  return sum / static_cast<double>(last);
}

ContinualResult run_continual(Simulation& sim, ImageStream& stream, const Dataset& data,
                              const ContinualSpec& spec,
                              const std::function<void(const ContinualProgress&)>& progress) {
  check_continual(sim.network(), data, spec);
  return Experiment(sim, stream, data, spec, progress).run();
}

}  // namespace spikeq::io
