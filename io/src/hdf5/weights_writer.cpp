// WeightFileWriter: /weights/<projection>/ in a file that another writer created (the
// spike file): fixed synapse lists, and growing times and [snapshot x synapse] values.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

#include "attributes.hpp"
#include "datasets.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "layout.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/weights.hpp"

namespace spikeq::io {

namespace h5 = hdf5;
namespace layout = hdf5::layout;

namespace {

constexpr const char* kWeightsGroup = "weights";

/// Opens an existing file for writing, with the settings of create_file: file formats
/// no newer than HDF5 1.8, locking where the file system has it. When the process has
/// the file open already (the spike writer), HDF5 shares that open file.
h5::File open_for_writing(const std::string& path) {
  const h5::Where where{path, ""};
  const h5::PropertyList fapl(
      h5::check_id(H5Pcreate(H5P_FILE_ACCESS), where, "cannot create file access properties"));
  h5::check_status(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), where,
                   "cannot set file format bounds");
  h5::check_status(H5Pset_file_locking(fapl.get(), true, true), where, "cannot set file locking");
  return h5::File(
      h5::check_id(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()), where, "cannot open file"));
}

/// values: [snapshots x synapses] float32. GrowingDataset takes at least one column; a
/// projection without synapses still gets a 2-D dataset, [snapshots x 0], whose rows
/// only extend it.
class ValuesDataset {
 public:
  ValuesDataset() = default;
  ValuesDataset(hid_t parent, hsize_t columns, const h5::Where& where)
      : columns_(columns), where_(where) {
    if (columns > 0) {
      data_ = h5::GrowingDataset(parent, "values", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, columns,
                                 where);
      return;
    }
    const std::array<hsize_t, 2> initial = {0, 0};
    const std::array<hsize_t, 2> maximum = {H5S_UNLIMITED, 1};
    const std::array<hsize_t, 2> chunk = {1024, 1};
    const h5::Dataspace space(h5::check_id(
        H5Screate_simple(2, initial.data(), maximum.data()), where, "cannot create dataspace"));
    const h5::PropertyList dcpl(
        h5::check_id(H5Pcreate(H5P_DATASET_CREATE), where, "cannot create dataset properties"));
    h5::check_status(H5Pset_chunk(dcpl.get(), 2, chunk.data()), where, "cannot set chunk size");
    h5::untimed(dcpl.get(), where);
    empty_ = h5::Dataset(h5::check_id(H5Dcreate2(parent, "values", H5T_IEEE_F32LE, space.get(),
                                                 H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                                      where, "cannot create dataset"));
  }

  void append(const float* values, hsize_t rows) {
    if (columns_ > 0) {
      data_.append(values, rows);
      return;
    }
    rows_ += rows;
    const std::array<hsize_t, 2> extent = {rows_, 0};
    h5::check_status(H5Dset_extent(empty_.get(), extent.data()), where_, "cannot extend dataset");
  }

  [[nodiscard]] hid_t id() const { return columns_ > 0 ? data_.id() : empty_.get(); }
  bool close() {
    const bool data = data_.close();
    const bool empty = empty_.close();
    return data && empty;
  }

 private:
  hsize_t columns_ = 0;
  hsize_t rows_ = 0;
  h5::GrowingDataset data_;
  h5::Dataset empty_;
  h5::Where where_;
};

}  // namespace

struct WeightFileWriter::Impl {
  struct Series {
    std::string name;
    std::size_t synapses = 0;
    h5::Group group;
    h5::GrowingDataset times;
    ValuesDataset values;
    double last_time = -std::numeric_limits<double>::infinity();
  };

  std::string path;
  h5::File file;
  h5::Group weights;
  std::vector<Series> series;
  // Set when a write failed half-way: times and values may then differ in length.
  bool broken = false;

  Impl(const std::string& file_path, const std::vector<WeightSeriesInfo>& infos)
      : path(file_path) {
    // Arguments first, so that a mistake leaves the file as it was.
    std::set<std::string> names;
    for (const auto& info : infos) {
      h5::check_group_name(info.projection, "weight file " + path + ": projection");
      if (!names.insert(info.projection).second) {
        throw InvalidParameter("weight file " + path + ": projection '" + info.projection +
                               "' is listed twice");
      }
      if (info.target_ids.size() != info.source_ids.size() ||
          info.delays.size() != info.source_ids.size()) {
        throw InvalidParameter("weight file " + path + ", projection '" + info.projection +
                               "': " + std::to_string(info.source_ids.size()) + " sources, " +
                               std::to_string(info.target_ids.size()) + " targets and " +
                               std::to_string(info.delays.size()) + " delays");
      }
    }
    file = open_for_writing(path);
    const std::string weights_path = std::string("/") + kWeightsGroup;
    weights = h5::create_group(file.get(), kWeightsGroup, {path, weights_path});
    series.reserve(infos.size());
    for (const auto& info : infos) series.push_back(create_series(info, weights_path));
    h5::flush_file(file, path);
  }

