#pragma once
// The device backend, written once over a runtime (EmulatedRuntime: cuda-emulated;
// CudaRuntime in backends/cuda: cuda): the host half that owns the device copy of the
// network (device_layout.hpp) and schedules the kernels of kernels.hpp. The network's host
// state (BuiltNetwork) stays the reference layout: the device holds the same arrays,
// copied up before the first advance and after the host state was changed (a checkpoint
// restored), and copied back when someone reads the state.
//
// One slice: for every population and update, the current changes, the plastic
// projections' jumps and arrivals (device_learning.hpp), the drives that reach only some
// neurons, the update (which draws the other drives and counts spikes per tile), the
// stable compaction of the spikes, the postsynaptic and periodic plastic updates, the due
// samples; then one copy back of the spike counts, the delivery of every static projection
// (device_delivery.hpp: 64-bit integer atomics into the rings, the same sums in any order),
// and the copy back of the spikes and samples, which the host lists as the host backends
// do and queues for the plastic projections.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "device_delivery.hpp"
#include "device_layout.hpp"
#include "device_learning.hpp"
#include "device_support.hpp"
#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/device/kernels.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/backends/plastic_kernels.hpp"

namespace spikeq::detail::device {

template <typename Runtime>
class DeviceBackend final : public Backend {
  template <typename T>
  using Buffer = typename Runtime::template Buffer<T>;

 public:
  DeviceBackend(BuiltNetwork net, Runtime runtime, std::string name)
      : net_(std::move(net)), rt_(std::move(runtime)), name_(std::move(name)) {
    slice_ = slice_steps(net_);
    check_device_support(net_, name_, slice_);
    bind_tables(net_);
    rt_.check_fits(estimate().total(), estimate().to_string());
    allocate();
    learning_.emplace(net_, rt_);
    for (std::size_t k = 0; k < net_.projections.size(); ++k) {
      if (net_.projections[k].plastic) learning_->bind(k, projs_[k].entries.data(), projs_[k].weights.data());
    }
    // One replica per population, advanced through the jumps as that population's updates
    // reach them (the serial backend's replicas).
    mods_.assign(net_.populations.size(), initial_modulators(net_));
    host_newer_ = true;  // copied up at the first advance, which says which step is next
  }

  [[nodiscard]] std::string name() const override { return name_; }

  void advance(Step first, Step count, SliceOutput& out) override {
    if (host_newer_) upload_state(first);
    upload_replays();
    out.reset(net_.populations.size(), net_.recorders.size());
    for (Step begin = first; begin < first + count; begin += slice_) {
      advance_slice(begin, std::min(slice_, first + count - begin), out);
    }
    next_step_ = first + count;
    device_newer_ = true;
  }

  [[nodiscard]] const BuiltNetwork& state() const override {
    if (device_newer_) const_cast<DeviceBackend*>(this)->download_state();
    return net_;
  }
  [[nodiscard]] const BuiltNetwork& structure() const override { return net_; }
  [[nodiscard]] BuiltNetwork& mutable_state() override {
    (void)state();
    host_newer_ = true;
    return net_;
  }
  [[nodiscard]] MemoryReport memory() const override { return estimate(); }

  void weights_changed(std::uint32_t projection) override {
    const ProjectionRuntime& proj = net_.projections[projection];
    if (proj.plastic) return;  // part of the dynamic state: uploaded with it
    auto& device = projs_[projection].weights;
    if (device.size() == proj.csr.weights.size()) {
      rt_.upload(device, proj.csr.weights.data(), proj.csr.weights.size());
    } else {  // the first time for a projection that had one weight for all synapses
      device = copy_of(rt_, proj.csr.weights, "synapses");
    }
  }

  std::vector<std::vector<ModulatorState>*> modulator_replicas() override {
    std::vector<std::vector<ModulatorState>*> out;
    for (auto& m : mods_) out.push_back(&m);
    return out;
  }

  void set_replay(std::uint32_t population, ReplayWindow window) override {
    net_.populations[population].replay = std::move(window);
    replay_changed_.at(population) = 1;
  }

