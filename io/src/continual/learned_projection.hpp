#pragma once
// One projection that learns between samples (io/continual.hpp): its synapses, the
// batch's summed update and, for feedback alignment, its fixed random feedback matrix.
// Private to io/src/continual.
#include <cstdint>
#include <vector>

#include "spikeq/core/simulation.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::io::continual {

/// A sample's spike counts, by population index (empty for populations nobody reads).
using Counts = std::vector<std::vector<double>>;

class LearnedProjection {
 public:
  /// Reads the projection's synapses and weights from `sim`. `outputs` is the size of
  /// the output population (the error's length); `subspace` the index of the rule's
  /// subspace in the experiment's list, or -1.
  LearnedProjection(const Simulation& sim, const TrialLearning& rule, std::uint32_t outputs,
                    int subspace, std::uint64_t seed);

  [[nodiscard]] std::uint32_t source() const { return source_; }
  [[nodiscard]] std::uint32_t target() const { return target_; }
  [[nodiscard]] int subspace() const { return subspace_; }

  /// Adds one sample's update: x the (projected) source counts, error the output error,
  /// post the target's counts (read by the feedback-alignment surrogate).
  void accumulate(const std::vector<double>& x, const std::vector<double>& error,
                  const std::vector<double>& post);
  /// Applies the mean update of the `samples` accumulated and hands the weights to `sim`.
  void apply(Simulation& sim, std::size_t samples);

 private:
  /// Each target neuron's factor: the error (error rule) or the fed-back error times the
  /// surrogate (feedback alignment).
  void target_factors(const std::vector<double>& error, const std::vector<double>& post);

  TrialLearning rule_;
  ProjectionId id_;
  std::uint32_t source_ = 0, target_ = 0, outputs_ = 0;
  int subspace_ = -1;
  std::vector<std::uint32_t> pre_, post_;  // per synapse, user ids
  std::vector<float> w_;
  std::vector<double> sum_;                // per synapse, this batch
  std::vector<double> feedback_;           // B, targets x outputs
  std::vector<double> delta_;              // per target neuron, this sample
};

}  // namespace spikeq::io::continual
