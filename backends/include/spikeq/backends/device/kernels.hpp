#pragma once
// The kernels of the device backends (cuda, and cuda-emulated on a CPU), written once.
// Each kernel is a small trivially copyable struct whose call operator is the body of one
// device thread, a function of its block and thread index (SPIKEQ_HD). The CUDA runtime
// launches it from a __global__ wrapper; the emulation runtime calls it for every thread of
// every block in a shuffled order. The bodies call the same per-element functions as the
// host backends (model steps, the drives' draws, spike emission, deliver_spike), so the
// results are the host's bit for bit. No body relies on the order of blocks or threads, on
// shared memory or on barriers: ring cells that several threads write are summed with
// 64-bit integer atomics, exact in any order.
#include <cstdint>
#include <tuple>
#include <type_traits>

#include "spikeq/backends/ring_input.hpp"
#include "spikeq/backends/spike_emission.hpp"
#include "spikeq/core/config.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/neurons/elm.hpp"
#include "spikeq/neurons/elm_kernel.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

namespace spikeq::detail::device {

/// Threads per block of every kernel (a multiple of the warp).
inline constexpr std::uint32_t kBlockThreads = 128;
/// Threads that deliver one (spike, tile) piece in the warp delivery.
inline constexpr std::uint32_t kWarp = 32;
/// Ring row pointers an update kernel carries (the host's kMaxPointReceptors).
inline constexpr int kMaxReceptors = 8;

/// Blocks of kBlockThreads for `items` threads.
struct Grid {
  std::uint32_t blocks = 0;
};
constexpr Grid grid_for(std::uint64_t items) {
  return Grid{static_cast<std::uint32_t>((items + kBlockThreads - 1) / kBlockThreads)};
}

SPIKEQ_HD inline std::uint64_t thread_index(std::uint32_t block, std::uint32_t thread) {
  return std::uint64_t{block} * kBlockThreads + thread;
}

/// Most drives an update kernel draws itself (further ones run as kernels of their own).
inline constexpr int kFusedDrives = 4;

/// A Poisson drive's count of (seed, stream, id) at counter `index`, as the host drives
/// draw it: below 40 per step the first uniform inverted by the drive's table (the host's
/// batch_poisson, one draw at a time), from 40 on (no table: size 0) DrawStream's PTRS.
struct PoissonLaw {
  const double* cdf;
  std::uint32_t size;
  double lambda;
  double exp_minus_lambda;
  double p_last;
};
SPIKEQ_HD inline std::uint32_t poisson_count(std::uint64_t seed, std::uint32_t stream,
                                             std::uint32_t id, std::uint64_t index,
                                             const PoissonLaw& law) {
  DrawStream draws(CounterRng(seed, stream, id), index);
  if (law.size == 0) return draws.poisson(law.lambda, law.exp_minus_lambda);
  return poisson_invert(law.cdf, law.size, draws.uniform(), law.lambda, law.p_last);
}

/// A Poisson drive: its stream and law, and the weight and receptor its counts go to.
struct PoissonDraw {
  std::uint32_t stream;
  PoissonLaw law;
  Accum weight;
  int receptor;
  /// The input neuron `id` receives in the update of counter `index`.
  SPIKEQ_HD Accum input(std::uint64_t seed, std::uint32_t id, std::uint64_t index) const {
    return static_cast<Accum>(poisson_count(seed, stream, id, index, law)) * weight;
  }
};

/// A noise current: mean + sd z, z the standard normal or the unit-variance uniform of
/// (seed, stream, id) at the step's counter (the host's add_noise).
struct NoiseDraw {
  std::uint32_t stream;
  double mean;
  double sd;
  bool uniform;
  SPIKEQ_HD double current(std::uint64_t seed, std::uint32_t id, std::uint64_t index) const {
    DrawStream draws(CounterRng(seed, stream, id), index);
    const double z = uniform ? unit_variance_uniform(draws.uniform()) : draws.normal();
    return mean + sd * z;
  }
};

/// The drives an update kernel draws for its neuron before the step, in the host's order:
/// Poisson counts into the ring slot (integers: any order), then the current of the step,
/// static current plus each noise drive in turn (the host's current_step, summed alike).
struct FusedDrives {
  std::uint64_t seed;
  std::uint64_t index;  // step_index(u)
  PoissonDraw poisson[kFusedDrives];
  int n_poisson;
  NoiseDraw noise[kFusedDrives];
  int n_noise;  // > 0: the step's current is computed here, from current_static
};

/// One update of neurons [0, n) of a point model: its fused drives, the step, the consumed
/// slots cleared (update_range of the host kernels), and a spike counted for its tile.
/// `current` (null where no neuron has a current of its own) is the per-neuron current
/// when the drives have no noise; with noise, current_static is its base.
template <typename M>
struct UpdateKernel {
  typename M::derived d;
  typename M::view v;
  Accum* rows[kMaxReceptors];
  const double* current;
  const double* current_static;
  double current_all;
  FusedDrives drives;
  neurons::StepContext ctx;
  std::uint8_t* fired;
  std::uint32_t* tile_counts;  // zero before the update
  std::uint32_t tile;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t k = thread_index(block, thread);
    if (k >= n) return;
    const auto i = static_cast<std::uint32_t>(k);
    const std::uint32_t id = ctx.id_of(i);
    for (int p = 0; p < drives.n_poisson; ++p) {
      const PoissonDraw& dp = drives.poisson[p];
      rows[dp.receptor][i] += dp.input(drives.seed, id, drives.index);
    }
    double i_ext = current_all;
    if (drives.n_noise > 0) {
      double c = current_static ? current_static[i] : 0.0;
      for (int q = 0; q < drives.n_noise; ++q) c += drives.noise[q].current(drives.seed, id, drives.index);
      i_ext += c;
    } else if (current) {
      i_ext += current[i];
    }
    const bool spiked = step_neuron<M>(d, v, rows, i, i_ext, ctx);
    fired[i] = spiked ? 1 : 0;
    if (spiked) atomic_add(tile_counts + i / tile, 1u);
  }
};