 private:
  using DevicePopulation = device::DevicePopulation<Runtime>;
  using DeviceProjection = device::DeviceProjection<Runtime>;
  using DeviceRecorder = device::DeviceRecorder<Runtime>;

  [[nodiscard]] MemoryReport estimate() const { return device_memory(net_, slice_); }

  void allocate() {
    replay_changed_.assign(net_.populations.size(), 1);
    for (const PopulationRuntime& pop : net_.populations) {
      pops_.push_back(make_device_population(rt_, pop, net_.seed, slice_));
    }
    for (const ProjectionRuntime& proj : net_.projections) {
      projs_.push_back(make_device_projection(rt_, proj));
      projs_.back().piece_delivery = prefers_piece_delivery(proj.csr);
    }
    for (const StateRecorderRuntime& rec : net_.recorders) {
      recs_.push_back(make_device_recorder(rt_, rec, slice_));
    }
  }

  // ---- host <-> device ----------------------------------------------------------------

  /// Copies what changes while running (state columns, rings, static currents) one way.
  template <typename Copy>
  void for_each_dynamic(Copy&& copy) {
    for (std::size_t p = 0; p < net_.populations.size(); ++p) {
      PopulationRuntime& pop = net_.populations[p];
      DevicePopulation& d = pops_[p];
      std::visit(
          [&](auto& pp) {
            for (std::size_t c = 0; c < pp.real.size(); ++c) copy(pp.real[c], d.real[c]);
            for (std::size_t c = 0; c < pp.ints.size(); ++c) copy(pp.ints[c], d.ints[c]);
            if constexpr (std::is_same_v<std::decay_t<decltype(pp)>, ElmPopulation>) {
              std::visit(
                  [&](auto& e) {
                    using T = typename std::decay_t<decltype(e.state.trace)>::value_type;
                    std::get<DeviceElm<Runtime, T>>(d.elm).for_each_state(e, copy);
                  },
                  pp.engine);
            }
          },
          pop.state);
      copy(pop.rings, d.rings);
      copy(pop.current_static, d.current_static);
    }
    for (std::size_t k = 0; k < net_.projections.size(); ++k) {
      if (net_.projections[k].plastic) copy(net_.projections[k].csr.weights, projs_[k].weights);
    }
    learning_->for_each_array(copy);
  }

  /// The state up to the device, `next` being the next update to run.
  void upload_state(Step next) {
    for_each_dynamic([&](auto& host, auto& dev) { rt_.upload(dev, host.data(), host.size()); });
    learning_->queues_to_flags(next);
    learning_->upload_subspaces();
    host_newer_ = false;
  }

  void download_state() {
    for_each_dynamic([&](auto& host, auto& dev) { rt_.download(host.data(), dev, host.size()); });
    learning_->flags_to_queues(next_step_);
    device_newer_ = false;
  }

  void upload_replays() {
    for (std::size_t p = 0; p < net_.populations.size(); ++p) {
      if (!replay_changed_[p]) continue;
      const ReplayWindow& w = net_.populations[p].replay;
      DevicePopulation& d = pops_[p];
      if (d.replay_offsets.size() < w.offsets.size()) {
        d.replay_offsets = rt_.template allocate<std::uint64_t>(w.offsets.size(), "replay windows");
      }
      if (d.replay_neurons.size() < w.neurons.size()) {
        d.replay_neurons = rt_.template allocate<std::uint32_t>(w.neurons.size(), "replay windows");
      }
      rt_.upload(d.replay_offsets, w.offsets.data(), w.offsets.size());
      rt_.upload(d.replay_neurons, w.neurons.data(), w.neurons.size());
      replay_changed_[p] = 0;
    }
  }

  // ---- one slice ----------------------------------------------------------------------

