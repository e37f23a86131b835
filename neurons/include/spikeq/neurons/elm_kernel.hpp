#pragma once
// The ELM neuron's per-step maths, written once over plain arrays in one precision T
// (float or double), for a block of neurons that share one trained model.
//
// One step of neuron j (README of the reference data, section 4):
//   traces:  v1  s_n = kappa_s,n s_n + w_s,n u_n,  b_k = sum_q s_kK+q
//            v2  b_k = kappa_b,k b_k + sum_q w_s,kK+q u_kK+q
//   MLP:     z = [b ; kappa_m . m],  o = W_L phi(... phi(W_0 z + c_0) ...) + c_L
//   memory:  m = kappa_m . m + g . custom_tanh(o)   (g = lambda(1-kappa_m) in v1,
//                                                    1 - exp(-lambda dt/tau_m) in v2)
//   output:  y = W_y m + c_y
// u_n = valid_n sign_src(n) x_src(n) is the signed input a synapse sees. When every
// synapse of a branch has the same time constant (the released models), the v1 branch
// sum obeys the v2 recursion exactly, so only B traces are kept instead of S.
//
// Speed: neurons go through the MLP in chunks of kChunk, so each weight a chunk loads
// serves kChunk neurons, and each output's sum runs in a fixed order (bias, then inputs
// in index order, multiply then add): the result of a neuron does not depend on the
// chunk it falls in, the thread that runs it or the vector width of the CPU.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/neurons/elm_weights.hpp"

namespace spikeq::neurons {

enum class ElmVersion { v1, v2 };

/// Neurons that pass through the MLP together.
inline constexpr std::uint32_t kElmChunk = 8;

/// A dense layer stored transposed (in x out_pad) with outputs padded to a multiple of
/// the micro-kernel width, so a chunk's outputs are whole vectors.
template <typename T>
struct ElmDense {
  static constexpr std::uint32_t kWidth = 128 / sizeof(T);  // outputs per register block
  std::uint32_t in = 0;
  std::uint32_t out = 0;
  std::uint32_t out_pad = 0;
  std::vector<T> weight_t;  // in x out_pad
  std::vector<T> bias;      // out_pad
  ElmActivation activation = ElmActivation::none;

  ElmDense() = default;
  explicit ElmDense(const ElmLayer& L)
      : in(L.in), out(L.out), out_pad((L.out + kWidth - 1) / kWidth * kWidth),
        weight_t(std::size_t{L.in} * out_pad, T(0)), bias(out_pad, T(0)),
        activation(L.activation) {
    for (std::uint32_t j = 0; j < out; ++j) {
      bias[j] = static_cast<T>(L.bias[j]);
      for (std::uint32_t k = 0; k < in; ++k) {
        weight_t[std::size_t{k} * out_pad + j] = static_cast<T>(L.weight[std::size_t{j} * in + k]);
      }
    }
  }
};

/// Everything a step needs that is fixed after loading, in precision T.
template <typename T>
struct ElmTables {
  std::uint32_t num_input = 0;   // N
  std::uint32_t num_branch = 0;  // B
  std::uint32_t per_branch = 0;  // K
  std::uint32_t num_memory = 0;  // M
  bool per_synapse = false;      // v1 with time constants that differ within a branch
  std::uint32_t trace_len = 0;   // S when per_synapse, else B
  std::vector<T> kappa_trace;    // trace_len
  // Inverse routing: input i feeds traces fan_target[fan_ptr[i] .. fan_ptr[i+1]) with
  // weights fan_weight (w_s times the input's sign; masked synapses are left out).
  std::vector<std::uint32_t> fan_ptr;
  std::vector<std::uint32_t> fan_target;
  std::vector<T> fan_weight;
  std::vector<T> kappa_m;  // M
  std::vector<T> gain;     // M
  std::vector<ElmDense<T>> layers;
  std::vector<T> readout_w;  // 2 x M
  T readout_c[2] = {T(0), T(0)};
  T tanh_inner = T(0);
  T tanh_outer = T(0);
  std::uint32_t widest = 0;  // largest out_pad of any layer, and B + M

