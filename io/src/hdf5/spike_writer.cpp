// SpikeFileWriter: one growing pair of datasets (timestamps, node_ids) per population.
#include <cmath>
#include <limits>
#include <set>

#include "attributes.hpp"
#include "datasets.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "layout.hpp"
#include "run_metadata.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/sonata.hpp"

namespace spikeq::io {

namespace h5 = hdf5;

struct SpikeFileWriter::Impl {
  struct Population {
    std::string name;
    std::uint64_t size = 0;
    h5::Group group;
    h5::GrowingDataset timestamps;
    h5::GrowingDataset node_ids;
    double last_time = -std::numeric_limits<double>::infinity();
  };

  std::string path;
  h5::File file;
  h5::Group spikes;
  std::vector<Population> populations;
  // Set when a write failed half-way: timestamps and node_ids may then differ in
  // length, and appending more would only hide that.
  bool broken = false;

  Impl(const std::string& file_path, const RunMetadata& meta,
       const std::vector<PopulationInfo>& infos)
      : path(file_path) {
    // Arguments first, so that a mistake does not truncate an existing file.
    std::set<std::string> names;
    for (const auto& info : infos) {
      h5::check_group_name(info.name, "spike file " + path + ": population");
      if (!names.insert(info.name).second) {
        throw InvalidParameter("spike file " + path + ": population '" + info.name +
                               "' is listed twice");
      }
    }
    file = h5::create_file(path);
    h5::write_run_metadata(file, meta, 0.0, path);
    const std::string spikes_path = std::string("/") + h5::layout::spikes_group;
    spikes = h5::create_group(file.get(), h5::layout::spikes_group, {path, spikes_path});
    populations.reserve(infos.size());
    for (const auto& info : infos) populations.push_back(create_population(info, spikes_path));
    // A file killed before the first flush() is then still a valid, empty spike file.
    h5::flush_file(file, path);
  }

  Population create_population(const PopulationInfo& info, const std::string& spikes_path) {
    const h5::Where group_where{path, h5::join(spikes_path, info.name)};
    Population p{
        info.name, info.size, h5::create_group(spikes.get(), info.name, group_where), {}, {}};
    h5::write_sorting(p.group.get(), h5::layout::Sorting::by_time, group_where);
    h5::write_u64(p.group.get(), h5::layout::n_nodes, info.size, group_where);
    p.timestamps =
        h5::GrowingDataset(p.group.get(), h5::layout::timestamps, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                           0, {path, h5::join(group_where.object, h5::layout::timestamps)});
    h5::write_string(p.timestamps.id(), h5::layout::units, "ms", p.timestamps.where());
    p.node_ids =
        h5::GrowingDataset(p.group.get(), h5::layout::node_ids, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0,
                           {path, h5::join(group_where.object, h5::layout::node_ids)});
    return p;
  }

  static Impl& require(const std::unique_ptr<Impl>& impl) {
    if (!impl) throw Error("SpikeFileWriter used after it was moved from");
    if (!impl->file.valid()) h5::fail({impl->path, ""}, "spike file writer used after close()");
    if (impl->broken) h5::fail({impl->path, ""}, "an earlier write to this spike file failed");
    return *impl;
  }

  /// The sorting attribute promises by_time, and n_nodes bounds the ids: check both
  /// before anything is written.
  void check_spikes(const Population& p, const std::vector<double>& times,
                    const std::vector<std::uint64_t>& ids) const {
    const std::string where = "spike file " + path + ", population '" + p.name + "': ";
    if (times.size() != ids.size()) {
      throw InvalidParameter(where + std::to_string(times.size()) + " spike times but " +
                             std::to_string(ids.size()) + " node ids");
    }
    double previous = p.last_time;
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (!std::isfinite(times[i])) {
        throw InvalidParameter(where + "spike time " + detail::format_number(times[i]) +
                               " is not finite");
      }
      if (times[i] < previous) {
        throw InvalidParameter(where + "spike at " + detail::format_number(times[i]) +
                               " ms comes after one at " + detail::format_number(previous) +
                               " ms (spikes must be appended in time order)");
      }
      if (ids[i] >= p.size) {
        throw InvalidParameter(where + "node id " + std::to_string(ids[i]) +
                               " is not below the population size " + std::to_string(p.size));
      }
      previous = times[i];
    }
  }

  void append(std::size_t index, const std::vector<double>& times,
              const std::vector<std::uint64_t>& ids) {
    if (index >= populations.size()) {
      throw InvalidParameter("spike file " + path + ": population index " + std::to_string(index) +
                             " out of range (" + std::to_string(populations.size()) +
                             " populations)");
    }
    Population& p = populations[index];
    check_spikes(p, times, ids);
    if (times.empty()) return;
    try {
      p.timestamps.append(times.data(), times.size());
      p.node_ids.append(ids.data(), ids.size());
    } catch (...) {
      broken = true;
      throw;
    }
    p.last_time = times.back();
  }

  void close() {
    bool closed = true;
    for (auto& p : populations) {
      closed = p.timestamps.close() && closed;
      closed = p.node_ids.close() && closed;
      closed = p.group.close() && closed;
    }
    populations.clear();
    closed = spikes.close() && closed;
    if (!file.valid()) return;
    h5::close_file(file, path);
    if (!closed) h5::fail({path, ""}, "cannot close the datasets of the spike file");
  }
};

SpikeFileWriter::SpikeFileWriter(const std::string& path, const RunMetadata& meta,
                                 const std::vector<PopulationInfo>& populations) {
  const h5::QuietErrors quiet;
  impl_ = std::make_unique<Impl>(path, meta, populations);
}

SpikeFileWriter::~SpikeFileWriter() { h5::close_quietly(impl_); }

SpikeFileWriter::SpikeFileWriter(SpikeFileWriter&&) noexcept = default;

SpikeFileWriter& SpikeFileWriter::operator=(SpikeFileWriter&& other) noexcept {
  if (this != &other) {
    h5::close_quietly(impl_);
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void SpikeFileWriter::append(std::size_t p, const std::vector<double>& times_ms,
                             const std::vector<std::uint64_t>& node_ids) {
  const h5::QuietErrors quiet;
  Impl::require(impl_).append(p, times_ms, node_ids);
}

void SpikeFileWriter::flush(double t_stop_ms) {
  const h5::QuietErrors quiet;
  Impl& impl = Impl::require(impl_);
  if (!std::isfinite(t_stop_ms)) {
    throw InvalidParameter("spike file " + impl.path + ": t_stop " +
                           detail::format_number(t_stop_ms) + " is not finite");
  }
  h5::write_t_stop(impl.file, t_stop_ms, impl.path);
  h5::flush_file(impl.file, impl.path);
}

void SpikeFileWriter::close() {
  if (!impl_) return;
  const h5::QuietErrors quiet;
  impl_->close();
}

}  // namespace spikeq::io
