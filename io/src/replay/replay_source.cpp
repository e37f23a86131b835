// io::open_replay: the options checked once, and a cursor per Simulation that turns the
// format reader's (time, unit) stream into (stamp, neuron) events: window, unit mapping,
// scaling, offset, repeats and the step rule of core/replay.hpp.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "raw_spikes.hpp"
#include "../hdf5/errors.hpp"
#include "spikeq/io/isolated_read.hpp"
#include "shd_file.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace replay {

void check_order(double previous, double t, const std::string& where, const std::string& position) {
  if (!(t >= 0.0) || !std::isfinite(t)) {
    std::ostringstream s;
    s << where << ": negative or non-finite time " << t << " ms at " << position;
    throw FileError(s.str());
  }
  if (t < previous) {
    std::ostringstream s;
    s << where << ": times decrease at " << position << " (" << t << " ms after " << previous
      << " ms); replay needs spikes in time order";
    throw FileError(s.str());
  }
}

std::unique_ptr<RawSpikes> open_raw(const ReplayOptions& options) {
  switch (options.format) {
    case ReplayFormat::sonata: return open_sonata(options);
    case ReplayFormat::shd: return open_shd(options);
    case ReplayFormat::nwb: return open_nwb(options);
    case ReplayFormat::csv: return open_csv(options);
  }
  throw InvalidParameter("replay: unknown format");
}

namespace {

const char* format_name(ReplayFormat f) {
  switch (f) {
    case ReplayFormat::sonata: return "SONATA";
    case ReplayFormat::shd: return "SHD";
    case ReplayFormat::nwb: return "NWB";
    case ReplayFormat::csv: return "CSV";
  }
  return "?";
}

class Cursor final : public ReplayCursor {
 public:
  Cursor(const ReplayOptions& o, double dt, std::uint32_t neurons)
      : o_(o), dt_(dt), neurons_(neurons), raw_(open_raw(o)) {
    for (std::size_t j = 0; j < o.units.size(); ++j) {
      const std::uint32_t n = o.neurons.empty() ? static_cast<std::uint32_t>(j) : o.neurons[j];
      map_.push_back({o.units[j], n});
    }
    std::sort(map_.begin(), map_.end());
    for (std::size_t j = 1; j < map_.size(); ++j) {
      if (map_[j].first == map_[j - 1].first) {
        throw InvalidParameter("replay of '" + o.path + "': unit " + std::to_string(map_[j].first) +
                               " is listed twice in units");
      }
    }
    for (const auto& [unit, n] : map_) {
      if (n >= neurons_) {
        throw InvalidParameter("replay of '" + o.path + "': unit " + std::to_string(unit) +
                               " maps to neuron " + std::to_string(n) + ", beyond the " +
                               std::to_string(neurons_) + " neurons of the population");
      }
    }
  }

  void read(Step end, std::vector<ReplayEvent>& out) override {
    while (!done_) {
      if (pos_ == t_.size()) {
        pos_ = 0;
        if (!raw_->next(t_, u_)) end_pass();
        continue;
      }
      const double t = t_[pos_];
      if (t < o_.window_start) {
        ++pos_;
        continue;
      }
      if (o_.window_stop && t >= *o_.window_stop) {
        end_pass();
        continue;
      }
      const double r = (t - o_.window_start) * o_.time_scale + o_.offset +
                       static_cast<double>(pass_) * o_.period.value_or(0.0);
      if (r < 0.0) {
        std::ostringstream s;
        s << raw_->where() << ": spike at " << t << " ms replays at " << r
          << " ms, before time 0 (offset " << o_.offset << " ms)";
        throw FileError(s.str());
      }
      // A time beyond the step counter (a corrupt file, or scaling) would not convert.
      if (!(r / dt_ < kMaxSteps)) {
        std::ostringstream s;
        s << raw_->where() << ": spike at " << t << " ms replays at " << r
          << " ms, beyond the 2^62 steps of " << dt_ << " ms a run can count";
        throw FileError(s.str());
      }
      const Step stamp = std::max<Step>(1, static_cast<Step>(std::ceil(r / dt_ - 1e-9)));
      if (stamp >= end) return;
      if (r < last_) {
        std::ostringstream s;
        s << "replay of '" << o_.path << "': pass " << pass_ + 1 << " starts at " << r
          << " ms, before the previous pass ended; the period (" << o_.period.value_or(0.0)
          << " ms) must cover one pass";
        throw InvalidParameter(s.str());
      }
      last_ = r;
      const std::uint64_t unit = u_[pos_++];
      std::uint64_t neuron = unit;
      if (!map_.empty()) {
        const auto it = std::lower_bound(map_.begin(), map_.end(), std::pair{unit, 0u});
        if (it == map_.end() || it->first != unit) continue;  // not replayed
        neuron = it->second;
      } else if (unit >= neurons_) {
        throw FileError(raw_->where() + ": unit " + std::to_string(unit) +
                        " is beyond the " + std::to_string(neurons_) +
                        " neurons of the replaying population (map the units with `units`)");
      }
      out.push_back({stamp, static_cast<std::uint32_t>(neuron)});
    }
  }

