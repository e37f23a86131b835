#pragma once
// The device backend, written once over a runtime (EmulatedRuntime here, CudaRuntime in
// backends/cuda): the host half that owns the device copy of the network and schedules
// the kernels of kernels.hpp. The network's host state (BuiltNetwork) stays the reference
// layout: the device holds the same arrays (columns, rings, CSR, tables), copied up when
// the backend is made or after the host state was changed (a checkpoint restored), and
// copied back when someone reads the state.
//
// One slice: for every population and update, the current changes, the drives, the update
// and the spike emission (count per tile, then a stable compaction), the due samples; then
// one copy back of the spike counts, the delivery of every projection (64-bit integer
// atomics into the rings: the same sums in any order), and the copy back of the spikes
// and samples. The host reads the spike lists as the host backends give them.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "device_elm.hpp"
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
    check_device_support(net_, name_);
    bind_tables(net_);
    slice_ = slice_steps(net_);
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
  struct DevicePopulation {
    std::vector<Buffer<double>> real;
    std::vector<Buffer<std::int32_t>> ints;
    Buffer<std::int64_t> table_i64;
    Buffer<std::uint64_t> table_u64;
    Buffer<Accum> rings;
    Buffer<std::uint8_t> fired;
    Buffer<double> current_static;
    Buffer<double> current_step;
    Buffer<std::uint32_t> user_ids;
    std::vector<Buffer<std::uint32_t>> poisson_subsets;
    std::vector<Buffer<double>> poisson_tables;
    std::vector<PoissonTable> tables;
    std::vector<Buffer<std::uint32_t>> noise_subsets;
    std::vector<Buffer<std::uint32_t>> current_subsets;
    // The drives the update kernel draws itself (index set per step), and the others.
    FusedDrives fused{};
    std::vector<std::size_t> poisson_kernels;  // drive indices with a kernel of their own
    bool noise_kernels = false;                // noise drawn by kernels into current_step
    Buffer<std::uint64_t> replay_offsets;
    Buffer<std::uint32_t> replay_neurons;
    // This slice's spikes, in canonical order; update k of the slice wrote
    // [step_end[k], step_end[k + 1]).
    Buffer<Step> spike_steps;
    Buffer<std::uint32_t> spike_ids;
    Buffer<std::uint32_t> tile_counts;  // two buffers of tiles, by update parity
    Buffer<std::uint32_t> step_end;
    // An ELM population's trained model, in its precision.
    std::variant<std::monostate, DeviceElm<Runtime, float>, DeviceElm<Runtime, double>> elm;
  };
  struct DeviceProjection {
    Buffer<std::uint64_t> row_ptr;
    Buffer<std::uint32_t> piece_end;
    Buffer<SynapseEntry> entries;
    Buffer<float> weights;
    bool piece_delivery = false;
  };
  struct DeviceRecorder {
    Buffer<std::uint32_t> neurons;
    Buffer<double> values;  // the slice's rows
  };

  // ---- memory -------------------------------------------------------------------------

  /// Bytes on the device, before anything is allocated: the host layout's arrays plus the
  /// per-slice spike and sample buffers.
  [[nodiscard]] MemoryReport estimate() const {
    MemoryReport r = memory_of(net_);
    for (const PopulationRuntime& pop : net_.populations) {
      r.recording_bytes += std::uint64_t{pop.size} * static_cast<std::uint64_t>(slice_) *
                               (sizeof(Step) + sizeof(std::uint32_t)) +
                           (pop.tiles.count + static_cast<std::uint64_t>(slice_) + 1) * 4;
    }
    for (const StateRecorderRuntime& rec : net_.recorders) {
      r.recording_bytes += rec.neurons.size() * (4 + sample_rows(rec) * sizeof(double));
    }
    return r;
  }

  /// Rows a recorder can sample in one slice.
  [[nodiscard]] std::uint64_t sample_rows(const StateRecorderRuntime& rec) const {
    return static_cast<std::uint64_t>(slice_ / rec.interval + 1);
  }

  template <typename T>
  Buffer<T> copy_of(const std::vector<T>& v, const char* what) {
    Buffer<T> b = rt_.template allocate<T>(v.size(), what);
    rt_.upload(b, v.data(), v.size());
    return b;
  }

  void allocate() {
    pops_.resize(net_.populations.size());
    replay_changed_.assign(net_.populations.size(), 1);
    for (std::size_t p = 0; p < net_.populations.size(); ++p) allocate_population(p);
    for (const ProjectionRuntime& proj : net_.projections) projs_.push_back(allocate_projection(proj));
    for (const StateRecorderRuntime& rec : net_.recorders) {
      DeviceRecorder d;
      d.neurons = copy_of(rec.neurons, "recorder neurons");
      d.values = rt_.template allocate<double>(sample_rows(rec) * rec.neurons.size(), "samples");
      recs_.push_back(std::move(d));
    }
  }

  void allocate_population(std::size_t p) {
    const PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    std::visit(
        [&](const auto& pp) {
          for (const auto& c : pp.real) d.real.push_back(rt_.template allocate<double>(c.size(), "state"));
          for (const auto& c : pp.ints) d.ints.push_back(rt_.template allocate<std::int32_t>(c.size(), "state"));
          d.table_i64 = copy_of(pp.tables.i64, "model tables");
          d.table_u64 = copy_of(pp.tables.u64, "model tables");
          if constexpr (std::is_same_v<std::decay_t<decltype(pp)>, ElmPopulation>) {
            std::visit(
                [&](const auto& e) {
                  using T = typename std::decay_t<decltype(e.state.trace)>::value_type;
                  d.elm.template emplace<DeviceElm<Runtime, T>>(rt_, e, pop.size);
                },
                pp.engine);
          }
        },
        pop.state);
    d.rings = rt_.template allocate<Accum>(pop.rings.size(), "rings");
    d.fired = rt_.template allocate<std::uint8_t>(pop.size, "spike flags");
    d.current_static = rt_.template allocate<double>(pop.current_static.size(), "currents");
    d.current_step = rt_.template allocate<double>(pop.noise.empty() ? 0 : pop.size, "currents");
    d.user_ids = copy_of(pop.user_of_internal, "neuron ids");
    for (const PoissonDrive& drive : pop.poisson) {
      d.poisson_subsets.push_back(copy_of(drive.neurons, "drive targets"));
      d.tables.push_back(drive.table.made_for(drive.lambda, drive.exp_minus_lambda)
                             ? drive.table
                             : make_poisson_table(drive.lambda, drive.exp_minus_lambda));
      const PoissonTable& t = d.tables.back();
      d.poisson_tables.push_back(rt_.template allocate<double>(t.size, "drive tables"));
      rt_.upload(d.poisson_tables.back(), t.cdf.data(), t.size);
    }
    for (const NoiseDrive& drive : pop.noise) d.noise_subsets.push_back(copy_of(drive.neurons, "drive targets"));
    plan_drives(pop, d);
    for (const auto& s : pop.current_subsets) d.current_subsets.push_back(copy_of(s, "current targets"));
    const std::uint64_t most = std::uint64_t{pop.size} * static_cast<std::uint64_t>(slice_);
    d.spike_steps = rt_.template allocate<Step>(most, "spike buffers");
    d.spike_ids = rt_.template allocate<std::uint32_t>(most, "spike buffers");
    d.tile_counts = rt_.template allocate<std::uint32_t>(2 * std::size_t{pop.tiles.count}, "spike buffers");
    d.step_end = rt_.template allocate<std::uint32_t>(static_cast<std::size_t>(slice_) + 1, "spike buffers");
  }

  /// Which drives the update kernel draws: Poisson drives of every neuron (up to
  /// kFusedDrives), and the noise when every noise drive reaches every neuron (its sum
  /// order is then the host's); the others get kernels of their own.
  void plan_drives(const PopulationRuntime& pop, DevicePopulation& d) {
    d.fused.seed = net_.seed;
    // An ELM update reads its inputs slot by slot: its drives run before it, on their own.
    const bool elm = std::holds_alternative<ElmPopulation>(pop.state);
    for (std::size_t k = 0; k < pop.poisson.size(); ++k) {
      const PoissonDrive& drive = pop.poisson[k];
      if (elm || !drive.neurons.empty() || d.fused.n_poisson == kFusedDrives) {
        d.poisson_kernels.push_back(k);
        continue;
      }
      const PoissonTable& t = d.tables[k];
      d.fused.poisson[d.fused.n_poisson++] =
          FusedPoisson{drive.stream, d.poisson_tables[k].data(), t.size,  drive.lambda,
                       t.p_last,     drive.weight,               drive.receptor};
    }
    const bool all_full = std::all_of(pop.noise.begin(), pop.noise.end(),
                                      [](const NoiseDrive& n) { return n.neurons.empty(); });
    d.noise_kernels = !pop.noise.empty() && (elm || !all_full || pop.noise.size() > kFusedDrives);
    if (d.noise_kernels) return;
    for (const NoiseDrive& drive : pop.noise) {
      d.fused.noise[d.fused.n_noise++] = FusedNoise{drive.stream, drive.mean, drive.sd,
                                                    drive.distribution == NoiseDistribution::uniform};
    }
  }

  DeviceProjection allocate_projection(const ProjectionRuntime& proj) {
    DeviceProjection d;
    d.row_ptr = copy_of(proj.csr.row_ptr, "synapses");
    d.piece_end = copy_of(proj.csr.piece_end, "synapses");
    d.entries = copy_of(proj.csr.entries, "synapses");
    d.weights = copy_of(proj.csr.weights, "synapses");
    d.piece_delivery = piece_delivery(proj.csr);
    return d;
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
    learning_->for_each_array(net_, copy);
  }

  /// The state up to the device, `next` being the next update to run.
  void upload_state(Step next) {
    for_each_dynamic([&](auto& host, auto& dev) { rt_.upload(dev, host.data(), host.size()); });
    learning_->queues_to_flags(net_, next);
    host_newer_ = false;
  }

  void download_state() {
    for_each_dynamic([&](auto& host, auto& dev) { rt_.download(host.data(), dev, host.size()); });
    learning_->flags_to_queues(net_, next_step_);
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
        learning_->before(net_, p, u, mods_[p], arrays_of(p));
        apply_drives(p, u);
        update(p, u);
        emit(p, static_cast<std::uint32_t>(u - first), u);
        learning_->after(net_, p, u, mods_[p], arrays_of(p));
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
      const PoissonTable& t = d.tables[k];
      rt_.launch("poisson_drive", grid_for(to.n),
                 PoissonKernel{to, net_.seed, drive.stream, index, d.poisson_tables[k].data(), t.size,
                               drive.lambda, t.p_last, drive.weight, ring_row(p, drive.receptor, u)});
    }
    if (!d.noise_kernels) return;
    rt_.launch("step_current", grid_for(pop.size),
               StepCurrentKernel{d.current_static.data(), d.current_step.data(), pop.size});
    for (std::size_t k = 0; k < pop.noise.size(); ++k) {
      const NoiseDrive& drive = pop.noise[k];
      rt_.launch("noise_drive", grid_for(pop.size),
                 NoiseKernel{targets(p, d.noise_subsets[k]), net_.seed, drive.stream, index, drive.mean,
                             drive.sd, drive.distribution == NoiseDistribution::uniform,
                             d.current_step.data()});
    }
  }

  [[nodiscard]] TileRange tiles_of(const PopulationRuntime& pop) const {
    return TileRange{pop.size, pop.tiles.tile, pop.tiles.count};
  }

  /// A replayed update: the window's flags, and the tiles' counts of them.
  void replay(std::uint32_t p, Step u) {
    const PopulationRuntime& pop = net_.populations[p];
    DevicePopulation& d = pops_[p];
    const Grid grid = grid_for(pop.tiles.count);
    rt_.launch("replay", grid,
               ReplayKernel{d.replay_offsets.data(), pop.replay.offsets.size(), d.replay_neurons.data(),
                            pop.replay.first, u, d.fired.data(), tiles_of(pop)});
    rt_.launch("count_spikes", grid, CountFiredKernel{d.fired.data(), tiles_of(pop), counts_of(p, u)});
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
               WriteFiredKernel{d.fired.data(), tiles_of(pop), counts_of(p, u), counts_of(p, u + 1),
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

  /// Delivery by warps per (spike, tile) piece pays where pieces are long enough to keep a
  /// warp's lanes busy; short pieces go one thread per spike (docs/architecture.md).
  static bool piece_delivery(const ProjectionCsr& csr) {
    const std::uint64_t pieces = std::uint64_t{csr.n_source} * csr.tiles.count;
    return pieces > 0 && csr.size() >= pieces * kPieceDeliveryMinSynapses;
  }
  static constexpr std::uint64_t kPieceDeliveryMinSynapses = 16;

  void deliver(std::size_t j) {
    const ProjectionRuntime& proj = net_.projections[j];
    DeviceProjection& d = projs_[j];
    const std::uint32_t n = spike_counts_[proj.source];
    if (n == 0 || proj.csr.size() == 0 || proj.plastic) return;  // plastic: queued (learning_)
    const PopulationRuntime& target = net_.populations[proj.target];
    DevicePopulation& src = pops_[proj.source];
    const ProjectionCsr& c = proj.csr;
    const DeliveryArgs a{
        TileSynapses{d.row_ptr.data(), d.piece_end.data(), 0, c.tiles.count, d.entries.data(),
                     c.homogeneous_weight ? nullptr : d.weights.data(), to_fixed(c.weight0), c.delay0,
                     c.uniform_delay},
        TileRange{c.tiles.size, c.tiles.tile, c.tiles.count},
        src.spike_steps.data(), src.spike_ids.data(), n, net_.slots,
        pops_[proj.target].rings.data() +
            static_cast<std::uint64_t>(proj.receptor) * net_.slots * target.ring_width(),
        target.ring_width()};
    const bool piece = piece_mode_ == DeliveryMode::piece ||
                       (piece_mode_ == DeliveryMode::automatic && d.piece_delivery);
    auto launch = [&](auto homogeneous, auto uniform) {
      constexpr bool H = decltype(homogeneous)::value;
      constexpr bool U = decltype(uniform)::value;
      if (piece) {
        rt_.launch("deliver_piece", grid_for(std::uint64_t{n} * c.tiles.count * kWarp),
                   DeliverPieceKernel<H, U>{a});
      } else {
        rt_.launch("deliver_row", grid_for(n), DeliverRowKernel<H, U>{a});
      }
    };
    using T = std::true_type;
    using F = std::false_type;
    if (c.homogeneous_weight) {
      c.uniform_delay ? launch(T{}, T{}) : launch(T{}, F{});
    } else {
      c.uniform_delay ? launch(F{}, T{}) : launch(F{}, F{});
    }
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
    learning_->enqueue(net_, out, spike_counts_);
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
