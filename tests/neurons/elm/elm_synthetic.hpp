#pragma once
// ELM weights made up in code: the NeuronIO routing of the reference README §2 and
// random parameters, so that network tests run without the reference files and error
// tests can break one field at a time.
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>

#include "spikeq/neurons/elm_weights.hpp"

namespace spikeq::test {

/// Input-to-synapse routing: interlocking permutation, overlapping windows of stride
/// ceil(N/B), positions past the end clamped to N - 1 and masked out.
inline void neuronio_routing(neurons::ElmWeights& w) {
  const std::uint32_t N = w.num_input, B = w.num_branch, K = w.synapses_per_branch;
  const std::uint32_t stride = (N + B - 1) / B;
  w.synapse_input.clear();
  w.synapse_valid.clear();
  for (std::uint32_t k = 0; k < B; ++k) {
    for (std::uint32_t q = 0; q < K; ++q) {
      const std::uint32_t p = k * stride + q;
      const std::uint32_t clamped = std::min(p, N - 1);
      w.synapse_input.push_back((clamped % 2) * (N / 2) + clamped / 2);
      w.synapse_valid.push_back(p < N ? 1 : 0);
    }
  }
  w.input_sign.assign(N, 1);
  for (std::uint32_t i = N / 2; i < N; ++i) w.input_sign[i] = -1;
}

inline std::shared_ptr<neurons::ElmWeights> synthetic_elm(std::uint32_t N, std::uint32_t B,
                                                          std::uint32_t K, std::uint32_t M,
                                                          std::uint32_t H, unsigned seed = 1) {
  auto w = std::make_shared<neurons::ElmWeights>();
  w->source = "synthetic";
  w->num_input = N;
  w->num_branch = B;
  w->synapses_per_branch = K;
  w->num_memory = M;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  auto f32 = [](double x) { return static_cast<double>(static_cast<float>(x)); };
  for (std::uint32_t n = 0; n < B * K; ++n) w->w_s.push_back(f32(0.5 + 0.5 * u(rng)));
  w->tau_s.assign(B * K, 5.0);
  w->tau_b.assign(B, 5.0);
  for (std::uint32_t k = 0; k < M; ++k) w->proto_tau_m.push_back(f32(4.0 * u(rng)));
  auto layer = [&](std::uint32_t out, std::uint32_t in, neurons::ElmActivation f) {
    neurons::ElmLayer L;
    L.out = out;
    L.in = in;
    const double scale = 1.0 / std::sqrt(static_cast<double>(in));
    for (std::uint32_t k = 0; k < out * in; ++k) L.weight.push_back(f32(scale * u(rng)));
    for (std::uint32_t k = 0; k < out; ++k) L.bias.push_back(f32(0.1 * u(rng)));
    L.activation = f;
    return L;
  };
  w->mlp.push_back(layer(H, B + M, neurons::ElmActivation::silu));
  w->mlp.push_back(layer(M, H, neurons::ElmActivation::none));
  w->readout = layer(2, M, neurons::ElmActivation::none);
  // Spiking rarely at rest, as the trained models, and readily under input.
  w->readout.bias[0] = -3.0;
  for (std::uint32_t k = 0; k < M; ++k) w->readout.weight[k] *= 6.0;
  neuronio_routing(*w);
  return w;
}

}  // namespace spikeq::test
