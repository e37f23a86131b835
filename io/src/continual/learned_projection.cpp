#include "learned_projection.hpp"

#include <cmath>

#include "spikeq/core/detail/rng.hpp"

namespace spikeq::io::continual {

namespace {

constexpr std::uint32_t kFeedback = detail::stream_id("feedback_alignment");

/// B's entries: standard normals (Box-Muller on spikeq::math) scaled by sd / sqrt(outputs),
/// keyed by the seed, the projection and the entry, so B does not depend on anything else.
std::vector<double> feedback_matrix(std::uint64_t seed, ProjectionId id, std::uint32_t targets,
                                    std::uint32_t outputs, double sd) {
  std::vector<double> b(std::size_t{targets} * outputs);
  const detail::CounterRng rng(seed, kFeedback, id.index);
  const double scale = sd / std::sqrt(static_cast<double>(outputs));
  for (std::size_t k = 0; k < b.size(); k += 2) {
    const auto r = rng.block(k / 2);
    const detail::NormalPair z = detail::box_muller(detail::to_unit_open(r[0], r[1]),
                                                    detail::to_unit_open(r[2], r[3]));
    b[k] = scale * z.first;
    if (k + 1 < b.size()) b[k + 1] = scale * z.second;
  }
  return b;
}

}  // namespace

LearnedProjection::LearnedProjection(const Simulation& sim, const TrialLearning& rule,
                                     std::uint32_t outputs, int subspace, std::uint64_t seed)
    : rule_(rule), id_(sim.network().projection(rule.projection)), outputs_(outputs),
      subspace_(subspace) {
  const ProjectionSpec& spec = sim.network().projections()[id_.index];
  source_ = spec.source.index;
  target_ = spec.target.index;
  SynapseList s = sim.synapses(id_);
  pre_ = std::move(s.sources);
  post_ = std::move(s.targets);
  w_ = std::move(s.weights);
  sum_.assign(w_.size(), 0.0);
  const std::uint32_t targets = sim.network().populations()[target_].size;
  delta_.assign(targets, 0.0);
  if (rule_.rule == TrialLearning::Rule::feedback_alignment) {
    feedback_ = feedback_matrix(seed, id_, targets, outputs_, rule_.feedback_sd);
  }
}

void LearnedProjection::target_factors(const std::vector<double>& error,
                                       const std::vector<double>& post) {
  if (rule_.rule == TrialLearning::Rule::error) {
    delta_ = error;
    return;
  }
  for (std::size_t i = 0; i < delta_.size(); ++i) {
    const double g = post[i] == 0 ? rule_.g_silent : (post[i] <= rule_.saturation ? 1.0 : 0.0);
    double fed_back = 0;
    if (g != 0) {
      const double* b = feedback_.data() + i * outputs_;
      for (std::uint32_t k = 0; k < outputs_; ++k) fed_back += b[k] * error[k];
    }
    delta_[i] = g * fed_back;
  }
}

void LearnedProjection::accumulate(const std::vector<double>& x, const std::vector<double>& error,
                                   const std::vector<double>& post) {
  target_factors(error, post);
  for (std::size_t k = 0; k < sum_.size(); ++k) {
    const double d = delta_[post_[k]];
    if (d != 0) sum_[k] += d * x[pre_[k]];
  }
}

void LearnedProjection::apply(Simulation& sim, std::size_t samples) {
  if (samples == 0) return;
  const double scale = rule_.eta / static_cast<double>(samples);
  for (std::size_t k = 0; k < w_.size(); ++k) {
    double w = w_[k] + scale * sum_[k];
    w = w < rule_.w_min ? rule_.w_min : (w > rule_.w_max ? rule_.w_max : w);
    w_[k] = static_cast<float>(w);
    sum_[k] = 0;
  }
  sim.set_weights(id_, w_);
}

}  // namespace spikeq::io::continual