  Series create_series(const WeightSeriesInfo& info, const std::string& weights_path) {
    const std::string group_path = h5::join(weights_path, info.projection);
    Series s;
    s.name = info.projection;
    s.synapses = info.source_ids.size();
    s.group = h5::create_group(weights.get(), info.projection, {path, group_path});
    const hid_t g = s.group.get();
    const auto n = static_cast<hsize_t>(s.synapses);
    auto where = [&](const char* name) { return h5::Where{path, h5::join(group_path, name)}; };
    h5::write_fixed(g, "source_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32, info.source_ids.data(), n,
                    where("source_ids"));
    h5::write_fixed(g, "target_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32, info.target_ids.data(), n,
                    where("target_ids"));
    const h5::Dataset delays = h5::write_fixed(g, "delays", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                               info.delays.data(), n, where("delays"));
    h5::write_string(delays.get(), layout::units, "ms", where("delays"));
    s.times = h5::GrowingDataset(g, "times", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, where("times"));
    h5::write_string(s.times.id(), layout::units, "ms", where("times"));
    s.values = ValuesDataset(g, n, where("values"));
    h5::write_string(s.values.id(), layout::units, info.units, where("values"));
    return s;
  }

  static Impl& require(const std::unique_ptr<Impl>& impl) {
    if (!impl) throw Error("WeightFileWriter used after it was moved from");
    if (!impl->file.valid()) h5::fail({impl->path, ""}, "weight writer used after close()");
    if (impl->broken) h5::fail({impl->path, ""}, "an earlier write of weights to this file failed");
    return *impl;
  }

  void append(std::size_t k, const double* times, const float* values, std::size_t rows) {
    if (k >= series.size()) {
      throw InvalidParameter("weight file " + path + ": series " + std::to_string(k) +
                             " out of range (" + std::to_string(series.size()) + " series)");
    }
    Series& s = series[k];
    double previous = s.last_time;
    for (std::size_t i = 0; i < rows; ++i) {
      if (!std::isfinite(times[i]) || times[i] <= previous) {
        throw InvalidParameter("weight file " + path + ", projection '" + s.name +
                               "': snapshot time " + detail::format_number(times[i]) +
                               " ms does not come after " + detail::format_number(previous) +
                               " ms");
      }
      previous = times[i];
    }
    if (rows == 0) return;
    try {
      s.times.append(times, rows);
      s.values.append(values, rows);
    } catch (...) {
      broken = true;
      throw;
    }
    s.last_time = previous;
  }

  void close() {
    bool closed = true;
    for (auto& s : series) {
      closed = s.times.close() && closed;
      closed = s.values.close() && closed;
      closed = s.group.close() && closed;
    }
    series.clear();
    closed = weights.close() && closed;
    if (!file.valid()) return;
    h5::close_file(file, path);
    if (!closed) h5::fail({path, "/weights"}, "cannot close the weight datasets");
  }
};

WeightFileWriter::WeightFileWriter(const std::string& path,
                                   const std::vector<WeightSeriesInfo>& series) {
  const h5::QuietErrors quiet;
  impl_ = std::make_unique<Impl>(path, series);
}

WeightFileWriter::~WeightFileWriter() { h5::close_quietly(impl_); }

WeightFileWriter::WeightFileWriter(WeightFileWriter&&) noexcept = default;

WeightFileWriter& WeightFileWriter::operator=(WeightFileWriter&& other) noexcept {
  if (this != &other) {
    h5::close_quietly(impl_);
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void WeightFileWriter::append(std::size_t k, const double* times_ms, const float* values,
                              std::size_t rows) {
  const h5::QuietErrors quiet;
  Impl::require(impl_).append(k, times_ms, values, rows);
}

void WeightFileWriter::flush() {
  const h5::QuietErrors quiet;
  Impl& impl = Impl::require(impl_);
  h5::flush_file(impl.file, impl.path);
}

void WeightFileWriter::close() {
  if (!impl_) return;
  const h5::QuietErrors quiet;
  impl_->close();
}

}  // namespace spikeq::io