/// One update of an ELM population in precision T: each neuron's trained model consumes
/// its input slots (elm_neuron_step, the host's elm_step one neuron at a time), then the
/// model type turns the outputs into p and the spike decision (update_elm).
template <typename T>
struct ElmUpdateKernel {
  neurons::ElmTablesView<T> t;
  T* trace;    // n x trace_len
  T* memory;   // n x num_memory
  T* scratch;  // n x t.scratch()
  Accum* inputs;  // the slot's row: neuron i's inputs at i N
  neurons::elm::derived d;
  neurons::elm::view v;
  neurons::StepContext ctx;
  std::uint8_t* fired;
  std::uint32_t* tile_counts;
  std::uint32_t tile;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t k = thread_index(block, thread);
    if (k >= n) return;
    const auto i = static_cast<std::uint32_t>(k);
    neurons::elm_neuron_step(t, trace + std::uint64_t{i} * t.trace_len,
                             memory + std::uint64_t{i} * t.num_memory,
                             inputs + std::uint64_t{i} * t.num_input,
                             scratch + std::uint64_t{i} * t.scratch(),
                             v.real[neurons::elm::y0] + i, v.real[neurons::elm::y1] + i);
    const bool spiked = neurons::elm::emit(d, v, i, ctx);
    fired[i] = spiked ? 1 : 0;
    if (spiked) atomic_add(tile_counts + i / tile, 1u);
  }
};

/// Clears input slots [0, n) of `receptors` ring rows (a clamped update consumes its input
/// unused).
struct ClearSlotsKernel {
  Accum* rows[kMaxReceptors];
  int receptors;
  std::uint64_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t k = thread_index(block, thread);
    if (k >= n) return;
    for (int c = 0; c < receptors; ++c) rows[c][k] = 0;
  }
};

/// A replayed or clamped update: every tile marks the neurons its window fires.
struct ReplayKernel {
  const std::uint64_t* offsets;
  std::uint64_t n_offsets;
  const std::uint32_t* neurons;
  Step first;
  Step u;
  std::uint8_t* fired;
  Tiling tiles;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t t = thread_index(block, thread);
    if (t >= tiles.count) return;
    const auto tt = static_cast<std::uint32_t>(t);
    mark_replayed(offsets, n_offsets, neurons, first, u, fired, tiles.begin(tt), tiles.end(tt));
  }
};

/// Whom a drive reaches: every neuron [0, n), or the sorted internal ids subset[0, n).
/// Draws are keyed by user ids (user_id[i], or i where ids are not relabelled).
struct DriveTargets {
  const std::uint32_t* subset;
  const std::uint32_t* user_id;
  std::uint32_t n;
  SPIKEQ_HD std::uint32_t internal(std::uint64_t j) const {
    return subset ? subset[j] : static_cast<std::uint32_t>(j);
  }
  SPIKEQ_HD std::uint32_t user(std::uint32_t i) const { return user_id ? user_id[i] : i; }
};

/// Independent Poisson trains into one ring row (apply_drives), for drives that reach some
/// neurons only (or more than an update kernel draws).
struct PoissonKernel {
  DriveTargets to;
  std::uint64_t seed;
  std::uint64_t index;  // step_index(u)
  PoissonDraw draw;
  Accum* row;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t j = thread_index(block, thread);
    if (j >= to.n) return;
    const std::uint32_t i = to.internal(j);
    row[i] += draw.input(seed, to.user(i), index);
  }
};

/// This step's current before the noise: the static per-neuron current, or zero.
struct StepCurrentKernel {
  const double* current_static;  // null: none
  double* current_step;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t i = thread_index(block, thread);
    if (i >= n) return;
    current_step[i] = current_static ? current_static[i] : 0.0;
  }
};

