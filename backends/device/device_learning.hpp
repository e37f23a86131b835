#pragma once
// The plastic projections of the device backend: their arrays on the device, and the host
// half of their events, in the serial backend's order (plastic_kernels.hpp):
//   before update u of a target population: the modulator jumps due (eligibility traces
//     brought up to the jump first), then the presynaptic arrivals of u;
//   after it: the postsynaptic events of the spikes of update u - dendritic, and the
//     periodic updates.
// Arrivals are queued on the host exactly as the host backends queue them (enqueue_tile,
// after each slice, from the spikes copied back), and each update's ranges are copied to
// the device for ArrivalKernel; so a checkpoint holds the same queues on every backend.
// Postsynaptic spikes wait on the device as rows of spike flags (one row per update, as
// many as the longest dendritic delay needs), which become the host's post queues when the
// state is copied back, and the other way round.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "device_copy.hpp"
#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/device/learning_kernels.hpp"
#include "spikeq/backends/host_state.hpp"
#include "spikeq/backends/plastic_kernels.hpp"

namespace spikeq::detail::device {

template <typename Runtime>
class DeviceLearning {
  template <typename T>
  using Buffer = typename Runtime::template Buffer<T>;

 public:
  /// Where a population's rings and spike flags are on the device.
  struct PopulationArrays {
    Accum* rings;
    const std::uint8_t* fired;
  };

  /// Keeps `net` (the device backend's host state) by reference.
  DeviceLearning(BuiltNetwork& net, Runtime& rt) : net_(net), rt_(rt) {
    for (const ModulatorRuntime& m : net.modulators) {
      mod_tables_.push_back(copy_of(rt_, m.decay.table(), "modulator tables"));
    }
    projs_.resize(net.projections.size());
    for (std::size_t k = 0; k < net.projections.size(); ++k) {
      if (net.projections[k].plastic) allocate(k);
    }
    history_.resize(net.populations.size());
    depth_.assign(net.populations.size(), 0);
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
      for (const std::uint32_t k : net.plastic_into[p]) {
        depth_[p] = std::max(depth_[p], static_cast<std::uint32_t>(net.projections[k].plastic->dendritic + 1));
      }
      if (depth_[p] > 0) {
        history_[p] = rt_.template allocate<std::uint8_t>(std::size_t{depth_[p]} * net.populations[p].size,
                                                          "postsynaptic spike flags");
      }
    }
  }

  /// Where projection k's synapse entries and weights are on the device (the device
  /// backend's buffers, shared with static delivery).
  void bind(std::size_t k, const SynapseEntry* entries, float* weights) {
    projs_[k].entries = entries;
    projs_[k].weights = weights;
  }

  /// Copies the plastic arrays one way: copy(host vector, device buffer).
  template <typename Copy>
  void for_each_array(Copy&& copy) {
    BuiltNetwork& net = net_;
    for (std::size_t k = 0; k < net.projections.size(); ++k) {
      ProjectionRuntime& proj = net.projections[k];
      if (!proj.plastic) continue;
      PlasticProjection& pl = *proj.plastic;
      DevicePlastic& d = projs_[k];
      copy(pl.traces, d.traces);
      copy(pl.x_post, d.x_post);
      copy(pl.post_last, d.post_last);
    }
  }

  /// The HLOP subspaces' rows (which consolidation grows) to the device, with scratch to
  /// match, for every projection that projects out of one.
  void upload_subspaces() {
    for (std::size_t k = 0; k < net_.projections.size(); ++k) {
      const ProjectionRuntime& proj = net_.projections[k];
      if (!proj.plastic || proj.plastic->subspace < 0) continue;
      const SubspaceRuntime& s = net_.subspaces[static_cast<std::size_t>(proj.plastic->subspace)];
      DevicePlastic& d = projs_[k];
      d.basis = copy_of(rt_, s.columns, "subspace rows");
      d.coeff = copy_of(rt_, proj.plastic->coeff, "subspace rows");
      d.basis_rows = static_cast<std::uint32_t>(s.basis.rows());
    }
  }