  [[nodiscard]] std::uint64_t buffered() const override {
    return (t_.size() - pos_) + raw_->buffered();
  }

 private:
  void end_pass() {
    t_.clear();
    u_.clear();
    pos_ = 0;
    ++pass_;
    if (o_.repeat != 0 && pass_ >= o_.repeat) {
      done_ = true;
      return;
    }
    raw_ = open_raw(o_);
  }

  ReplayOptions o_;
  double dt_;
  std::uint32_t neurons_;
  std::unique_ptr<replay::RawSpikes> raw_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> map_;  // unit -> neuron, sorted
  std::vector<double> t_;
  std::vector<std::uint64_t> u_;
  std::size_t pos_ = 0;
  std::uint32_t pass_ = 0;
  bool done_ = false;
  double last_ = 0.0;  // ms, the replay time of the previous spike
};

void read_every_spike(const ReplayOptions& options) {
  const auto raw = open_raw(options);
  std::vector<double> t;
  std::vector<std::uint64_t> unit;
  while (raw->next(t, unit)) {
  }
}

class Source final : public ReplaySource {
 public:
  explicit Source(ReplayOptions o) : o_(std::move(o)) {
    if (!(o_.time_scale > 0.0) || !std::isfinite(o_.time_scale)) {
      throw InvalidParameter("replay of '" + o_.path + "': time_scale must be > 0");
    }
    if (!std::isfinite(o_.offset) || !std::isfinite(o_.window_start) ||
        (o_.window_stop && !(*o_.window_stop > o_.window_start))) {
      throw InvalidParameter("replay of '" + o_.path +
                             "': offset and window must be finite, window_stop after window_start");
    }
    if (!o_.neurons.empty() && o_.neurons.size() != o_.units.size()) {
      throw InvalidParameter("replay of '" + o_.path + "': neurons (" +
                             std::to_string(o_.neurons.size()) + ") must pair with units (" +
                             std::to_string(o_.units.size()) + ")");
    }
    if (o_.repeat != 1 && !(o_.period && *o_.period > 0.0)) {
      throw InvalidParameter("replay of '" + o_.path + "': repeat needs a period > 0 ms");
    }
    if (o_.format != ReplayFormat::csv) {
      // Every spike of the file, read once before the run (in a child process, which a
      // corrupt file can crash or hang without harm): bad data fails now, not hours in.
      read_in_child(o_.path, [&] { read_every_spike(o_); });
    }
    (void)replay::open_raw(o_);  // the file and its layout, checked now
  }

  [[nodiscard]] std::unique_ptr<ReplayCursor> open(double dt, std::uint32_t neurons) const override {
    return std::make_unique<Cursor>(o_, dt, neurons);
  }

  [[nodiscard]] std::string describe() const override {
    return std::string(format_name(o_.format)) + " file '" + o_.path + "'";
  }

 private:
  ReplayOptions o_;
};

}  // namespace
}  // namespace replay

std::shared_ptr<const ReplaySource> open_replay(ReplayOptions options) {
  return std::make_shared<replay::Source>(std::move(options));
}

namespace {

std::vector<ShdSample> read_shd_schedule(const ReplayOptions& options) {
  const hdf5::QuietErrors quiet;
  const replay::ShdFile file(options);
  const auto labels = file.labels();
  std::vector<ShdSample> out;
  double start = 0.0;  // source ms
  auto replayed = [&](double t) { return (t - options.window_start) * options.time_scale + options.offset; };
  for (std::uint64_t s : file.order) {
    const double length = replay::ShdFile::length(file.read(s), options);
    out.push_back({s, labels[s], replayed(start), replayed(start + length)});
    start += length + options.gap;
  }
  return out;
}

}  // namespace

std::vector<ShdSample> shd_schedule(const ReplayOptions& options) {
  if (options.format != ReplayFormat::shd) {
    throw InvalidParameter("shd_schedule: '" + options.path + "' is not replayed as SHD");
  }
  read_in_child(options.path, [&] { (void)read_shd_schedule(options); });
  return read_shd_schedule(options);
}

}  // namespace spikeq::io
