// The oneTBB backend. Work is cut into fixed neuron tiles (tiles.hpp), the same for every
// thread count. Each slice of min_delay steps is one phase of a PhaseTeam, and the work
// item of (slice, tile) is: deliver the previous slice's spikes into the tile's ring
// columns, then update the tile's neurons through the slice. A tile's ring columns, state
// and drives are touched by its own item only, and ring sums are integers, so the
// results equal the serial backend's for any thread count and any schedule; which
// thread runs an item changes only speed (each tile has a home thread, for its caches).
// One extra phase at the end delivers the last slice, so on return the rings hold every
// spike.
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <utility>

#include "spikeq/backends/host_backend.hpp"
#include "spikeq/backends/host_kernels.hpp"
#include "spikeq/backends/plastic_kernels.hpp"
#include "phase_team.hpp"

namespace spikeq::detail {
namespace {

/// One tile of one population and everything only its owner writes.
struct alignas(64) TileWork {
  std::uint32_t population = 0;
  std::uint32_t tile = 0;
  std::uint32_t i0 = 0, i1 = 0;
  CurrentCursor current;
  std::vector<ModulatorState> modulators;  // this tile's replica
  std::vector<SpikeSpan> spans;            // scratch: the last slice's spikes, per population
  SliceOutput::Spikes fresh;       // of the slice being updated
  SliceOutput::Spikes spikes;      // of every step of the current advance() call
  struct Picks {                   // recorded neurons of this tile
    std::uint32_t recorder;
    std::vector<std::uint32_t> neurons;  // internal ids
    std::vector<std::uint32_t> columns;  // their columns in the recorder's rows
  };
  std::vector<Picks> picks;
};

/// The spikes of one population in one slice, written by its tiles in any order (each
/// reserves room with one atomic add) and read by every tile that delivers them: one
/// list per population, so a delivering tile reads a few shared cache lines instead of
/// every source tile's own buffer. Delivery adds integers, so the order is free.
/// Slice j uses lists[j % 2]: it is read during slice j + 1 while slice j + 1 fills the
/// other one, and refilled only in slice j + 2, after every reader is done.
struct SliceSpikes {
  std::array<std::vector<Step>, 2> steps;
  std::array<std::vector<std::uint32_t>, 2> ids;
};

/// Spike count of (slice, population) within one advance() call, on its own cache line.
struct alignas(64) SliceCount {
  std::atomic<std::uint64_t> n{0};
};

class TbbBackend final : public HostBackend {
 public:
  TbbBackend(BuiltNetwork net, int threads)
      : HostBackend(std::move(net)), threads_(threads), arena_(threads) {
    first_tile_.resize(net_.populations.size());
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      const PopulationRuntime& pop = net_.populations[p];
      first_tile_[p] = static_cast<std::uint32_t>(work_.size());
      for (std::uint32_t t = 0; t < pop.tiles.count; ++t) {
        TileWork w;
        w.population = p;
        w.tile = t;
        w.i0 = pop.tiles.begin(t);
        w.i1 = pop.tiles.end(t);
        w.current = pop.current;
        w.modulators = initial_modulators(net_);
        work_.push_back(std::move(w));
      }
    }
    incoming_.resize(net_.populations.size());
    for (std::uint32_t k = 0; k < net_.projections.size(); ++k) {
      incoming_[net_.projections[k].target].push_back(k);
    }
    for (std::uint32_t r = 0; r < net_.recorders.size(); ++r) add_picks(r);
    split_homes();
    shared_.resize(net_.populations.size());
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      // At most one spike per neuron and step.
      const std::size_t most = static_cast<std::size_t>(net_.populations[p].size) *
                               static_cast<std::size_t>(net_.min_delay);
      for (int parity = 0; parity < 2; ++parity) {
        shared_[p].steps[parity].resize(most);
        shared_[p].ids[parity].resize(most);
      }
    }
  }

  [[nodiscard]] std::string name() const override { return "tbb"; }

