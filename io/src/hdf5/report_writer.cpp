// ReportFileWriter: a growing [time x node] dataset plus the mapping SONATA readers use
// to find a node's column and the time of a row.
#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <numeric>

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
namespace layout = hdf5::layout;

struct ReportFileWriter::Impl {
  std::string path;
  double start = 0.0;
  double step = 0.0;
  h5::File file;
  h5::Group report;
  h5::Group population;
  h5::Group mapping;
  h5::GrowingDataset data;
  h5::Dataset time;
  h5::Where time_where;
  // Set when a write failed half-way; see SpikeFileWriter.
  bool broken = false;

  Impl(const std::string& file_path, const RunMetadata& meta, const std::string& population_name,
       const std::string& variable, const std::string& units,
       const std::vector<std::uint64_t>& node_ids, double start_ms, double step_ms)
      : path(file_path), start(start_ms), step(step_ms) {
    const std::string what = "report file " + path;
    h5::check_group_name(population_name, what + ": population");
    if (node_ids.empty()) throw InvalidParameter(what + ": no nodes to report");
    if (!std::isfinite(start_ms)) {
      throw InvalidParameter(what + ": start " + detail::format_number(start_ms) +
                             " ms is not finite");
    }
    if (!(step_ms > 0.0) || !std::isfinite(step_ms)) {
      throw InvalidParameter(what + ": step " + detail::format_number(step_ms) +
                             " ms must be positive");
    }

    file = h5::create_file(path);
    h5::write_run_metadata(file, meta, start, path);
    h5::write_string(file.get(), layout::variable, variable, {path, "/"});

    const std::string report_path = std::string("/") + layout::report_group;
    const std::string population_path = h5::join(report_path, population_name);
    const std::string mapping_path = h5::join(population_path, layout::mapping);
    report = h5::create_group(file.get(), layout::report_group, {path, report_path});
    population = h5::create_group(report.get(), population_name, {path, population_path});
    mapping = h5::create_group(population.get(), layout::mapping, {path, mapping_path});
    write_mapping(node_ids, mapping_path);

    data = h5::GrowingDataset(population.get(), layout::data, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                              node_ids.size(), {path, h5::join(population_path, layout::data)});
    h5::write_string(data.id(), layout::units, units, data.where());
    h5::write_string(data.id(), layout::variable, variable, data.where());
    // A file killed before the first flush() is then still a valid report without rows.
    h5::flush_file(file, path);
  }

  void write_mapping(const std::vector<std::uint64_t>& node_ids, const std::string& mapping_path) {
    const hid_t group = mapping.get();
    const hsize_t n = node_ids.size();
    const h5::Where ids_where{path, h5::join(mapping_path, layout::node_ids)};
    const h5::Dataset ids = h5::write_fixed(group, layout::node_ids, H5T_STD_U64LE,
                                            H5T_NATIVE_UINT64, node_ids.data(), n, ids_where);
    // Lets libsonata skip sorting the ids when it looks nodes up.
    h5::write_bool(ids.get(), layout::sorted, std::is_sorted(node_ids.begin(), node_ids.end()),
                   ids_where);

    std::vector<std::uint64_t> pointers(n + 1);
    std::iota(pointers.begin(), pointers.end(), std::uint64_t{0});
    const h5::Where pointers_where{path, h5::join(mapping_path, layout::index_pointers)};
    h5::write_fixed(group, layout::index_pointers, H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    pointers.data(), n + 1, pointers_where);
    h5::check_status(H5Lcreate_hard(group, layout::index_pointers, group, layout::index_pointer,
                                    H5P_DEFAULT, H5P_DEFAULT),
                     {path, h5::join(mapping_path, layout::index_pointer)}, "cannot create link");

    const std::vector<std::uint32_t> elements(n, 0);
    h5::write_fixed(group, layout::element_ids, H5T_STD_U32LE, H5T_NATIVE_UINT32, elements.data(),
                    n, {path, h5::join(mapping_path, layout::element_ids)});

    time_where = {path, h5::join(mapping_path, layout::time)};
    const std::array<double, 3> times = {start, start, step};
    time = h5::write_fixed(group, layout::time, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, times.data(),
                           times.size(), time_where);
    h5::write_string(time.get(), layout::units, "ms", time_where);
  }

  static Impl& require(const std::unique_ptr<Impl>& impl) {
    if (!impl) throw Error("ReportFileWriter used after it was moved from");
    if (!impl->file.valid()) h5::fail({impl->path, ""}, "report file writer used after close()");
    if (impl->broken) h5::fail({impl->path, ""}, "an earlier write to this report file failed");
    return *impl;
  }

  [[nodiscard]] double stop() const { return start + static_cast<double>(data.rows()) * step; }

  /// mapping/time's stop and the root t_stop follow the rows written so far.
  void write_stop() {
    const std::array<double, 3> times = {start, stop(), step};
    h5::check_status(
        H5Dwrite(time.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, times.data()),
        time_where, "cannot write dataset");
    h5::write_t_stop(file, stop(), path);
  }

  void append(const double* values, std::size_t rows) {
    if (rows == 0) return;
    if (values == nullptr) {
      throw InvalidParameter("report file " + path + ": no values for " + std::to_string(rows) +
                             " rows");
    }
    try {
      data.append(values, rows);
    } catch (...) {
      broken = true;
      throw;
    }
  }

  void close() {
    if (!file.valid()) return;
    // Close everything even if the last update fails, then report the failure.
    std::exception_ptr failure;
    if (!broken) {
      try {
        write_stop();
      } catch (...) {
        failure = std::current_exception();
      }
    }
    bool closed = data.close();
    closed = time.close() && closed;
    closed = mapping.close() && closed;
    closed = population.close() && closed;
    closed = report.close() && closed;
    if (failure) {
      file.close();
      std::rethrow_exception(failure);
    }
    h5::close_file(file, path);
    if (!closed) h5::fail({path, ""}, "cannot close the datasets of the report file");
  }
};

ReportFileWriter::ReportFileWriter(const std::string& path, const RunMetadata& meta,
                                   const std::string& population, const std::string& variable,
                                   const std::string& units,
                                   const std::vector<std::uint64_t>& node_ids, double start_ms,
                                   double step_ms) {
  const h5::QuietErrors quiet;
  impl_ =
      std::make_unique<Impl>(path, meta, population, variable, units, node_ids, start_ms, step_ms);
}

ReportFileWriter::~ReportFileWriter() { h5::close_quietly(impl_); }

ReportFileWriter::ReportFileWriter(ReportFileWriter&&) noexcept = default;

ReportFileWriter& ReportFileWriter::operator=(ReportFileWriter&& other) noexcept {
  if (this != &other) {
    h5::close_quietly(impl_);
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void ReportFileWriter::append(const double* values, std::size_t rows) {
  const h5::QuietErrors quiet;
  Impl::require(impl_).append(values, rows);
}

void ReportFileWriter::flush() {
  const h5::QuietErrors quiet;
  Impl& impl = Impl::require(impl_);
  impl.write_stop();
  h5::flush_file(impl.file, impl.path);
}

void ReportFileWriter::close() {
  if (!impl_) return;
  const h5::QuietErrors quiet;
  impl_->close();
}

}  // namespace spikeq::io
