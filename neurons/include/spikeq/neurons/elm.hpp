#pragma once
// The Expressive Leaky Memory neuron (Spieler et al., ICLR 2024) as a population model:
// a trained ELM (elm_weights.hpp) runs on a 1 ms clock, each neuron reading its own
// num_input input slots, which projections target like any neurons (target index
// neuron * num_input + input). The maths of a step is elm_kernel.hpp; this type holds
// what the engine sees of it: parameters, the per-neuron output columns, the receptor
// and recordables, and the spike decision.
//
// Outputs per neuron and step: raw y0, y1; spike probability p = sigma(y0); soma
// voltage V_m = y1 / soma_scale + soma_bias (mV, absolute: the reference's V plus the
// -67.7 mV training bias). Spikes:
//   threshold: a spike when p reaches `threshold` from below (one per excursion);
//   bernoulli: a spike with probability p each step, from the counter-based RNG keyed by
//              (seed, population, neuron, step), the same on every backend.
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/neurons/checks.hpp"
#include "spikeq/neurons/elm_kernel.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/parameters.hpp"

namespace spikeq::neurons {

struct elm {
  static constexpr std::string_view name = "elm";

  enum class SpikeMode { threshold, bernoulli };
  enum class Precision { float32, float64 };

  struct params {
    std::shared_ptr<const ElmWeights> weights;  // io::read_elm_weights(path)
    ElmVersion version = ElmVersion::v1;        // the trained models are v1
    SpikeMode spike_mode = SpikeMode::threshold;
    double threshold = 0.5;  // on the spike probability
    Precision precision = Precision::float32;  // float32: as trained; float64: reference
  };

  struct derived {
    double soma_scale;
    double soma_bias;
    double threshold;
    SpikeMode spike_mode;
  };

  enum Real { y0, y1, p_spike, n_real_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = 0;
  static constexpr std::array<std::string_view, n_real> real_names{"y0", "y1", "p_spike"};
  static constexpr std::array<ReceptorInfo, 1> receptors{
      ReceptorInfo{"x", ReceptorKind::input_slot, "1"}};
  static constexpr std::array<Recordable, 4> recordables{
      Recordable{"y0", ""}, {"y1", ""}, {"p_spike", ""}, {"V_m", "mV"}};
  using view = Columns<n_real, n_int>;

  static constexpr std::array<std::string_view, 2> version_names{"v1", "v2"};
  static constexpr std::array<std::string_view, 2> spike_mode_names{"threshold", "bernoulli"};
  static constexpr std::array<std::string_view, 2> precision_names{"float32", "float64"};
  static constexpr std::array<Param<params>, 5> parameters{
      custom<params>("weights", "file name", "required",
                     "the trained model's HDF5 file (relative to the model file)"),
      choice<&params::version>("version", version_names, "ELM equations: v1 or v2"),
      choice<&params::spike_mode>("spike_mode", spike_mode_names,
                                  "threshold (upward crossings of p) or bernoulli (a draw per "
                                  "step)"),
      custom_scalar("threshold", &params::threshold, "probability",
                    "spike probability a threshold spike needs, in (0, 1)"),
      choice<&params::precision>("precision", precision_names,
                                 "float32 (as trained) or float64 (the reference)")};

  static derived derive(const params& p, double dt, const std::string& pop) {
    if (!p.weights) {
      throw InvalidParameter("population '" + pop + "': parameter 'weights' is missing; an ELM "
                             "population needs trained weights (io::read_elm_weights)");
    }
    if (std::fabs(dt - p.weights->delta_t) > 1e-9 * p.weights->delta_t) {
      checks::fail(pop, "dt",
                   "must equal the step the ELM weights were trained with (" +
                       std::to_string(p.weights->delta_t) + " ms); set the network dt to it",
                   dt, "ms");
    }
    if (!(p.threshold > 0.0 && p.threshold < 1.0)) {
      checks::fail(pop, "threshold", "must be a probability in (0, 1)", p.threshold, "");
    }
    return derived{p.weights->soma_scale, p.weights->soma_bias, p.threshold, p.spike_mode};
  }

  template <typename Filler>
  static void init(const params&, const derived&, Filler&) {}  // outputs start at 0

  /// Turns neuron i's new raw outputs into p and the spike decision.
  SPIKEQ_HD static bool emit(const derived& d, const view& s, std::uint32_t i,
                             const StepContext& ctx) {
    const double before = s.real[p_spike][i];
    const double p = 1.0 / (1.0 + math::exp(-s.real[y0][i]));
    s.real[p_spike][i] = p;
    if (d.spike_mode == SpikeMode::threshold) return p >= d.threshold && before < d.threshold;
    const detail::CounterRng rng(ctx.seed, ctx.stream, ctx.id_of(i));
    const auto block = rng.block(detail::step_index(ctx.step));
    return detail::to_unit_open(block.v[0], block.v[1]) < p;
  }

  SPIKEQ_HD static double read(const derived& d, const view& s, int var, std::uint32_t i) {
    if (var == n_real) return s.real[y1][i] / d.soma_scale + d.soma_bias;
    return s.real[var][i];
  }
};

}  // namespace spikeq::neurons
