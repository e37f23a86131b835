#pragma once
// A trained Expressive Leaky Memory (ELM) neuron (Spieler et al., "The Expressive Leaky
// Memory Neuron", ICLR 2024): its sizes, trained parameters and input routing, as the
// weight file stores them (io/elm_weights.hpp reads one). Values are the trained float32
// numbers held exactly in double; the per-precision tables the kernel runs on are
// derived from them (elm_kernel.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "spikeq/core/errors.hpp"

namespace spikeq::neurons {

enum class ElmActivation { none, relu, silu };

struct ElmLayer {
  std::uint32_t out = 0;
  std::uint32_t in = 0;
  std::vector<double> weight;  // out x in, row-major (PyTorch's layout)
  std::vector<double> bias;    // out
  ElmActivation activation = ElmActivation::none;  // applied after the layer
};

struct ElmWeights {
  std::string source;  // where the weights came from, for messages

  std::uint32_t num_input = 0;              // N
  std::uint32_t num_branch = 0;             // B
  std::uint32_t synapses_per_branch = 0;    // K
  std::uint32_t num_memory = 0;             // M

  double lambda = 5.0;
  double delta_t = 1.0;  // ms per model step
  double tau_min = 1.0;  // ms, bounds of the memory time constants
  double tau_max = 150.0;
  double tanh_inner = 2.0 / 3.0;  // custom_tanh(a) = outer * tanh(inner * a)
  double tanh_outer = 1.7159;
  double soma_scale = 0.1;   // V_rel = y1 / soma_scale
  double soma_bias = -67.7;  // mV: V_m = V_rel + soma_bias

  std::vector<double> w_s;          // S = B K, synapse n = k K + q; ReLU already applied
  std::vector<double> tau_s;        // S, ms (v1 synapse traces)
  std::vector<double> tau_b;        // B, ms (v2 branch traces)
  std::vector<double> proto_tau_m;  // M, raw memory time-constant parameter
  std::vector<ElmLayer> mlp;        // hidden layers, then the layer giving M outputs
  ElmLayer readout;                 // 2 x M: y = W_y m + c_y

  std::vector<std::uint32_t> synapse_input;  // S: the input each synapse reads
  std::vector<std::uint8_t> synapse_valid;   // S: 0 masks the synapse out
  std::vector<std::int8_t> input_sign;       // N: +1 excitatory, -1 inhibitory

  [[nodiscard]] std::uint32_t num_synapse() const { return num_branch * synapses_per_branch; }

  /// tau_m = tau_min + (tau_max - tau_min) sigma(proto_tau_m), in ms; v2 keeps tau_max at
  /// least 3e-6 above tau_min, as the reference does.
  [[nodiscard]] std::vector<double> tau_m(bool v2) const {
    const double hi = v2 ? std::max(tau_min + 3e-6, tau_max) : tau_max;
    std::vector<double> out;
    out.reserve(proto_tau_m.size());
    for (double p : proto_tau_m) out.push_back(tau_min + (hi - tau_min) / (1.0 + std::exp(-p)));
    return out;
  }

  /// Throws InvalidParameter naming the first field whose size or values do not fit.
  void check() const {
    auto fail = [&](const std::string& what) {
      throw InvalidParameter("ELM weights " + (source.empty() ? std::string() : "'" + source + "' ") +
                             what);
    };
    auto need = [&](const char* name, std::size_t got, std::size_t want) {
      if (got != want) {
        fail(std::string(name) + " has " + std::to_string(got) + " values, expected " +
             std::to_string(want));
      }
    };
    if (num_input == 0 || num_branch == 0 || synapses_per_branch == 0 || num_memory == 0) {
      fail("need num_input, num_branch, num_synapse_per_branch and num_memory > 0");
    }
    const std::size_t S = num_synapse();
    need("w_s", w_s.size(), S);
    need("tau_s", tau_s.size(), S);
    need("tau_b", tau_b.size(), num_branch);
    need("proto_tau_m", proto_tau_m.size(), num_memory);
    need("synapse_input", synapse_input.size(), S);
    need("synapse_valid", synapse_valid.size(), S);
    need("input_sign", input_sign.size(), num_input);
    if (mlp.empty()) fail("has no MLP layers");
    std::uint32_t width = num_branch + num_memory;
    for (std::size_t l = 0; l < mlp.size(); ++l) {
      const ElmLayer& L = mlp[l];
      const std::string name = "mlp layer " + std::to_string(l);
      if (L.in != width) {
        fail(name + " takes " + std::to_string(L.in) + " inputs, expected " + std::to_string(width));
      }
      need((name + " weight").c_str(), L.weight.size(), std::size_t{L.out} * L.in);
      need((name + " bias").c_str(), L.bias.size(), L.out);
      width = L.out;
    }
    if (width != num_memory) {
      fail("last mlp layer gives " + std::to_string(width) + " outputs, expected num_memory = " +
           std::to_string(num_memory));
    }
    if (mlp.back().activation != ElmActivation::none) fail("last mlp layer must have no activation");
    if (readout.out != 2 || readout.in != num_memory) fail("readout w_y must be 2 x num_memory");
    need("w_y weight", readout.weight.size(), 2 * std::size_t{num_memory});
    need("w_y bias", readout.bias.size(), 2);
    for (std::size_t n = 0; n < S; ++n) {
      if (synapse_input[n] >= num_input) {
        fail("synapse " + std::to_string(n) + " reads input " + std::to_string(synapse_input[n]) +
             " of " + std::to_string(num_input));
      }
      if (!(w_s[n] >= 0.0) || !std::isfinite(w_s[n])) {
        fail("w_s[" + std::to_string(n) + "] must be finite and >= 0");
      }
    }
    for (std::size_t i = 0; i < num_input; ++i) {
      if (input_sign[i] != 1 && input_sign[i] != -1) {
        fail("input_sign[" + std::to_string(i) + "] must be +1 or -1");
      }
    }
    auto positive = [&](const char* name, const std::vector<double>& v) {
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (!(v[k] > 0.0) || !std::isfinite(v[k])) {
          fail(std::string(name) + "[" + std::to_string(k) + "] must be a finite time > 0 ms");
        }
      }
    };
    positive("tau_s", tau_s);
    positive("tau_b", tau_b);
    if (!(delta_t > 0.0) || !(tau_min > 0.0) || !(tau_max >= tau_min) || !(lambda > 0.0)) {
      fail("needs delta_t > 0, 0 < memory_tau_min <= memory_tau_max and lambda_value > 0");
    }
    if (!(soma_scale != 0.0) || !std::isfinite(soma_scale)) fail("soma scale must be non-zero");
  }
};

}  // namespace spikeq::neurons