  void advance(Step first, Step count, SliceOutput& out) override {
    out.reset(net_.populations.size(), net_.recorders.size());
    if (count <= 0) return;
    const Step md = net_.min_delay;
    const std::uint64_t slices = static_cast<std::uint64_t>((count + md - 1) / md);
    for (TileWork& w : work_) {
      w.spikes.steps.clear();
      w.spikes.ids.clear();
    }
    prepare_samples(first, count, out);
    counts_ = std::vector<SliceCount>(slices * net_.populations.size());

    // Phases 0 .. slices-1 update; phase `slices` only delivers the last slice.
    PhaseTeam team(slices + 1, home_);
    auto item = [&](std::uint64_t j, std::uint64_t k) {
      TileWork& w = work_[k];
      if (j > 0) {
        deliver_into(w, j - 1);
        if (!net_.modulators.empty()) {
          const Step begin = first + static_cast<Step>(j - 1) * md;
          ingest_into(w, j - 1, begin, std::min(md, first + count - begin));
        }
      }
      if (j < slices) {
        const Step begin = first + static_cast<Step>(j) * md;
        SliceOutput::Spikes& fresh = w.fresh;
        fresh.steps.clear();
        fresh.ids.clear();
        update(w, begin, std::min(md, first + count - begin), first, fresh, out);
        w.spikes.steps.insert(w.spikes.steps.end(), fresh.steps.begin(), fresh.steps.end());
        w.spikes.ids.insert(w.spikes.ids.end(), fresh.ids.begin(), fresh.ids.end());
        publish(w.population, j, fresh);
      }
    };
    arena_.execute([&] {
      tbb::task_group group;
      for (int t = 1; t < threads_; ++t) {
        group.run([&, t] { team.run(static_cast<std::uint32_t>(t), item); });
      }
      team.run(0, item);
      group.wait();
    });
    team.rethrow();
    gather_spikes(first, count, out);
  }

  std::vector<std::vector<ModulatorState>*> modulator_replicas() override {
    std::vector<std::vector<ModulatorState>*> out;
    for (TileWork& w : work_) out.push_back(&w.modulators);
    return out;
  }

 private:
  void add_picks(std::uint32_t r) {
    const StateRecorderRuntime& rec = net_.recorders[r];
    const Tiling& tiles = net_.populations[rec.population].tiles;
    for (std::uint32_t c = 0; c < rec.neurons.size(); ++c) {
      TileWork& w = work_[first_tile_[rec.population] + tiles.tile_of(rec.neurons[c])];
      if (w.picks.empty() || w.picks.back().recorder != r) w.picks.push_back({r, {}, {}});
      w.picks.back().neurons.push_back(rec.neurons[c]);
      w.picks.back().columns.push_back(c);
    }
  }

  /// Gives each thread a contiguous run of tiles with about the same number of neurons.
  void split_homes() {
    std::uint64_t total = 0;
    for (const TileWork& w : work_) total += w.i1 - w.i0;
    home_.assign(1, 0);
    std::uint64_t seen = 0;
    for (std::uint32_t k = 0; k < work_.size(); ++k) {
      seen += work_[k].i1 - work_[k].i0;
      // Close thread t's run once it holds its share (t + 1) / threads of the neurons.
      while (home_.size() < static_cast<std::size_t>(threads_) &&
             seen * static_cast<std::uint64_t>(threads_) >= total * home_.size()) {
        home_.push_back(k + 1);
      }
    }
    while (home_.size() <= static_cast<std::size_t>(threads_)) {
      home_.push_back(static_cast<std::uint32_t>(work_.size()));
    }
  }

  /// Sizes every recorder's rows for the steps ahead, so tiles write their columns.
  void prepare_samples(Step first, Step count, SliceOutput& out) const {
    for (std::size_t r = 0; r < net_.recorders.size(); ++r) {
      const StateRecorderRuntime& rec = net_.recorders[r];
      SliceOutput::Samples& s = out.samples[r];
      for (Step u = first; u < first + count; ++u) {
        if (sample_due(rec, u)) s.steps.push_back(u + 1);
      }
      s.values.assign(s.steps.size() * rec.neurons.size(), 0.0);
    }
  }

  void update(TileWork& w, Step begin, Step n, Step first, SliceOutput::Spikes& spikes,
              SliceOutput& out) {
    PopulationRuntime& pop = net_.populations[w.population];
    for (Step u = begin; u < begin + n; ++u) {
      begin_step(pop, w.current, u, w.i0, w.i1);
      apply_drives(pop, net_.seed, u, net_.slots, w.i0, w.i1);
      plastic_before(net_, w.population, w.i0, w.i1, u, w.modulators);
      update_neurons(pop, w.current, net_.seed, u, net_.slots, w.i0, w.i1);
      const std::size_t before = spikes.ids.size();
      collect_spikes(pop, u, w.i0, w.i1, spikes);
      plastic_after(net_, w.population, w.i0, w.i1, u, w.modulators, spikes.ids.data() + before,
                    spikes.ids.size() - before);
      for (const TileWork::Picks& p : w.picks) {
        const StateRecorderRuntime& rec = net_.recorders[p.recorder];
        if (!sample_due(rec, u)) continue;
        // Rows of the steps due in [first, u): the multiples of the interval in (first, u].
        const auto row = static_cast<std::size_t>(u / rec.interval - first / rec.interval);
        double* values = out.samples[p.recorder].values.data() + row * rec.neurons.size();
        sample_neurons(pop, rec.variable, p.neurons.data(), p.columns.data(), p.neurons.size(),
                       values);
      }
    }
  }

