#pragma once
// The device kernels of plastic projections, one thread each as kernels.hpp describes;
// every synapse's arithmetic is the shared Learner's (plasticity/detail/learner.hpp). A
// synapse is written only by its own events, and within one kernel no two threads share a
// synapse or a target's postsynaptic trace, so the order of blocks and threads changes
// nothing; weights reach the rings through 64-bit integer atomics.
#include <cstdint>

#include "spikeq/backends/device/kernels.hpp"
#include "spikeq/plasticity/detail/learner.hpp"
#include "spikeq/synapses/detail/csr.hpp"

namespace spikeq::detail::device {

/// A run of synapses of one spike's piece that share a delay, reaching target tile `base`
/// in this update (the host's PlasticProjection::Arrival, with its tile's first neuron).
struct ArrivalRange {
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t base;
};

/// Presynaptic arrivals of update u: each synapse learns (Learner::pre at step u + 1),
/// then adds its weight to the ring slot of update u + dendritic.
struct ArrivalKernel {
  Learner learner;
  const ArrivalRange* ranges;
  std::uint32_t n;
  const SynapseEntry* entries;
  Step t;         // u + 1
  Accum* inject;  // the target receptor's row of slot (u + dendritic) mod slots

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t r = thread_index(block, thread);
    if (r >= n) return;
    const ArrivalRange range = ranges[r];
    for (std::uint32_t syn = range.begin; syn < range.end; ++syn) {
      const std::uint32_t i = range.base + entry_offset(entries[syn]);
      learner.pre(syn, i, t);
      AtomicAccumulate::add(inject + i, to_fixed(learner.a.w[syn]));
    }
  }
};

/// Keeps update u's spike flags for the postsynaptic events that come `dendritic` updates
/// later: row u mod depth of the population's flag history.
struct RecordFlagsKernel {
  const std::uint8_t* fired;
  std::uint8_t* history_row;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t i = thread_index(block, thread);
    if (i < n) history_row[i] = fired[i];
  }
};

/// Postsynaptic events at step t: every target that spiked in the update of `due` walks
/// its synapses (Learner::post).
struct PostKernel {
  Learner learner;
  const std::uint8_t* due;  // the flag history row of update t - 1 - dendritic
  Step t;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t i = thread_index(block, thread);
    if (i < n && due[i]) learner.post(static_cast<std::uint32_t>(i), t);
  }
};

/// Before a modulator jump at step t: every synapse of every target brought up to t.
struct FlushKernel {
  Learner learner;
  Step t;
  std::uint32_t n;  // targets

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t i = thread_index(block, thread);
    if (i >= n) return;
    for (std::uint64_t j = learner.a.post_ptr[i]; j < learner.a.post_ptr[i + 1]; ++j) {
      learner.touch(j, learner.a.post_syn[j], t);
    }
  }
};

/// The periodic update at step t, per target: the error rule (with the modulator levels
/// the host read for t), Oja's rule, or the accumulator rules (w += bias + factor acc).
/// Oja's subspace and Sanger's rules run per source instead (SubspaceKernel).
struct PeriodicKernel {
  Learner learner;
  bool error_rule;
  bool hebbian;   // Oja's rule
  double target;  // error rule
  double gate;    // error rule
  double factor;  // accumulator rules
  Step t;
  std::uint32_t n;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t k = thread_index(block, thread);
    if (k >= n) return;
    const auto i = static_cast<std::uint32_t>(k);
    if (error_rule) {
      learner.error_update(i, t, target, gate);
      return;
    }
    if (hebbian) {
      learner.oja_update(i, t);
      return;
    }
    for (std::uint64_t j = learner.a.post_ptr[i]; j < learner.a.post_ptr[i + 1]; ++j) {
      learner.accumulate(j, factor);
    }
  }
};

/// The periodic update at step t of Oja's subspace and Sanger's rules, one thread per
/// source neuron: each walks its own synapses (Learner::subspace_update), so no two
/// threads share a weight and the result is the host's.
struct SubspaceKernel {
  Learner learner;
  Step t;
  std::uint32_t sources;

  SPIKEQ_HD void operator()(std::uint32_t block, std::uint32_t thread) const {
    const std::uint64_t s = thread_index(block, thread);
    if (s < sources) learner.subspace_update(static_cast<std::uint32_t>(s), t);
  }
};

}  // namespace spikeq::detail::device
