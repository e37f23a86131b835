#pragma once
// What the device backend keeps on the device per population, projection and recorder,
// and how it is made from the host layout (host_state.hpp): the same arrays, copied, plus
// the per-slice spike and sample buffers and each population's plan of which drives its
// update kernel draws in place. device_memory() gives the bytes before anything is
// allocated, for the check against the device's free memory.
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <variant>
#include <vector>

#include "device_copy.hpp"
#include "device_elm.hpp"
#include "spikeq/backends/backend.hpp"
#include "spikeq/backends/device/kernels.hpp"

namespace spikeq::detail::device {

template <typename Runtime>
struct DevicePopulation {
  template <typename T>
  using Buffer = typename Runtime::template Buffer<T>;

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

template <typename Runtime>
struct DeviceProjection {
  template <typename T>
  using Buffer = typename Runtime::template Buffer<T>;

  Buffer<std::uint64_t> row_ptr;
  Buffer<std::uint32_t> piece_end;
  Buffer<SynapseEntry> entries;
  Buffer<float> weights;
  bool piece_delivery = false;
};

template <typename Runtime>
struct DeviceRecorder {
  typename Runtime::template Buffer<std::uint32_t> neurons;
  typename Runtime::template Buffer<double> values;  // the slice's rows
};

/// Rows a recorder can sample in one slice of `slice` steps.
inline std::uint64_t sample_rows(const StateRecorderRuntime& rec, Step slice) {
  return static_cast<std::uint64_t>(slice / rec.interval + 1);
}

/// Bytes on the device: the host layout's arrays plus the per-slice spike and sample
/// buffers.
inline MemoryReport device_memory(const BuiltNetwork& net, Step slice) {
  MemoryReport r = memory_of(net);
  for (const PopulationRuntime& pop : net.populations) {
    r.recording_bytes += std::uint64_t{pop.size} * static_cast<std::uint64_t>(slice) *
                             (sizeof(Step) + sizeof(std::uint32_t)) +
                         (2 * std::uint64_t{pop.tiles.count} + static_cast<std::uint64_t>(slice) + 1) * 4;
  }
  for (const StateRecorderRuntime& rec : net.recorders) {
    r.recording_bytes += rec.neurons.size() * (4 + sample_rows(rec, slice) * sizeof(double));
  }
  return r;
}

/// How Poisson drive k of a population draws on the device.
template <typename Runtime>
PoissonDraw poisson_draw(const DevicePopulation<Runtime>& d, std::size_t k, const PoissonDrive& drive) {
  const PoissonTable& t = d.tables[k];
  return PoissonDraw{drive.stream,
                     PoissonLaw{d.poisson_tables[k].data(), t.size, drive.lambda, drive.exp_minus_lambda, t.p_last},
                     drive.weight, drive.receptor};
}

/// How a noise drive draws on the device.
inline NoiseDraw noise_draw(const NoiseDrive& drive) {
  return NoiseDraw{drive.stream, drive.mean, drive.sd, drive.distribution == NoiseDistribution::uniform};
}

/// Which drives the update kernel draws: Poisson drives of every neuron (up to
/// kFusedDrives), and the noise when every noise drive reaches every neuron (its sum order
/// is then the host's); the others get kernels of their own. An ELM update reads its inputs
/// slot by slot, so its drives all run before it, on their own.
template <typename Runtime>
void plan_drives(const PopulationRuntime& pop, std::uint64_t seed, DevicePopulation<Runtime>& d) {
  d.fused.seed = seed;
  const bool elm = std::holds_alternative<ElmPopulation>(pop.state);
  for (std::size_t k = 0; k < pop.poisson.size(); ++k) {
    const PoissonDrive& drive = pop.poisson[k];
    if (elm || !drive.neurons.empty() || d.fused.n_poisson == kFusedDrives) {
      d.poisson_kernels.push_back(k);
      continue;
    }
    d.fused.poisson[d.fused.n_poisson++] = poisson_draw(d, k, drive);
  }
  const bool all_full = std::all_of(pop.noise.begin(), pop.noise.end(),
                                    [](const NoiseDrive& n) { return n.neurons.empty(); });
  d.noise_kernels = !pop.noise.empty() && (elm || !all_full || pop.noise.size() > kFusedDrives);
  if (d.noise_kernels) return;
  for (const NoiseDrive& drive : pop.noise) d.fused.noise[d.fused.n_noise++] = noise_draw(drive);
}

/// The model's columns and tables of a population (the values come with the state).
template <typename Runtime>
void allocate_model(Runtime& rt, const PopulationRuntime& pop, DevicePopulation<Runtime>& d) {
  std::visit(
      [&](const auto& pp) {
        for (const auto& c : pp.real) d.real.push_back(rt.template allocate<double>(c.size(), "state"));
        for (const auto& c : pp.ints) d.ints.push_back(rt.template allocate<std::int32_t>(c.size(), "state"));
        d.table_i64 = copy_of(rt, pp.tables.i64, "model tables");
        d.table_u64 = copy_of(rt, pp.tables.u64, "model tables");
        if constexpr (std::is_same_v<std::decay_t<decltype(pp)>, ElmPopulation>) {
          std::visit(
              [&](const auto& e) {
                using T = typename std::decay_t<decltype(e.state.trace)>::value_type;
                d.elm.template emplace<DeviceElm<Runtime, T>>(rt, e, pop.size);
              },
              pp.engine);
        }
      },
      pop.state);
}

/// A population's device arrays; spike buffers for slices of `slice` steps.
template <typename Runtime>
DevicePopulation<Runtime> make_device_population(Runtime& rt, const PopulationRuntime& pop,
                                                 std::uint64_t seed, Step slice) {
  DevicePopulation<Runtime> d;
  allocate_model(rt, pop, d);
  d.rings = rt.template allocate<Accum>(pop.rings.size(), "rings");
  d.fired = rt.template allocate<std::uint8_t>(pop.size, "spike flags");
  d.current_static = rt.template allocate<double>(pop.current_static.size(), "currents");
  d.current_step = rt.template allocate<double>(pop.noise.empty() ? 0 : pop.size, "currents");
  d.user_ids = copy_of(rt, pop.user_of_internal, "neuron ids");
  for (const PoissonDrive& drive : pop.poisson) {
    d.poisson_subsets.push_back(copy_of(rt, drive.neurons, "drive targets"));
    // Drives made outside the build (tests, other front ends) may come without a table;
    // from 40 per step none is used (PTRS, as on the host): an empty one says so.
    if (!(drive.lambda < 40.0)) {
      d.tables.push_back(PoissonTable{});
    } else {
      d.tables.push_back(drive.table.made_for(drive.lambda, drive.exp_minus_lambda)
                             ? drive.table
                             : make_poisson_table(drive.lambda, drive.exp_minus_lambda));
    }
    const PoissonTable& t = d.tables.back();
    d.poisson_tables.push_back(rt.template allocate<double>(t.size, "drive tables"));
    rt.upload(d.poisson_tables.back(), t.cdf.data(), t.size);
  }
  for (const NoiseDrive& drive : pop.noise) d.noise_subsets.push_back(copy_of(rt, drive.neurons, "drive targets"));
  plan_drives(pop, seed, d);
  for (const auto& s : pop.current_subsets) d.current_subsets.push_back(copy_of(rt, s, "current targets"));
  const std::uint64_t most = std::uint64_t{pop.size} * static_cast<std::uint64_t>(slice);
  d.spike_steps = rt.template allocate<Step>(most, "spike buffers");
  d.spike_ids = rt.template allocate<std::uint32_t>(most, "spike buffers");
  d.tile_counts = rt.template allocate<std::uint32_t>(2 * std::size_t{pop.tiles.count}, "spike buffers");
  d.step_end = rt.template allocate<std::uint32_t>(static_cast<std::size_t>(slice) + 1, "spike buffers");
  return d;
}

/// A projection's synapse storage on the device.
template <typename Runtime>
DeviceProjection<Runtime> make_device_projection(Runtime& rt, const ProjectionRuntime& proj) {
  DeviceProjection<Runtime> d;
  d.row_ptr = copy_of(rt, proj.csr.row_ptr, "synapses");
  d.piece_end = copy_of(rt, proj.csr.piece_end, "synapses");
  d.entries = copy_of(rt, proj.csr.entries, "synapses");
  d.weights = copy_of(rt, proj.csr.weights, "synapses");
  return d;
}

/// A state recorder's neuron list and its rows of one slice.
template <typename Runtime>
DeviceRecorder<Runtime> make_device_recorder(Runtime& rt, const StateRecorderRuntime& rec, Step slice) {
  DeviceRecorder<Runtime> d;
  d.neurons = copy_of(rt, rec.neurons, "recorder neurons");
  d.values = rt.template allocate<double>(sample_rows(rec, slice) * rec.neurons.size(), "samples");
  return d;
}

}  // namespace spikeq::detail::device