/// A noise current (apply_drives) into this step's current, where the update kernel does
/// not draw the noise itself.
struct NoiseKernel {
  DriveTargets to;
  std::uint64_t seed;
  std::uint64_t index;
  NoiseDraw draw;
  double* current_step;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t j = thread_index(block, thread);
    if (j >= to.n) return;
    const std::uint32_t i = to.internal(j);
    current_step[i] += draw.current(seed, to.user(i), index);
  }
};

/// A current change for a subset of neurons (begin_step): delta pA from now on.
struct CurrentChangeKernel {
  const std::uint32_t* ids;
  std::uint32_t n;
  double delta;
  double* current_static;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t j = thread_index(block, thread);
    if (j < n) current_static[ids[j]] += delta;
  }
};

/// Spike emission, phase 1 where the update kernel did not count (replayed and clamped
/// updates): the spikes of each tile.
struct CountFiredKernel {
  const std::uint8_t* fired;
  Tiling tiles;
  std::uint32_t* counts;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t t = thread_index(block, thread);
    if (t >= tiles.count) return;
    const auto tt = static_cast<std::uint32_t>(t);
    counts[tt] = count_fired(fired, tiles.begin(tt), tiles.end(tt));
  }
};

/// Phase 2: every tile writes its spikes after those of the earlier updates of the slice
/// (step_end[k], k the update's place in the slice) and of the tiles before it: a stable
/// compaction into the canonical list. The last tile records where update k ends. The
/// counts of the next update (the other of two buffers) are zeroed here, so the update
/// kernel can count into them without a launch of its own.
struct WriteFiredKernel {
  const std::uint8_t* fired;
  Tiling tiles;
  const std::uint32_t* counts;
  std::uint32_t* next_counts;
  std::uint32_t* step_end;  // step_end[0] = 0; [k + 1] written here
  std::uint32_t k;
  Step stamp;  // u + 1
  Step* steps;
  std::uint32_t* ids;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t t = thread_index(block, thread);
    if (t >= tiles.count) return;
    const auto tt = static_cast<std::uint32_t>(t);
    std::uint32_t at = step_end[k];
    for (std::uint32_t e = 0; e < tt; ++e) at += counts[e];
    const std::uint32_t n =
        write_fired(fired, tiles.begin(tt), tiles.end(tt), stamp, steps + at, ids + at);
    if (tt + 1 == tiles.count) step_end[k + 1] = at + n;
    next_counts[tt] = 0;
  }
};

/// A state recorder's sample: one variable of the listed neurons into one row.
template <typename M>
struct SampleKernel {
  typename M::derived d;
  typename M::view v;
  int variable;
  const std::uint32_t* neurons;
  std::uint32_t n;
  double* row;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t k = thread_index(block, thread);
    if (k < n) row[k] = M::read(d, v, variable, neurons[k]);
  }
};

/// The spikes of one slice of a projection's source, and where they land.
struct DeliveryArgs {
  TileSynapses syn;       // tile member unused: set per piece
  Tiling target;          // the target's tiles
  const Step* steps;
  const std::uint32_t* ids;
  std::uint32_t spikes;
  std::uint32_t slots;
  Accum* ring;            // receptor row, slot 0, neuron 0
  std::uint64_t stride;   // ring width
};

/// Delivery variant 1: one thread per spike walks its whole row, tile by tile.
template <bool Homogeneous, bool Uniform>
struct DeliverRowKernel {
  DeliveryArgs a;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t j = thread_index(block, thread);
    if (j >= a.spikes) return;
    const std::uint32_t slot = slot_of(a.steps[j] - 1, a.slots);
    TileSynapses syn = a.syn;
    for (std::uint32_t t = 0; t < a.target.count; ++t) {
      syn.tile = t;
      deliver_spike<Homogeneous, Uniform, AtomicAccumulate>(
          syn, a.ids[j], slot, a.slots, a.ring + a.target.begin(t), a.stride);
    }
  }
};

/// Delivery variant 2: one warp per (spike, target tile) piece, its lanes striding the
/// piece's synapses (coalesced reads of entries and weights).
template <bool Homogeneous, bool Uniform>
struct DeliverPieceKernel {
  DeliveryArgs a;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t g = thread_index(block, thread);
    const std::uint64_t piece = g / kWarp;
    if (piece >= std::uint64_t{a.spikes} * a.target.count) return;
    const auto j = static_cast<std::uint32_t>(piece / a.target.count);
    TileSynapses syn = a.syn;
    syn.tile = static_cast<std::uint32_t>(piece % a.target.count);
    const std::uint32_t slot = slot_of(a.steps[j] - 1, a.slots);
    deliver_spike<Homogeneous, Uniform, AtomicAccumulate>(
        syn, a.ids[j], slot, a.slots, a.ring + a.target.begin(syn.tile), a.stride,
        static_cast<std::uint32_t>(g % kWarp), kWarp);
  }
};

}  // namespace spikeq::detail::device