  void advance_slice(Step first, Step count, SliceOutput& out) {
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      rt_.zero(pops_[p].step_end, 1);
      for (Step u = first; u < first + count; ++u) {
        apply_current_changes(p, u);
        learning_->before(p, u, mods_[p], arrays_of(p));
        apply_drives(p, u);
        update(p, u);
        emit(p, static_cast<std::uint32_t>(u - first), u);
        learning_->after(p, u, mods_[p], arrays_of(p));
        sample(p, u, first);
      }
    }
    spike_counts_.assign(net_.populations.size(), 0);
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      rt_.download(&spike_counts_[p], pops_[p].step_end, 1, static_cast<std::size_t>(count));
    }
    for (std::size_t j = 0; j < net_.projections.size(); ++j) deliver(j);
    collect(first, count, out);
  }

  void apply_current_changes(std::uint32_t p, Step u) {
    PopulationRuntime& pop = net_.populations[p];
    CurrentCursor& cursor = pop.current;
    while (cursor.next < pop.current_changes.size() && pop.current_changes[cursor.next].step <= u) {
      const CurrentChange& c = pop.current_changes[cursor.next++];
      if (c.subset == kAllNeurons) {
        cursor.all += c.delta;
      } else {
        Buffer<std::uint32_t>& ids = pops_[p].current_subsets[c.subset];
        const auto n = static_cast<std::uint32_t>(ids.size());
        rt_.launch("current_change", grid_for(n),
                   CurrentChangeKernel{ids.data(), n, c.delta, pops_[p].current_static.data()});
      }
    }
  }

  [[nodiscard]] typename DeviceLearning<Runtime>::PopulationArrays arrays_of(std::uint32_t p) {
    return {pops_[p].rings.data(), pops_[p].fired.data()};
  }

  [[nodiscard]] DriveTargets targets(std::uint32_t p, Buffer<std::uint32_t>& subset) {
    const PopulationRuntime& pop = net_.populations[p];
    return DriveTargets{subset.data(), pops_[p].user_ids.data(),
                        subset.size() > 0 ? static_cast<std::uint32_t>(subset.size()) : pop.size};
  }

  [[nodiscard]] Accum* ring_row(std::uint32_t p, int receptor, Step u) {
    const PopulationRuntime& pop = net_.populations[p];
    const std::uint32_t slot = slot_of(u, net_.slots);
    return pops_[p].rings.data() +
           (static_cast<std::uint64_t>(receptor) * net_.slots + slot) * pop.ring_width();
  }

  /// The drives the update kernel does not draw itself, as kernels of their own.
  void apply_drives(std::uint32_t p, Step u) {
    PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    const std::uint64_t index = step_index(u);
    for (const std::size_t k : d.poisson_kernels) {
      const PoissonDrive& drive = pop.poisson[k];
      const DriveTargets to = targets(p, d.poisson_subsets[k]);
      rt_.launch("poisson_drive", grid_for(to.n),
                 PoissonKernel{to, net_.seed, index, poisson_draw(d, k, drive), ring_row(p, drive.receptor, u)});
    }
    if (!d.noise_kernels) return;
    rt_.launch("step_current", grid_for(pop.size),
               StepCurrentKernel{d.current_static.data(), d.current_step.data(), pop.size});
    for (std::size_t k = 0; k < pop.noise.size(); ++k) {
      const NoiseDrive& drive = pop.noise[k];
      rt_.launch("noise_drive", grid_for(pop.size),
                 NoiseKernel{targets(p, d.noise_subsets[k]), net_.seed, index, noise_draw(drive),
                             d.current_step.data()});
    }
  }


  /// A replayed update: the window's flags, and the tiles' counts of them.
  void replay(std::uint32_t p, Step u) {
    const PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    const Grid grid = grid_for(pop.tiles.count);
    rt_.launch("replay", grid,
               ReplayKernel{d.replay_offsets.data(), pop.replay.offsets.size(), d.replay_neurons.data(),
                            pop.replay.first, u, d.fired.data(), pop.tiles});
    rt_.launch("count_spikes", grid, CountFiredKernel{d.fired.data(), pop.tiles, counts_of(p, u)});
  }

  /// The tile counts update u writes: one of two buffers, by parity, so that the write
  /// kernel of update u can zero those of u + 1.
  std::uint32_t* counts_of(std::uint32_t p, Step u) {
    return pops_[p].tile_counts.data() + (u % 2) * std::uint64_t{net_.populations[p].tiles.count};
  }

  void update(std::uint32_t p, Step u) {
    PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    if (u >= pop.clamp_first && u < pop.clamp_stop) {
      ClearSlotsKernel clear{{}, pop.receptors, pop.ring_width()};
      for (int c = 0; c < pop.receptors; ++c) clear.rows[c] = ring_row(p, c, u);
      rt_.launch("clear_slots", grid_for(clear.n), clear);
      replay(p, u);
      return;
    }
    std::visit(
        [&](auto& pp) {
          using M = typename std::decay_t<decltype(pp)>::model;
          if constexpr (std::is_same_v<M, neurons::spike_replay>) {
            replay(p, u);
          } else if constexpr (std::is_same_v<M, neurons::elm>) {
            update_elm(p, u, pp);
          } else {
            UpdateKernel<M> k{};
            k.d = device_derived<M>(pp, d);
            k.v = device_view<M>(d);
            for (int c = 0; c < pop.receptors; ++c) k.rows[c] = ring_row(p, c, u);
            k.current = d.noise_kernels                 ? d.current_step.data()
                        : !pop.current_static.empty() ? d.current_static.data()
                                                      : nullptr;
            k.current_static = d.current_static.data();
            k.current_all = pop.current.all;
            k.drives = d.fused;
            k.drives.index = step_index(u);
            k.ctx = neurons::StepContext{u, net_.seed, pop.stream, d.user_ids.data()};
            k.fired = d.fired.data();
            k.tile_counts = counts_of(p, u);
            k.tile = pop.tiles.tile;
            k.n = pop.size;
            rt_.launch("update", grid_for(pop.size), k);
          }
        },
        pop.state);
  }

  /// An ELM population's update (update_elm of the host kernels).
  void update_elm(std::uint32_t p, Step u, const ElmPopulation& pp) {
    const PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    std::visit(
        [&](auto& e) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(e)>, std::monostate>) {
            using T = typename std::decay_t<decltype(e.view().readout_c[0])>;
            rt_.launch("elm_update", grid_for(pop.size),
                       ElmUpdateKernel<T>{e.view(), e.trace(), e.memory(), e.scratch(), ring_row(p, 0, u),
                                          pp.derived, device_view<neurons::elm>(d),
                                          neurons::StepContext{u, net_.seed, pop.stream, d.user_ids.data()},
                                          d.fired.data(), counts_of(p, u), pop.tiles.tile, pop.size});
          }
        },
        d.elm);
  }

  /// The model's derived constants, pointing at the device's copy of its tables.
  template <typename M, typename P>
  typename M::derived device_derived(const P& pp, DevicePopulation& d) const {
    typename M::derived out = pp.derived;
    if constexpr (requires { M::bind(out, neurons::TableView{}); }) {
      M::bind(out, neurons::TableView{d.table_i64.data(), d.table_u64.data()});
    }
    return out;
  }

  template <typename M>
  typename M::view device_view(DevicePopulation& d) const {
    typename M::view v{};
    for (int c = 0; c < M::n_real; ++c) v.real[c] = d.real[static_cast<std::size_t>(c)].data();
    for (int c = 0; c < M::n_int; ++c) v.ints[c] = d.ints[static_cast<std::size_t>(c)].data();
    return v;
  }

  void emit(std::uint32_t p, std::uint32_t k, Step u) {
    const PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    rt_.launch("write_spikes", grid_for(pop.tiles.count),
               WriteFiredKernel{d.fired.data(), pop.tiles, counts_of(p, u), counts_of(p, u + 1),
                                d.step_end.data(), k, u + 1, d.spike_steps.data(), d.spike_ids.data()});
  }

  void sample(std::uint32_t p, Step u, Step first) {
    for (std::size_t r = 0; r < net_.recorders.size(); ++r) {
      const StateRecorderRuntime& rec = net_.recorders[r];
      if (rec.population != p || !sample_due(rec, u)) continue;
      const auto n = static_cast<std::uint32_t>(rec.neurons.size());
      const std::uint64_t row = static_cast<std::uint64_t>(rows_before(rec, first, u));
      std::visit(
          [&](auto& pp) {
            using M = typename std::decay_t<decltype(pp)>::model;
            rt_.launch("sample", grid_for(n),
                       SampleKernel<M>{device_derived<M>(pp, pops_[p]), device_view<M>(pops_[p]),
                                       rec.variable, recs_[r].neurons.data(), n,
                                       recs_[r].values.data() + row * n});
          },
          net_.populations[p].state);
    }
  }

  /// Samples a recorder took in updates [first, u).
  static Step rows_before(const StateRecorderRuntime& rec, Step first, Step u) {
    // Due after update v when (v + 1) % interval == 0: count multiples in (first, u].
    return u / rec.interval - first / rec.interval;
  }

  // ---- delivery -----------------------------------------------------------------------

  /// The slice's spikes of projection j's source into its target's rings (static synapses;
  /// plastic ones are queued by learning_).
  void deliver(std::size_t j) {
    const ProjectionRuntime& proj = net_.projections[j];
    const std::uint32_t n = spike_counts_[proj.source];
    if (n == 0 || proj.csr.size() == 0 || proj.plastic) return;
    const PopulationRuntime& target = net_.populations[proj.target];
    const DevicePopulation& src = pops_[proj.source];
    Accum* rings = pops_[proj.target].rings.data() +
                   static_cast<std::uint64_t>(proj.receptor) * net_.slots * target.ring_width();
    deliver_spikes(rt_, proj.csr, projs_[j], src.spike_steps.data(), src.spike_ids.data(), n, net_.slots,
                   rings, target.ring_width(), piece_mode_);
  }

  // ---- results ------------------------------------------------------------------------

  /// Copies the slice's spikes and samples back, and feeds the modulators.
  void collect(Step first, Step count, SliceOutput& out) {
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      SliceOutput::Spikes& s = out.spikes[p];
      const std::size_t at = s.ids.size();
      const std::uint32_t n = spike_counts_[p];
      s.steps.resize(at + n);
      s.ids.resize(at + n);
      rt_.download(s.steps.data() + at, pops_[p].spike_steps, n);
      rt_.download(s.ids.data() + at, pops_[p].spike_ids, n);
    }
    for (std::size_t r = 0; r < net_.recorders.size(); ++r) {
      const StateRecorderRuntime& rec = net_.recorders[r];
      SliceOutput::Samples& s = out.samples[r];
      const Step rows = rows_before(rec, first, first + count);
      const std::size_t at = s.values.size();
      s.values.resize(at + static_cast<std::size_t>(rows) * rec.neurons.size());
      rt_.download(s.values.data() + at, recs_[r].values, s.values.size() - at);
      for (Step u = first; u < first + count; ++u) {
        if (sample_due(rec, u)) s.steps.push_back(u + 1);
      }
    }
    learning_->enqueue(out, spike_counts_);
    if (!net_.modulators.empty()) ingest(first, count, out);
  }

  /// The modulators read the slice's spikes on the host, as the serial backend feeds them.
  void ingest(Step first, Step count, const SliceOutput& out) {
    spans_.clear();
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      const SliceOutput::Spikes& s = out.spikes[p];
      const std::size_t n = spike_counts_[p];
      const std::size_t at = s.ids.size() - n;
      spans_.push_back({s.steps.data() + at, s.ids.data() + at, n});
    }
    for (auto& m : mods_) ingest_spikes(net_.modulators, m, spans_, first, count, net_.seed);
  }

  BuiltNetwork net_;
  Runtime rt_;
  std::string name_;
  Step slice_ = 1;
  DeliveryMode piece_mode_ = delivery_mode();
  std::vector<DevicePopulation> pops_;
  std::vector<DeviceProjection> projs_;
  std::vector<DeviceRecorder> recs_;
  std::vector<std::uint8_t> replay_changed_;
  std::vector<std::uint32_t> spike_counts_;  // of the slice, per population
  std::optional<DeviceLearning<Runtime>> learning_;  // made once the buffers exist
  std::vector<std::vector<ModulatorState>> mods_;    // per population: its replica
  Step next_step_ = 0;                               // the first update not yet run
  std::vector<SpikeSpan> spans_;
  bool device_newer_ = false;  // the host copy of the state is stale
  bool host_newer_ = false;    // the device copy is stale (mutable_state was handed out)
};

}  // namespace spikeq::detail::device
