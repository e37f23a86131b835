// An NWB units table: /units/spike_times holds every unit's spikes one unit after the
// other (seconds), /units/spike_times_index the end of each unit's run, /units/id the
// unit ids. Units are merged in time order from a small buffer per unit, refilled from the
// file as it empties, so memory grows with the number of units, not of spikes.
#include <algorithm>
#include <queue>

#include "../hdf5/datasets.hpp"
#include "../hdf5/errors.hpp"
#include "../hdf5/files.hpp"
#include "raw_spikes.hpp"

namespace spikeq::io::replay {
namespace {

using hdf5::Where;

constexpr hsize_t kPerUnit = 1024;

class NwbSpikes final : public RawSpikes {
 public:
  explicit NwbSpikes(const ReplayOptions& o) : path_(o.path), file_(hdf5::open_file(o.path)) {
    times_ = hdf5::open_dataset(file_.get(), "/units/spike_times", at("spike_times"));
    const hdf5::Dataset index = hdf5::open_dataset(file_.get(), "/units/spike_times_index",
                                                   at("spike_times_index"));
    const hdf5::Dataset id = hdf5::open_dataset(file_.get(), "/units/id", at("id"));
    const auto nt = hdf5::dimensions(times_.get(), at("spike_times"));
    if (nt.size() != 1) hdf5::fail(at("spike_times"), "must be 1-D");
    (void)hdf5::read_doubles_range(times_.get(), 0, 0, at("spike_times"));  // type check
    const auto ends = hdf5::read_integers(index.get(), at("spike_times_index"));
    const auto ids = hdf5::read_integers(id.get(), at("id"));
    if (ids.size() != ends.size()) {
      hdf5::fail(at("id"), "has " + std::to_string(ids.size()) + " units, spike_times_index " +
                               std::to_string(ends.size()));
    }
    std::int64_t previous = 0;
    for (std::size_t u = 0; u < ends.size(); ++u) {
      if (ends[u] < previous || ends[u] > static_cast<std::int64_t>(nt[0])) {
        hdf5::fail(at("spike_times_index"),
                   "entry " + std::to_string(u) + " (" + std::to_string(ends[u]) +
                       ") must not decrease and not exceed the " + std::to_string(nt[0]) +
                       " spike times");
      }
      if (ids[u] < 0) hdf5::fail(at("id"), "negative unit id " + std::to_string(ids[u]));
      units_.push_back(Unit{static_cast<std::uint64_t>(ids[u]), static_cast<hsize_t>(previous),
                            static_cast<hsize_t>(ends[u]), {}, 0, 0.0});
      previous = ends[u];
    }
    for (std::size_t u = 0; u < units_.size(); ++u) {
      if (refill(u)) heap_.push({units_[u].buffer[0], u});
    }
  }

  bool next(std::vector<double>& t, std::vector<std::uint64_t>& unit) override {
    if (heap_.empty()) return false;
    const hdf5::QuietErrors quiet;
    t.clear();
    unit.clear();
    while (!heap_.empty() && t.size() < kChunk) {
      const auto [time, u] = heap_.top();
      heap_.pop();
      Unit& x = units_[u];
      t.push_back(time);
      unit.push_back(x.id);
      if (++x.pos == x.buffer.size() && !refill(u)) continue;
      heap_.push({x.buffer[x.pos], u});
    }
    return true;
  }

  [[nodiscard]] std::uint64_t buffered() const override {
    std::uint64_t n = 0;
    for (const Unit& x : units_) n += x.buffer.size() - x.pos;
    return n;
  }
  [[nodiscard]] std::string where() const override { return path_ + ": /units/id"; }

 private:
  struct Unit {
    std::uint64_t id;
    hsize_t next, end;  // its spikes not yet read: [next, end) of spike_times
    std::vector<double> buffer;
    std::size_t pos;
    double last;  // ms, its previous spike
  };
  struct Head {
    double time;
    std::size_t unit;
    // Earliest first; equal times by unit row, so the order is a function of the file.
    bool operator<(const Head& o) const { return time != o.time ? time > o.time : unit > o.unit; }
  };

  [[nodiscard]] Where at(const char* name) const { return Where{path_, std::string("/units/") + name}; }

  /// Reads unit u's next spikes into its buffer; false when it has none left.
  bool refill(std::size_t u) {
    Unit& x = units_[u];
    if (x.next >= x.end) {
      x.buffer.clear();
      x.pos = 0;
      return false;
    }
    const hsize_t n = std::min(kPerUnit, x.end - x.next);
    x.buffer = hdf5::read_doubles_range(times_.get(), x.next, n, at("spike_times"));
    for (hsize_t k = 0; k < n; ++k) {
      x.buffer[k] *= 1000.0;  // s -> ms
      check_order(x.last, x.buffer[k], path_ + ": /units/spike_times",
                  "index " + std::to_string(x.next + k) + " (unit " + std::to_string(x.id) + ")");
      x.last = x.buffer[k];
    }
    x.next += n;
    x.pos = 0;
    return true;
  }

  std::string path_;
  hdf5::File file_;
  hdf5::Dataset times_;
  std::vector<Unit> units_;
  std::priority_queue<Head> heap_;
};

}  // namespace

std::unique_ptr<RawSpikes> open_nwb(const ReplayOptions& options) {
  const hdf5::QuietErrors quiet;
  return std::make_unique<NwbSpikes>(options);
}

}  // namespace spikeq::io::replay