  /// The device's spike flags of updates (next - 1 - dendritic, next - 1] become the post
  /// queues the host backends would hold before update `next`.
  void flags_to_queues(Step next) {
    BuiltNetwork& net = net_;
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
      if (depth_[p] == 0) continue;
      const PopulationRuntime& pop = net.populations[p];
      flags_.resize(std::size_t{depth_[p]} * pop.size);
      rt_.download(flags_.data(), history_[p], flags_.size());
      for (const std::uint32_t k : net.plastic_into[p]) {
        PlasticProjection& pl = *net.projections[k].plastic;
        const auto depth = static_cast<Step>(pl.dendritic + 1);
        for (auto& q : pl.queues) {
          for (auto& posts : q.posts) posts.clear();
        }
        for (Step v = std::max<Step>(0, next - pl.dendritic); v < next; ++v) {
          const std::uint8_t* row = flags_.data() + row_of(p, v) * pop.size;
          const auto slot = static_cast<std::size_t>(v % depth);
          for (std::uint32_t i = 0; i < pop.size; ++i) {
            if (row[i]) pl.queues[pop.tiles.tile_of(i)].posts[slot].push_back(i);
          }
        }
      }
    }
  }

  /// The host's post queues (before update `next`) become the device's spike flags.
  void queues_to_flags(Step next) {
    const BuiltNetwork& net = net_;
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
      if (depth_[p] == 0) continue;
      const PopulationRuntime& pop = net.populations[p];
      flags_.assign(std::size_t{depth_[p]} * pop.size, 0);
      for (const std::uint32_t k : net.plastic_into[p]) {
        const PlasticProjection& pl = *net.projections[k].plastic;
        const auto depth = static_cast<Step>(pl.dendritic + 1);
        for (Step v = std::max<Step>(0, next - pl.dendritic); v < next; ++v) {
          std::uint8_t* row = flags_.data() + row_of(p, v) * pop.size;
          for (const auto& q : pl.queues) {
            for (const std::uint32_t i : q.posts[static_cast<std::size_t>(v % depth)]) row[i] = 1;
          }
        }
      }
      rt_.upload(history_[p], flags_.data(), flags_.size());
    }
  }

  /// Start of update u of population p: modulator jumps, then presynaptic arrivals.
  void before(std::uint32_t p, Step u, std::vector<ModulatorState>& mods,
              const PopulationArrays& target) {
    const BuiltNetwork& net = net_;
    for (std::size_t m = 0; m < mods.size(); ++m) {
      if (!mods[m].due(u)) continue;
      for (const std::uint32_t k : net.plastic_into[p]) {
        const PlasticProjection& pl = *net.projections[k].plastic;
        if (pl.mode == PlasticProjection::Mode::eligibility && pl.modulator == static_cast<int>(m)) {
          const std::uint32_t n = net.populations[p].size;
          rt_.launch("plastic_flush", grid_for(n), FlushKernel{learner(k, mods), u, n});
        }
      }
      apply_jumps(net.modulators[m], mods[m], u);
    }
    for (const std::uint32_t k : net.plastic_into[p]) arrivals(k, u, mods, target);
  }

  /// End of update u of population p: postsynaptic events and periodic updates.
  void after(std::uint32_t p, Step u, const std::vector<ModulatorState>& mods,
             const PopulationArrays& target) {
    const BuiltNetwork& net = net_;
    if (depth_[p] == 0) return;
    const std::uint32_t n = net.populations[p].size;
    rt_.launch("record_spike_flags", grid_for(n),
               RecordFlagsKernel{target.fired, history_[p].data() + row_of(p, u) * n, n});
    for (const std::uint32_t k : net.plastic_into[p]) {
      const PlasticProjection& pl = *net.projections[k].plastic;
      const Learner l = learner(k, mods);
      const std::uint8_t* due = history_[p].data() + row_of(p, u - pl.dendritic) * n;
      rt_.launch("plastic_post", grid_for(n), PostKernel{l, due, u + 1, n});
      if (pl.interval > 0 && (u + 1) % pl.interval == 0) periodic(k, u + 1, mods, n);
    }
  }

  /// After a slice: its spikes, copied back, queued for the plastic projections they reach
  /// (the host backends' enqueue_tile).
  void enqueue(const SliceOutput& out, const std::vector<std::uint32_t>& counts) {
    for (ProjectionRuntime& proj : net_.projections) {
      if (!proj.plastic) continue;
      const SliceOutput::Spikes& s = out.spikes[proj.source];
      const std::size_t n = counts[proj.source];
      const std::size_t at = s.ids.size() - n;
      for (std::uint32_t t = 0; t < proj.csr.tiles.count; ++t) {
        enqueue_tile(proj, t, s.steps.data() + at, s.ids.data() + at, n, net_.slots);
      }
    }
  }

 private:
  struct DevicePlastic {
    Buffer<PlasticProjection::Trace> traces;
    Buffer<std::uint32_t> position;
    Buffer<std::uint64_t> post_ptr;
    Buffer<std::uint32_t> post_syn;
    Buffer<double> x_post;
    Buffer<Step> post_last;
    Buffer<std::uint64_t> src_ptr;  // subspace rules only
    Buffer<std::uint32_t> src_pos;
    Buffer<std::uint32_t> src_target;
    Buffer<std::uint32_t> pos_source;  // HLOP projection only
    Buffer<double> basis, coeff;       // its columns and per-target scratch
    std::uint32_t basis_rows = 0;
    Buffer<double> pre_table, post_table, c_table;
    Buffer<ArrivalRange> ranges;  // this update's arrivals
    const SynapseEntry* entries = nullptr;  // bind(): the device backend's buffers
    float* weights = nullptr;
  };

  void allocate(std::size_t k) {
    const PlasticProjection& pl = *net_.projections[k].plastic;
    DevicePlastic& d = projs_[k];
    d.traces = copy_of(rt_, pl.traces, "plastic synapses");
    d.position = copy_of(rt_, pl.position, "plastic synapses");
    d.post_ptr = copy_of(rt_, pl.post_ptr, "plastic synapses");
    d.post_syn = copy_of(rt_, pl.post_syn, "plastic synapses");
    d.x_post = copy_of(rt_, pl.x_post, "plastic synapses");
    d.post_last = copy_of(rt_, pl.post_last, "plastic synapses");
    d.src_ptr = copy_of(rt_, pl.src_ptr, "plastic synapses");
    d.src_pos = copy_of(rt_, pl.src_pos, "plastic synapses");
    d.src_target = copy_of(rt_, pl.src_target, "plastic synapses");
    d.pos_source = copy_of(rt_, pl.pos_source, "plastic synapses");
    d.pre_table = copy_of(rt_, pl.pre_decay.table(), "plastic synapses");
    d.post_table = copy_of(rt_, pl.post_decay.table(), "plastic synapses");
    d.c_table = copy_of(rt_, pl.c_decay.table(), "plastic synapses");
  }

  /// Row of update v in population p's flag history.
  [[nodiscard]] std::uint64_t row_of(std::size_t p, Step v) const {
    const auto depth = static_cast<Step>(depth_[p]);
    return static_cast<std::uint64_t>(((v % depth) + depth) % depth);
  }

  /// The shared learner over projection k's device arrays, with the modulator's state in
  /// this replica now.
  [[nodiscard]] Learner learner(std::size_t k, const std::vector<ModulatorState>& mods) const {
    const PlasticProjection& pl = *net_.projections[k].plastic;
    const DevicePlastic& d = projs_[k];
    PlasticRule r = rule_of(pl);
    r.pre_decay.table = d.pre_table.data();
    r.post_decay.table = d.post_table.data();
    r.c_decay.table = d.c_table.data();
    ModulatorView mod = modulator_of(pl, net_, mods);
    if (pl.modulator >= 0) mod.decay.table = mod_tables_[static_cast<std::size_t>(pl.modulator)].data();
    const PlasticArrays a{const_cast<PlasticProjection::Trace*>(d.traces.data()), d.position.data(),
                          d.post_ptr.data(), d.post_syn.data(), const_cast<double*>(d.x_post.data()),
                          const_cast<Step*>(d.post_last.data()), d.weights, d.src_ptr.data(),
                          d.src_pos.data(), d.src_target.data(), d.basis.data(), d.basis_rows,
                          d.pos_source.data(), const_cast<double*>(d.coeff.data())};
    return Learner{r, a, mod};
  }

  /// The synapses reached in update u: the host queue's ranges of every tile, to the device.
  void arrivals(std::uint32_t k, Step u, const std::vector<ModulatorState>& mods,
                const PopulationArrays& target) {
    const BuiltNetwork& net = net_;
    ProjectionRuntime& proj = net_.projections[k];
    PlasticProjection& pl = *proj.plastic;
    const PopulationRuntime& pop = net.populations[proj.target];
    const auto slot = static_cast<std::size_t>(u % static_cast<Step>(net.slots));
    staged_.clear();
    for (std::uint32_t t = 0; t < pl.queues.size(); ++t) {
      auto& arrived = pl.queues[t].arrivals[slot];
      for (const PlasticProjection::Arrival& r : arrived) staged_.push_back({r.begin, r.end, pop.tiles.begin(t)});
      arrived.clear();
    }
    if (staged_.empty()) return;
    DevicePlastic& d = projs_[k];
    if (d.ranges.size() < staged_.size()) {
      d.ranges = rt_.template allocate<ArrivalRange>(staged_.size() * 2, "plastic arrivals");
    }
    rt_.upload(d.ranges, staged_.data(), staged_.size());
    const auto inject_slot = static_cast<std::uint64_t>((u + pl.dendritic) % static_cast<Step>(net.slots));
    Accum* inject = target.rings +
                    (static_cast<std::uint64_t>(proj.receptor) * net.slots + inject_slot) * pop.ring_width();
    const auto n = static_cast<std::uint32_t>(staged_.size());
    rt_.launch("plastic_arrivals", grid_for(n),
               ArrivalKernel{learner(k, mods), d.ranges.data(), n, d.entries, u + 1, inject});
  }

  void periodic(std::uint32_t k, Step t, const std::vector<ModulatorState>& mods, std::uint32_t n) {
    const PlasticProjection& pl = *net_.projections[k].plastic;
    const PeriodicLevels at = periodic_levels(pl, net_, mods, t);
    if (at.closed) return;
    if (at.hebbian && pl.form != plasticity::hebbian::HebbianRule::oja) {
      const auto sources = static_cast<std::uint32_t>(pl.src_ptr.size() - 1);
      rt_.launch("plastic_subspace", grid_for(sources), SubspaceKernel{learner(k, mods), t, sources});
      return;
    }
    rt_.launch("plastic_periodic", grid_for(n),
               PeriodicKernel{learner(k, mods), at.error_rule, at.hebbian, at.target, at.gate, at.factor, t, n});
  }


  BuiltNetwork& net_;
  Runtime& rt_;
  std::vector<DevicePlastic> projs_;                // by projection (static ones unused)
  std::vector<Buffer<double>> mod_tables_;          // per modulator: its decay table
  std::vector<Buffer<std::uint8_t>> history_;       // per population: flag rows
  std::vector<std::uint32_t> depth_;                // per population: rows (0: none)
  std::vector<std::uint8_t> flags_;                 // scratch
  std::vector<ArrivalRange> staged_;                // scratch
};

}  // namespace spikeq::detail::device