  [[nodiscard]] std::size_t bytes() const {
    std::size_t b = (kappa_trace.size() + fan_weight.size() + kappa_m.size() + gain.size() +
                     readout_w.size()) * sizeof(T) +
                    (fan_ptr.size() + fan_target.size()) * sizeof(std::uint32_t);
    for (const auto& L : layers) b += (L.weight_t.size() + L.bias.size()) * sizeof(T);
    return b;
  }
};

/// Derives the tables of `version` in precision T. The constants are computed in double
/// from the trained values and rounded once to T. `force_per_synapse` keeps S traces
/// even where B would do (to test that both agree).
template <typename T>
ElmTables<T> make_elm_tables(const ElmWeights& w, ElmVersion version,
                             bool force_per_synapse = false) {
  w.check();
  ElmTables<T> t;
  const std::uint32_t B = w.num_branch, K = w.synapses_per_branch, M = w.num_memory;
  const std::uint32_t S = w.num_synapse();
  t.num_input = w.num_input;
  t.num_branch = B;
  t.per_branch = K;
  t.num_memory = M;
  auto decay = [&](double tau) { return std::exp(-w.delta_t / std::max(tau, 1e-6)); };
  if (version == ElmVersion::v1) {
    bool uniform = !force_per_synapse;
    for (std::uint32_t n = 0; n < S && uniform; ++n) uniform = w.tau_s[n] == w.tau_s[n / K * K];
    t.per_synapse = !uniform;
    if (uniform) {
      for (std::uint32_t k = 0; k < B; ++k) t.kappa_trace.push_back(static_cast<T>(decay(w.tau_s[k * K])));
    } else {
      for (double tau : w.tau_s) t.kappa_trace.push_back(static_cast<T>(decay(tau)));
    }
  } else {
    for (double tau : w.tau_b) t.kappa_trace.push_back(static_cast<T>(decay(tau)));
  }
  t.trace_len = static_cast<std::uint32_t>(t.kappa_trace.size());

  std::vector<std::uint32_t> count(w.num_input + 1, 0);
  for (std::uint32_t n = 0; n < S; ++n) {
    if (w.synapse_valid[n]) ++count[w.synapse_input[n] + 1];
  }
  t.fan_ptr.assign(w.num_input + 1, 0);
  for (std::uint32_t i = 0; i < w.num_input; ++i) t.fan_ptr[i + 1] = t.fan_ptr[i] + count[i + 1];
  t.fan_target.resize(t.fan_ptr.back());
  t.fan_weight.resize(t.fan_ptr.back());
  std::vector<std::uint32_t> fill(t.fan_ptr.begin(), t.fan_ptr.end() - 1);
  for (std::uint32_t n = 0; n < S; ++n) {  // by synapse, so each input's list is sorted
    if (!w.synapse_valid[n]) continue;
    const std::uint32_t i = w.synapse_input[n];
    t.fan_target[fill[i]] = t.per_synapse ? n : n / K;
    t.fan_weight[fill[i]++] = static_cast<T>(w.w_s[n] * w.input_sign[i]);
  }

  const std::vector<double> tau_m = w.tau_m(version == ElmVersion::v2);
  for (double tau : tau_m) {
    const double km = decay(tau);
    t.kappa_m.push_back(static_cast<T>(km));
    const double g = version == ElmVersion::v1
                         ? w.lambda * (1.0 - km)
                         : 1.0 - std::exp(-w.lambda * w.delta_t / std::max(tau, 1e-6));
    t.gain.push_back(static_cast<T>(g));
  }
  t.widest = B + M;
  for (const ElmLayer& L : w.mlp) {
    t.layers.emplace_back(L);
    t.widest = std::max(t.widest, t.layers.back().out_pad);
  }
  for (double x : w.readout.weight) t.readout_w.push_back(static_cast<T>(x));
  t.readout_c[0] = static_cast<T>(w.readout.bias[0]);
  t.readout_c[1] = static_cast<T>(w.readout.bias[1]);
  t.tanh_inner = static_cast<T>(w.tanh_inner);
  t.tanh_outer = static_cast<T>(w.tanh_outer);
  return t;
}

namespace elm_detail {

/// out[c][j] = bias[j] + sum_k in[c][k] w_t[k][j] for C rows, register-blocked: kWidth
/// outputs of C neurons stay in registers while k runs.
template <typename T, std::uint32_t C>
inline void dense_chunk(const ElmDense<T>& L, const T* in, std::uint32_t in_stride, T* out,
                        std::uint32_t out_stride) {
  constexpr std::uint32_t W = ElmDense<T>::kWidth;
  for (std::uint32_t j0 = 0; j0 < L.out_pad; j0 += W) {
    T acc[C][W];
    for (std::uint32_t c = 0; c < C; ++c) {
      for (std::uint32_t j = 0; j < W; ++j) acc[c][j] = L.bias[j0 + j];
    }
    const T* w = L.weight_t.data() + j0;
    for (std::uint32_t k = 0; k < L.in; ++k, w += L.out_pad) {
      for (std::uint32_t c = 0; c < C; ++c) {
        const T x = in[c * in_stride + k];
#pragma omp simd
        for (std::uint32_t j = 0; j < W; ++j) acc[c][j] += x * w[j];
      }
    }
    for (std::uint32_t c = 0; c < C; ++c) {
      for (std::uint32_t j = 0; j < W; ++j) out[c * out_stride + j0 + j] = acc[c][j];
    }
  }
}

/// Branch k's signal from a neuron's traces: the trace itself, or with per-synapse traces
/// the sum of the branch's per_branch traces in order.
template <typename T>
SPIKEQ_HD inline T branch(const T* tr, std::uint32_t k, bool per_synapse, std::uint32_t per_branch) {
  if (!per_synapse) return tr[k];
  T b = T(0);
  for (std::uint32_t q = 0; q < per_branch; ++q) b += tr[k * per_branch + q];
  return b;
}

template <typename T>
SPIKEQ_HD inline T sigmoid(T a) {
  return static_cast<T>(1.0 / (1.0 + math::exp(-static_cast<double>(a))));
}

/// tanh(a) = 1 - 2 / (e^{2a} + 1): exact limits +-1, absolute error ~1 ulp of 1.
template <typename T>
SPIKEQ_HD inline T tanh(T a) {
  return static_cast<T>(1.0 - 2.0 / (math::exp(2.0 * static_cast<double>(a)) + 1.0));
}

template <typename T>
inline void activate(ElmActivation f, T* x, std::uint32_t n) {
  if (f == ElmActivation::relu) {
#pragma omp simd
    for (std::uint32_t j = 0; j < n; ++j) x[j] = x[j] > T(0) ? x[j] : T(0);
  } else if (f == ElmActivation::silu) {
#pragma omp simd
    for (std::uint32_t j = 0; j < n; ++j) x[j] = x[j] * sigmoid(x[j]);
  }
}

}  // namespace elm_detail

/// The state of a block of ELM neurons: their traces and memory, and the raw outputs of
/// their last step.
template <typename T>
struct ElmState {
  std::vector<T> trace;  // n x trace_len
  std::vector<T> memory;  // n x M

