// Device-compile check (issue 13): the per-element bodies that the cuda backend shares
// with the host backends compile as device code, under nvcc with --fmad=false, every warning an
// error and no --expt-relaxed-constexpr. Nothing runs here (the build machine may have no
// GPU): the kernels below only have to instantiate, for sm_80 and sm_90, every body a
// device backend calls:
//   - every point model's step() (with a device-side view of its ring slots) and read();
//   - the ELM model's spike decision (elm::emit) and read();
//   - spike emission: fired flags to the canonical spike list, and replay windows;
//   - deliver_spike with the atomic accumulation policy, for every weight/delay variant;
//   - the counter-based RNG as the drives use it: uniforms, Poisson counts (inversion,
//     table and PTRS), normals, uniform noise, raw Philox.
#include <cstdint>

#include "spikeq/backends/ring_input.hpp"
#include "spikeq/backends/spike_emission.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/neurons/registry.hpp"
#include "spikeq/plasticity/hebbian.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

namespace spikeq::device_check {

using detail::Accum;

using neurons::ModelList;

__device__ inline std::uint32_t thread_index() { return blockIdx.x * blockDim.x + threadIdx.x; }

/// One update of neurons [0, n): step, then clear the consumed slots (step_neuron).
template <typename M>
__global__ void update_kernel(typename M::derived d, typename M::view v, Accum* const* rows,
                              const double* current, double current_all,
                              neurons::StepContext ctx, std::uint8_t* fired, std::uint32_t n) {
  const std::uint32_t i = thread_index();
  if (i >= n) return;
  const double i_ext = current_all + (current ? current[i] : 0.0);
  fired[i] = detail::step_neuron<M>(d, v, rows, i, i_ext, ctx) ? 1 : 0;
}

/// Samples one variable of the listed neurons (sample_neurons).
template <typename M>
__global__ void read_kernel(typename M::derived d, typename M::view v, int variable,
                            const std::uint32_t* neurons, std::uint32_t n, double* out) {
  const std::uint32_t k = thread_index();
  if (k < n) out[k] = M::read(d, v, variable, neurons[k]);
}

/// An ELM population's spike decision after its forward pass (the cuda backend runs both
/// in ElmUpdateKernel; this keeps the decision's device form checked on its own).
__global__ void elm_emit_kernel(neurons::elm::derived d, neurons::elm::view v,
                                neurons::StepContext ctx, std::uint8_t* fired, std::uint32_t n) {
  const std::uint32_t i = thread_index();
  if (i < n) fired[i] = neurons::elm::emit(d, v, i, ctx) ? 1 : 0;
}

/// Spike emission, phase 1: spikes per tile.
__global__ void count_spikes_kernel(const std::uint8_t* fired, std::uint32_t n,
                                    std::uint32_t tile, std::uint32_t tiles,
                                    std::uint32_t* counts) {
  const std::uint32_t t = thread_index();
  if (t >= tiles) return;
  const std::uint32_t i0 = t * tile;
  const std::uint32_t i1 = n - i0 < tile ? n : i0 + tile;
  counts[t] = detail::count_fired(fired, i0, i1);
}

/// Phase 2: the exclusive prefix sum of the counts, in tile order (one thread here; a
/// backend would use a parallel scan).
__global__ void scan_kernel(const std::uint32_t* counts, std::uint32_t tiles,
                            std::uint32_t* offsets) {
  if (thread_index() != 0) return;
  std::uint32_t sum = 0;
  for (std::uint32_t t = 0; t < tiles; ++t) {
    offsets[t] = sum;
    sum += counts[t];
  }
  offsets[tiles] = sum;
}

/// Phase 3: every tile writes its spikes at its offset: the canonical list.
__global__ void write_spikes_kernel(const std::uint8_t* fired, std::uint32_t n,
                                    std::uint32_t tile, std::uint32_t tiles,
                                    const std::uint32_t* offsets, Step u, Step* steps,
                                    std::uint32_t* ids) {
  const std::uint32_t t = thread_index();
  if (t >= tiles) return;
  const std::uint32_t i0 = t * tile;
  const std::uint32_t i1 = n - i0 < tile ? n : i0 + tile;
  detail::write_fired(fired, i0, i1, u + 1, steps + offsets[t], ids + offsets[t]);
}

/// A replayed or clamped population's flags from its window, one thread per tile.
__global__ void replay_kernel(const std::uint64_t* offsets, std::uint64_t n_offsets,
                              const std::uint32_t* neurons, Step first, Step u,
                              std::uint8_t* fired, std::uint32_t n, std::uint32_t tile,
                              std::uint32_t tiles) {
  const std::uint32_t t = thread_index();
  if (t >= tiles) return;
  const std::uint32_t i0 = t * tile;
  const std::uint32_t i1 = n - i0 < tile ? n : i0 + tile;
  detail::mark_replayed(offsets, n_offsets, neurons, first, u, fired, i0, i1);
}

/// Delivery: one thread per spike into one target tile, with 64-bit integer atomics.
template <bool Homogeneous, bool Uniform>
__global__ void deliver_kernel(detail::TileSynapses syn, const Step* steps,
                               const std::uint32_t* ids, std::uint32_t n, std::uint32_t slots,
                               Accum* ring, std::uint64_t stride) {
  const std::uint32_t k = thread_index();
  if (k >= n) return;
  const auto slot = static_cast<std::uint32_t>((steps[k] - 1) % static_cast<Step>(slots));
  detail::deliver_spike<Homogeneous, Uniform, detail::AtomicAccumulate>(syn, ids[k], slot, slots,
                                                                        ring, stride);
}

/// The drives' draws for neuron (user id) ids[j] at update u, as the host makes them.
struct DrawArgs {
  std::uint64_t seed;
  std::uint32_t stream;
  Step u;
  double lambda;             // Poisson mean per step
  double exp_minus_lambda;
  const double* cdf;         // PoissonTable entries (lambda < 40)
  std::uint32_t table_size;
  double p_last;
  double mean, sd;           // noise current
};

struct DrawOut {
  std::uint32_t* poisson;        // DrawStream::poisson: inversion or PTRS
  std::uint32_t* poisson_table;  // the table inversion of batch_poisson
  double* normal_noise;
  double* uniform_noise;
  double* uniform;
  std::uint32_t* below;
  std::uint64_t* below64;
  std::uint32_t* philox;         // 4 words per draw
  double* elementary;            // exp, log, sin, cos
};

__global__ void draws_kernel(DrawArgs a, const std::uint32_t* ids, std::uint32_t n, DrawOut o) {
  const std::uint32_t j = thread_index();
  if (j >= n) return;
  const std::uint64_t index = detail::step_index(a.u);
  const detail::CounterRng rng(a.seed, a.stream, ids[j]);

  detail::DrawStream poisson(rng, index);
  o.poisson[j] = poisson.poisson(a.lambda, a.exp_minus_lambda);

  const auto block = rng.block(index);
  const double u = detail::to_unit_open(block.v[0], block.v[1]);
  o.uniform[j] = u;
  o.poisson_table[j] = detail::poisson_invert(a.cdf, a.table_size, u, a.lambda, a.p_last);

  detail::DrawStream normal(rng, index);
  o.normal_noise[j] = a.mean + a.sd * normal.normal();
  detail::DrawStream uniform(rng, index);
  o.uniform_noise[j] = a.mean + a.sd * detail::unit_variance_uniform(uniform.uniform());

  detail::DrawStream ints(rng, index);
  o.below[j] = ints.below(1000u + j);
  o.below64[j] = ints.below64((std::uint64_t{1} << 40) + j);

  std::uint64_t w0 = ids[j], w1 = a.stream, w2 = static_cast<std::uint32_t>(index),
                w3 = static_cast<std::uint32_t>(index >> 32);
  detail::philox4x32_10(w0, w1, w2, w3, static_cast<std::uint32_t>(a.seed),
                        static_cast<std::uint32_t>(a.seed >> 32));
  o.philox[4 * j + 0] = static_cast<std::uint32_t>(w0);
  o.philox[4 * j + 1] = static_cast<std::uint32_t>(w1);
  o.philox[4 * j + 2] = static_cast<std::uint32_t>(w2);
  o.philox[4 * j + 3] = static_cast<std::uint32_t>(w3);

  const detail::NormalPair z = detail::box_muller(u, detail::to_unit_open(block.v[2], block.v[3]));
  const math::SinCos sc = math::sincos(z.first);
  o.elementary[4 * j + 0] = math::exp(z.second);
  o.elementary[4 * j + 1] = math::log(u);
  o.elementary[4 * j + 2] = sc.sin + math::sin(z.second);
  o.elementary[4 * j + 3] = sc.cos + math::cos(z.second);
}

/// Kernel addresses: taking them makes nvcc instantiate and compile each kernel.
using KernelAddress = const void*;

template <typename M>
void add_point_kernels(KernelAddress*& out) {
  *out++ = reinterpret_cast<KernelAddress>(&update_kernel<M>);
  *out++ = reinterpret_cast<KernelAddress>(&read_kernel<M>);
}

template <typename M>
void add_read_kernel(KernelAddress*& out) {
  *out++ = reinterpret_cast<KernelAddress>(&read_kernel<M>);
}

/// Every kernel of the model registry: the point models get update and read kernels, the
/// others (driven by their backends: elm, spike_replay) a read kernel.
template <typename M>
void add_kernels_of(KernelAddress*& out) {
  if constexpr (neurons::is_point_model<M>) {
    add_point_kernels<M>(out);
  } else {
    add_read_kernel<M>(out);
  }
}

template <typename... Ms>
void add_registry_kernels(ModelList<Ms...>, KernelAddress*& out) {
  (add_kernels_of<Ms>(out), ...);
}

/// The Hebbian subspace rules (HLOP's lateral neurons), one sample per thread into its own
/// rows of `delta`: every function of plasticity/hebbian.hpp in device code.
__global__ void hebbian_kernel(plasticity::hebbian::HebbianRule rule, double* h, std::size_t m,
                               std::size_t n, const double* x, double* y, double* recon,
                               double* delta, double* projected, double* coeff) {
  namespace hb = plasticity::hebbian;
  if (thread_index() != 0) return;
  hb::outputs(h, m, n, x, y);
  hb::hebbian_delta(rule, h, m, n, x, y, 1, recon, delta);
  hb::accumulate_hebbian_delta(rule, h, m, n, x, y, 1, 0.5, recon, delta);
  hb::project_out(h, m, n, x, coeff, projected);
  hb::hebbian_step(rule, h, m, n, x, 0.01, 1, y, recon);
  y[0] = hb::dot(x, x, n);
}

}  // namespace spikeq::device_check

/// Every kernel of this file (out must hold 64): the count written. Referenced by nobody;
/// it exists so that every kernel is instantiated.
int spikeq_device_compile_kernels(const void** out) {
  using namespace spikeq::device_check;
  KernelAddress* p = out;
  add_registry_kernels(spikeq::neurons::Kernels{}, p);
  *p++ = reinterpret_cast<KernelAddress>(&elm_emit_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&count_spikes_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&scan_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&write_spikes_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&replay_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&deliver_kernel<false, false>);
  *p++ = reinterpret_cast<KernelAddress>(&deliver_kernel<false, true>);
  *p++ = reinterpret_cast<KernelAddress>(&deliver_kernel<true, false>);
  *p++ = reinterpret_cast<KernelAddress>(&deliver_kernel<true, true>);
  *p++ = reinterpret_cast<KernelAddress>(&draws_kernel);
  *p++ = reinterpret_cast<KernelAddress>(&hebbian_kernel);
  return static_cast<int>(p - out);
}