  void publish(std::uint32_t p, std::uint64_t j, const SliceOutput::Spikes& fresh) {
    if (fresh.ids.empty()) return;
    const std::uint64_t at = counts_[j * net_.populations.size() + p].n.fetch_add(
        fresh.ids.size(), std::memory_order_relaxed);
    SliceSpikes& list = shared_[p];
    std::copy(fresh.steps.begin(), fresh.steps.end(), list.steps[j % 2].begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(fresh.ids.begin(), fresh.ids.end(), list.ids[j % 2].begin() + static_cast<std::ptrdiff_t>(at));
  }

  /// Delivers the spikes of slice j, of every source population, into tile w.
  void deliver_into(TileWork& w, std::uint64_t j) {
    PopulationRuntime& target = net_.populations[w.population];
    for (std::uint32_t k : incoming_[w.population]) {
      const ProjectionRuntime& proj = net_.projections[k];
      const std::uint64_t n =
          counts_[j * net_.populations.size() + proj.source].n.load(std::memory_order_relaxed);
      if (n == 0) continue;
      const SliceSpikes& list = shared_[proj.source];
      if (proj.plastic) {
        enqueue_tile(net_.projections[k], w.tile, list.steps[j % 2].data(),
                     list.ids[j % 2].data(), n, net_.slots);
      } else {
        deliver_tile(proj, target, w.tile, list.steps[j % 2].data(), list.ids[j % 2].data(), n,
                     net_.slots);
      }
    }
  }

  /// Advances tile w's modulator replica by the spikes of slice j (every tile reads the
  /// same spikes, so every replica makes the same jumps).
  void ingest_into(TileWork& w, std::uint64_t j, Step begin, Step n) {
    std::vector<SpikeSpan>& spans = w.spans;
    spans.resize(net_.populations.size());
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      const SliceSpikes& list = shared_[p];
      spans[p] = {list.steps[j % 2].data(), list.ids[j % 2].data(),
                  counts_[j * net_.populations.size() + p].n.load(std::memory_order_relaxed)};
    }
    ingest_spikes(net_.modulators, w.modulators, spans, begin, n, net_.seed);
  }

  /// Merges the tiles' spikes into (step, id) order per population.
  void gather_spikes(Step first, Step count, SliceOutput& out) {
    for (std::uint32_t p = 0; p < net_.populations.size(); ++p) {
      const std::uint32_t t0 = first_tile_[p];
      const std::uint32_t tiles = net_.populations[p].tiles.count;
      cursor_.assign(tiles, 0);
      SliceOutput::Spikes& dst = out.spikes[p];
      for (Step u = first; u < first + count; ++u) {
        for (std::uint32_t t = 0; t < tiles; ++t) {
          const SliceOutput::Spikes& src = work_[t0 + t].spikes;
          std::size_t& c = cursor_[t];
          const std::size_t b = c;
          while (c < src.steps.size() && src.steps[c] == u + 1) ++c;
          dst.steps.insert(dst.steps.end(), src.steps.begin() + static_cast<std::ptrdiff_t>(b),
                           src.steps.begin() + static_cast<std::ptrdiff_t>(c));
          dst.ids.insert(dst.ids.end(), src.ids.begin() + static_cast<std::ptrdiff_t>(b),
                         src.ids.begin() + static_cast<std::ptrdiff_t>(c));
        }
      }
    }
  }

  int threads_;
  tbb::task_arena arena_;
  std::vector<TileWork> work_;                      // population by population, tile order
  std::vector<std::uint32_t> first_tile_;           // per population, index into work_
  std::vector<std::vector<std::uint32_t>> incoming_;  // per population, projection indices
  std::vector<std::size_t> cursor_;                 // scratch of gather_spikes
  std::vector<std::uint32_t> home_;                 // threads_ + 1 bounds into work_
  std::vector<SliceSpikes> shared_;                 // per population
  std::vector<SliceCount> counts_;                  // [slice][population] of one advance()
};

}  // namespace

std::unique_ptr<Backend> make_tbb_backend(BuiltNetwork network, int threads) {
  return std::make_unique<TbbBackend>(std::move(network), threads);
}

}  // namespace spikeq::detail