  ElmState() = default;
  ElmState(const ElmTables<T>& t, std::uint32_t n)
      : trace(std::size_t{n} * t.trace_len, T(0)), memory(std::size_t{n} * t.num_memory, T(0)) {}
  [[nodiscard]] std::size_t bytes() const { return (trace.size() + memory.size()) * sizeof(T); }
};

/// The branch signals b(t) of neuron i (B values) after its last step.
template <typename T>
void elm_branches(const ElmTables<T>& t, const ElmState<T>& s, std::uint32_t i, double* out) {
  const T* tr = s.trace.data() + std::size_t{i} * t.trace_len;
  for (std::uint32_t k = 0; k < t.num_branch; ++k) {
    out[k] = elm_detail::branch(tr, k, t.per_synapse, t.per_branch);
  }
}

/// Advances neurons [i0, i1) by one step. Neuron i's input is inputs[(i - i0) N + k]
/// for input k: fixed-point spike counts (times synaptic weight), unsigned; the model
/// applies each input's sign. The inputs are consumed (set to 0). y0[i], y1[i] receive
/// the raw outputs. `scratch` is any vector the caller keeps between calls.
template <typename T>
void elm_step(const ElmTables<T>& t, ElmState<T>& s, std::uint32_t i0, std::uint32_t i1,
              detail::Accum* inputs, double* y0, double* y1, std::vector<T>& scratch) {
  constexpr std::uint32_t C = kElmChunk;
  const std::uint32_t B = t.num_branch, M = t.num_memory, L = t.trace_len, N = t.num_input;
  const std::uint32_t Z = B + M;
  const std::uint32_t wide = t.widest;
  scratch.assign(std::size_t{C} * (Z + 2 * wide), T(0));
  T* z = scratch.data();
  T* h[2] = {z + std::size_t{C} * Z, z + std::size_t{C} * (Z + wide)};

  for (std::uint32_t c0 = i0; c0 < i1; c0 += C) {
    const std::uint32_t n = std::min(C, i1 - c0);
    for (std::uint32_t c = 0; c < n; ++c) {
      const std::uint32_t i = c0 + c;
      T* tr = s.trace.data() + std::size_t{i} * L;
#pragma omp simd
      for (std::uint32_t l = 0; l < L; ++l) tr[l] = t.kappa_trace[l] * tr[l];
      detail::Accum* in = inputs + std::size_t{i - i0} * N;
      // Input is sparse: test a cache line of slots at once, look closer where one is set.
      auto consume = [&](std::uint32_t k) {
        const T x = static_cast<T>(detail::from_fixed(in[k]));
        in[k] = 0;
        for (std::uint32_t f = t.fan_ptr[k]; f < t.fan_ptr[k + 1]; ++f) {
          tr[t.fan_target[f]] += t.fan_weight[f] * x;
        }
      };
      std::uint32_t k = 0;
      for (; k + 8 <= N; k += 8) {
        detail::Accum any = 0;
        for (std::uint32_t j = 0; j < 8; ++j) any |= in[k + j];
        if (any == 0) continue;
        for (std::uint32_t j = k; j < k + 8; ++j) {
          if (in[j] != 0) consume(j);
        }
      }
      for (; k < N; ++k) {
        if (in[k] != 0) consume(k);
      }
      T* zc = z + std::size_t{c} * Z;
      for (std::uint32_t k = 0; k < B; ++k) zc[k] = elm_detail::branch(tr, k, t.per_synapse, t.per_branch);
      const T* m = s.memory.data() + std::size_t{i} * M;
#pragma omp simd
      for (std::uint32_t k = 0; k < M; ++k) zc[B + k] = t.kappa_m[k] * m[k];
    }
    // A full chunk goes through the MLP together; the neurons of a short one (the end
    // of a range) one by one. Each output's sum is the same either way.
    const T* in = z;
    std::uint32_t in_stride = Z;
    for (std::size_t l = 0; l < t.layers.size(); ++l) {
      const ElmDense<T>& layer = t.layers[l];
      T* out = h[l % 2];
      if (n == C) {
        elm_detail::dense_chunk<T, C>(layer, in, in_stride, out, wide);
      } else {
        for (std::uint32_t c = 0; c < n; ++c) {
          elm_detail::dense_chunk<T, 1>(layer, in + std::size_t{c} * in_stride, in_stride,
                                        out + std::size_t{c} * wide, wide);
        }
      }
      for (std::uint32_t c = 0; c < n; ++c) {
        elm_detail::activate(layer.activation, out + std::size_t{c} * wide, layer.out);
      }
      in = out;
      in_stride = wide;
    }
    for (std::uint32_t c = 0; c < n; ++c) {
      const std::uint32_t i = c0 + c;
      const T* o = in + std::size_t{c} * wide;
      const T* decayed = z + std::size_t{c} * Z + B;
      T* m = s.memory.data() + std::size_t{i} * M;
#pragma omp simd
      for (std::uint32_t k = 0; k < M; ++k) {
        const T dm = t.tanh_outer * elm_detail::tanh(t.tanh_inner * o[k]);
        m[k] = decayed[k] + t.gain[k] * dm;
      }
      T y[2];
      for (std::uint32_t r = 0; r < 2; ++r) {
        const T* w = t.readout_w.data() + std::size_t{r} * M;
        T acc = t.readout_c[r];
        for (std::uint32_t k = 0; k < M; ++k) acc += w[k] * m[k];
        y[r] = acc;
      }
      y0[i] = static_cast<double>(y[0]);
      y1[i] = static_cast<double>(y[1]);
    }
  }
}

/// A dense layer where its arrays lie now (host memory or a device's copy).
template <typename T>
struct ElmLayerView {
  const T* weight_t;  // in x out_pad
  const T* bias;      // out_pad
  std::uint32_t in;
  std::uint32_t out;
  std::uint32_t out_pad;
  ElmActivation activation;
};

/// ElmTables as pointers, for one neuron's step in device code (elm_neuron_step).
template <typename T>
struct ElmTablesView {
  std::uint32_t num_input, num_branch, per_branch, num_memory, trace_len, widest;
  bool per_synapse;
  const T* kappa_trace;
  const std::uint32_t* fan_ptr;
  const std::uint32_t* fan_target;
  const T* fan_weight;
  const T* kappa_m;
  const T* gain;
  const ElmLayerView<T>* layers;
  std::uint32_t n_layers;
  const T* readout_w;
  T readout_c[2];
  T tanh_inner;
  T tanh_outer;

