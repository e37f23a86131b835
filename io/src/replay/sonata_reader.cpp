// SONATA spikes, /spikes/<population>/{timestamps,node_ids}, read in chunks by hyperslab.
#include <algorithm>

#include "../hdf5/datasets.hpp"
#include "../hdf5/errors.hpp"
#include "../hdf5/files.hpp"
#include "../hdf5/groups.hpp"
#include "../hdf5/time_units.hpp"
#include "raw_spikes.hpp"

namespace spikeq::io::replay {
namespace {

using hdf5::Where;

class SonataSpikes final : public RawSpikes {
 public:
  explicit SonataSpikes(const ReplayOptions& o) : path_(o.path), file_(hdf5::open_file(o.path)) {
    const hdf5::Group spikes = hdf5::open_group(file_.get(), "spikes", Where{path_, "/spikes"});
    std::string population = o.population;
    if (population.empty()) {
      std::vector<std::string> groups;
      for (const auto& m : hdf5::list_members(spikes.get(), Where{path_, "/spikes"})) {
        if (m.kind == hdf5::MemberKind::group) groups.push_back(m.name);
      }
      if (groups.size() != 1) {
        std::string names;
        for (const auto& g : groups) names += (names.empty() ? "" : ", ") + g;
        hdf5::fail(Where{path_, "/spikes"},
                   "holds " + std::to_string(groups.size()) + " populations (" + names +
                       "); name the one to replay (population)");
      }
      population = groups.front();
    }
    group_ = "/spikes/" + population;
    const hdf5::Group g = hdf5::open_group(file_.get(), group_, Where{path_, group_});
    times_ = hdf5::open_dataset(g.get(), "timestamps", Where{path_, group_ + "/timestamps"});
    ids_ = hdf5::open_dataset(g.get(), "node_ids", Where{path_, group_ + "/node_ids"});
    const auto nt = hdf5::dimensions(times_.get(), Where{path_, group_ + "/timestamps"});
    const auto ni = hdf5::dimensions(ids_.get(), Where{path_, group_ + "/node_ids"});
    if (nt.size() != 1 || ni != nt) {
      hdf5::fail(Where{path_, group_},
                 "timestamps and node_ids must be 1-D and of equal length");
    }
    size_ = nt[0];
    to_ms_ = hdf5::to_ms_factor(times_.get(), Where{path_, group_ + "/timestamps"});
    // Check the types now, not at the first chunk.
    (void)hdf5::read_doubles_range(times_.get(), 0, 0, Where{path_, group_ + "/timestamps"});
    (void)hdf5::read_integers_range(ids_.get(), 0, 0, Where{path_, group_ + "/node_ids"});
  }

  bool next(std::vector<double>& t, std::vector<std::uint64_t>& unit) override {
    if (pos_ >= size_) return false;
    const hdf5::QuietErrors quiet;
    const hsize_t n = std::min<hsize_t>(kChunk, size_ - pos_);
    const std::string times_at = group_ + "/timestamps";
    t = hdf5::read_doubles_range(times_.get(), pos_, n, Where{path_, times_at});
    const auto ids = hdf5::read_integers_range(ids_.get(), pos_, n, Where{path_, group_ + "/node_ids"});
    unit.resize(n);
    for (hsize_t k = 0; k < n; ++k) {
      t[k] *= to_ms_;
      check_order(last_, t[k], path_ + ": " + times_at, "index " + std::to_string(pos_ + k));
      last_ = t[k];
      if (ids[k] < 0) {
        hdf5::fail(Where{path_, group_ + "/node_ids"},
                   "negative id " + std::to_string(ids[k]) + " at index " + std::to_string(pos_ + k));
      }
      unit[k] = static_cast<std::uint64_t>(ids[k]);
    }
    pos_ += n;
    return true;
  }

  [[nodiscard]] std::uint64_t buffered() const override { return 0; }
  [[nodiscard]] std::string where() const override { return path_ + ": " + group_ + "/node_ids"; }

 private:
  std::string path_;
  hdf5::File file_;
  std::string group_;
  hdf5::Dataset times_, ids_;
  hsize_t size_ = 0, pos_ = 0;
  double to_ms_ = 1.0;
  double last_ = 0.0;
};

}  // namespace

std::unique_ptr<RawSpikes> open_sonata(const ReplayOptions& options) {
  const hdf5::QuietErrors quiet;
  return std::make_unique<SonataSpikes>(options);
}

}  // namespace spikeq::io::replay
