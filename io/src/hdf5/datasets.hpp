#pragma once
// Datasets: the growing ones the writers append to, small fixed ones, and reading whole
// datasets back with the type checks a reader of foreign files needs.
#include <cstdint>
#include <string>
#include <vector>

#include "errors.hpp"
#include "handle.hpp"

namespace spikeq::io::hdf5 {

/// Leaves out the creation and modification times HDF5 would store with an object, so
/// the same run writes the same bytes.
void untimed(hid_t object_creation_properties, const Where& where);

/// A chunked dataset with an unlimited first dimension that grows by appended rows:
/// 1-D when `columns` is 0, else 2-D with `columns` fixed columns. Each append extends
/// the dataset and writes the rows at once, so nothing waits in memory of ours.
class GrowingDataset {
 public:
  GrowingDataset() = default;
  /// `where.object` is the path of the new dataset, for messages.
  GrowingDataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                 hsize_t columns, Where where);

  /// `values` holds rows x max(columns, 1) values of the memory type, row-major.
  void append(const void* values, hsize_t rows);
  [[nodiscard]] hsize_t rows() const { return rows_; }
  [[nodiscard]] hid_t id() const { return dataset_.get(); }
  [[nodiscard]] const Where& where() const { return where_; }
  bool close() { return dataset_.close(); }

 private:
  Dataset dataset_;
  hid_t memory_type_ = H5I_INVALID_HID;
  hsize_t columns_ = 0;
  hsize_t rows_ = 0;
  Where where_;
};

/// Creates a contiguous 1-D dataset holding `count` values (for mappings that never
/// grow) and returns it open, so that it can be rewritten (mapping/time).
Dataset write_fixed(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                    const void* values, hsize_t count, const Where& where);

/// A contiguous 2-D float64 dataset of rows x columns values (row-major).
Dataset write_matrix(hid_t parent, const std::string& name, const double* values, hsize_t rows,
                     hsize_t columns, const Where& where);

/// Opens dataset `name` of `parent`, failing with "dataset missing" or "is not a
/// dataset" at `where`.
Dataset open_dataset(hid_t parent, const std::string& name, const Where& where);

std::vector<hsize_t> dimensions(hid_t dataset, const Where& where);

/// Before `count` values of `element_bytes` each are read from `dataset` into memory: the
/// dataset must hold what it declares (its stored bytes, compression allowed, account
/// for its size) and the values must fit the memory the process may use. A file that
/// declares 2^36 values in 5 KB is an error naming the dataset, not an allocation that
/// takes the process down.
void check_declared_size(hid_t dataset, std::uint64_t count, std::size_t element_bytes,
                         const Where& where);

/// All values (row-major) of a floating-point dataset as double; other types fail.
std::vector<double> read_doubles(hid_t dataset, const Where& where);
/// All values of an integer dataset of any width as uint64; negative values and other
/// types fail.
std::vector<std::uint64_t> read_ids(hid_t dataset, const Where& where);
/// All values of an integer dataset of any width and sign as int64; other types fail.
std::vector<std::int64_t> read_integers(hid_t dataset, const Where& where);
/// Values [offset, offset + count) of a 1-D dataset, as read_doubles and read_integers.
std::vector<double> read_doubles_range(hid_t dataset, hsize_t offset, hsize_t count,
                                       const Where& where);
std::vector<std::int64_t> read_integers_range(hid_t dataset, hsize_t offset, hsize_t count,
                                              const Where& where);

}  // namespace spikeq::io::hdf5