  /// Scratch values one neuron's step needs: z, and two hidden layers.
  SPIKEQ_HD std::uint32_t scratch() const { return num_branch + num_memory + 2 * widest; }
};

/// The view of host tables; `layers` must hold layer_views(t).
template <typename T>
ElmTablesView<T> view_of(const ElmTables<T>& t, const ElmLayerView<T>* layers) {
  return ElmTablesView<T>{t.num_input,          t.num_branch,       t.per_branch,
                          t.num_memory,         t.trace_len,        t.widest,
                          t.per_synapse,        t.kappa_trace.data(), t.fan_ptr.data(),
                          t.fan_target.data(),  t.fan_weight.data(), t.kappa_m.data(),
                          t.gain.data(),        layers,             static_cast<std::uint32_t>(t.layers.size()),
                          t.readout_w.data(),   {t.readout_c[0], t.readout_c[1]},
                          t.tanh_inner,         t.tanh_outer};
}

/// The layers of host tables as views.
template <typename T>
std::vector<ElmLayerView<T>> layer_views(const ElmTables<T>& t) {
  std::vector<ElmLayerView<T>> out;
  for (const ElmDense<T>& L : t.layers) {
    out.push_back({L.weight_t.data(), L.bias.data(), L.in, L.out, L.out_pad, L.activation});
  }
  return out;
}

/// One neuron's step, the arithmetic of elm_step one neuron at a time (the same products
/// and sums in the same order, so the same bits): for device code, one thread per neuron.
/// `tr` and `m` are the neuron's traces and memory, `in` its N inputs (consumed), `scratch`
/// holds t.scratch() values.
template <typename T>
SPIKEQ_HD inline void elm_neuron_step(const ElmTablesView<T>& t, T* tr, T* m, detail::Accum* in,
                                      T* scratch, double* y0, double* y1) {
  const std::uint32_t B = t.num_branch, M = t.num_memory;
  for (std::uint32_t l = 0; l < t.trace_len; ++l) tr[l] = t.kappa_trace[l] * tr[l];
  for (std::uint32_t k = 0; k < t.num_input; ++k) {
    if (in[k] == 0) continue;
    const T x = static_cast<T>(detail::from_fixed(in[k]));
    in[k] = 0;
    for (std::uint32_t f = t.fan_ptr[k]; f < t.fan_ptr[k + 1]; ++f) {
      tr[t.fan_target[f]] += t.fan_weight[f] * x;
    }
  }
  T* z = scratch;
  for (std::uint32_t k = 0; k < B; ++k) z[k] = elm_detail::branch(tr, k, t.per_synapse, t.per_branch);
  for (std::uint32_t k = 0; k < M; ++k) z[B + k] = t.kappa_m[k] * m[k];
  T* h[2] = {z + B + M, z + B + M + t.widest};
  const T* x = z;
  for (std::uint32_t l = 0; l < t.n_layers; ++l) {
    const ElmLayerView<T>& L = t.layers[l];
    T* out = h[l % 2];
    for (std::uint32_t j = 0; j < L.out; ++j) {
      T acc = L.bias[j];
      for (std::uint32_t k = 0; k < L.in; ++k) acc += x[k] * L.weight_t[std::size_t{k} * L.out_pad + j];
      if (L.activation == ElmActivation::relu) acc = acc > T(0) ? acc : T(0);
      if (L.activation == ElmActivation::silu) acc = acc * elm_detail::sigmoid(acc);
      out[j] = acc;
    }
    x = out;
  }
  for (std::uint32_t k = 0; k < M; ++k) {
    const T dm = t.tanh_outer * elm_detail::tanh(t.tanh_inner * x[k]);
    m[k] = z[B + k] + t.gain[k] * dm;
  }
  T y[2];
  for (std::uint32_t r = 0; r < 2; ++r) {
    const T* w = t.readout_w + std::size_t{r} * M;
    T acc = t.readout_c[r];
    for (std::uint32_t k = 0; k < M; ++k) acc += w[k] * m[k];
    y[r] = acc;
  }
  *y0 = static_cast<double>(y[0]);
  *y1 = static_cast<double>(y[1]);
}

}  // namespace spikeq::neurons
