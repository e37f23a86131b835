#include "datasets.hpp"

#include <algorithm>
#include <array>

#include "attributes.hpp"
#include "spikeq/core/detail/build.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/memory.hpp"
#include "groups.hpp"
#include "layout.hpp"

namespace spikeq::io::hdf5 {

void untimed(hid_t object_creation_properties, const Where& where) {
  check_status(H5Pset_obj_track_times(object_creation_properties, false), where,
               "cannot turn off object times");
}

GrowingDataset::GrowingDataset(hid_t parent, const std::string& name, hid_t file_type,
                               hid_t memory_type, hsize_t columns, Where where)
    : memory_type_(memory_type), columns_(columns), where_(std::move(where)) {
  const int rank = columns_ == 0 ? 1 : 2;
  const std::array<hsize_t, 2> initial = {0, columns_};
  const std::array<hsize_t, 2> maximum = {H5S_UNLIMITED, columns_};
  // Rows of a 2-D dataset stay whole in a chunk while they fit, so that reading one
  // time window touches few chunks; wider rows are split, one row per chunk, and are
  // then written whole without HDF5 reading anything back.
  const hsize_t chunk_columns = std::clamp<hsize_t>(columns_, 1, layout::chunk_elements);
  const std::array<hsize_t, 2> chunk = {
      columns_ == 0 ? layout::chunk_elements
                    : std::max<hsize_t>(1, layout::chunk_elements / chunk_columns),
      chunk_columns};

  const Dataspace space(check_id(H5Screate_simple(rank, initial.data(), maximum.data()), where_,
                                 "cannot create dataspace"));
  const PropertyList dcpl(
      check_id(H5Pcreate(H5P_DATASET_CREATE), where_, "cannot create dataset properties"));
  check_status(H5Pset_chunk(dcpl.get(), rank, chunk.data()), where_, "cannot set chunk size");
  untimed(dcpl.get(), where_);
  // No chunk cache: every append goes to the file at once, so chunks get their file space
  // in the order of the appends. With a cache they would get it when evicted or flushed,
  // and the run loop flushes by wall-clock time: two runs of the same model at different
  // speeds (another backend, a busier machine) would lay out the same data differently.
  const PropertyList dapl(
      check_id(H5Pcreate(H5P_DATASET_ACCESS), where_, "cannot create dataset access properties"));
  check_status(H5Pset_chunk_cache(dapl.get(), 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT), where_,
               "cannot set the chunk cache");
  dataset_ = Dataset(check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                         dcpl.get(), dapl.get()),
                              where_, "cannot create dataset"));
}

void GrowingDataset::append(const void* values, hsize_t rows) {
  if (rows == 0) return;
  const int rank = columns_ == 0 ? 1 : 2;
  const std::array<hsize_t, 2> extent = {rows_ + rows, columns_};
  const std::array<hsize_t, 2> start = {rows_, 0};
  const std::array<hsize_t, 2> count = {rows, columns_};
  check_status(H5Dset_extent(dataset_.get(), extent.data()), where_, "cannot extend dataset");
  const Dataspace file_space(
      check_id(H5Dget_space(dataset_.get()), where_, "cannot get dataspace"));
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                   count.data(), nullptr),
               where_, "cannot select rows");
  const Dataspace memory_space(
      check_id(H5Screate_simple(rank, count.data(), nullptr), where_, "cannot create dataspace"));
  check_status(H5Dwrite(dataset_.get(), memory_type_, memory_space.get(), file_space.get(),
                        H5P_DEFAULT, values),
               where_, "cannot write dataset");
  rows_ += rows;
}

Dataset write_fixed(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                    const void* values, hsize_t count, const Where& where) {
  const Dataspace space(
      check_id(H5Screate_simple(1, &count, nullptr), where, "cannot create dataspace"));
  const PropertyList dcpl(
      check_id(H5Pcreate(H5P_DATASET_CREATE), where, "cannot create dataset properties"));
  untimed(dcpl.get(), where);
  Dataset dataset(check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                      dcpl.get(), H5P_DEFAULT),
                           where, "cannot create dataset"));
  if (count > 0) {
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), where,
                 "cannot write dataset");
  }
  return dataset;
}

Dataset write_matrix(hid_t parent, const std::string& name, const double* values, hsize_t rows,
                     hsize_t columns, const Where& where) {
  const hsize_t dims[2] = {rows, columns};
  const Dataspace space(check_id(H5Screate_simple(2, dims, nullptr), where, "cannot create dataspace"));
  const PropertyList dcpl(
      check_id(H5Pcreate(H5P_DATASET_CREATE), where, "cannot create dataset properties"));
  untimed(dcpl.get(), where);
  Dataset dataset(check_id(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                                      dcpl.get(), H5P_DEFAULT),
                           where, "cannot create dataset"));
  if (rows * columns > 0) {
    check_status(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
                 where, "cannot write dataset");
  }
  return dataset;
}

Dataset open_dataset(hid_t parent, const std::string& name, const Where& where) {
  if (!has_member(parent, name, where)) fail(where, "dataset missing");
  const Object object(check_id(H5Oopen(parent, name.c_str(), H5P_DEFAULT), where, "cannot open"));
  if (H5Iget_type(object.get()) != H5I_DATASET) fail(where, "is not a dataset");
  return Dataset(
      check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), where, "cannot open dataset"));
}

std::vector<hsize_t> dimensions(hid_t dataset, const Where& where) {
  const Dataspace space(check_id(H5Dget_space(dataset), where, "cannot get dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail_hdf5(where, "cannot get dataspace");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) {
    fail_hdf5(where, "cannot get dataspace");
  }
  return dims;
}

void check_declared_size(hid_t dataset, std::uint64_t count, std::size_t element_bytes,
                         const Where& where) {
  const Dataspace space(check_id(H5Dget_space(dataset), where, "cannot get dataspace"));
  const hssize_t declared = H5Sget_simple_extent_npoints(space.get());
  if (declared < 0) fail_hdf5(where, "cannot get dataspace");
  const Datatype type(check_id(H5Dget_type(dataset), where, "cannot get datatype"));
  const double file_bytes = static_cast<double>(declared) * static_cast<double>(H5Tget_size(type.get()));
  const double stored = static_cast<double>(H5Dget_storage_size(dataset));
  // Compression shrinks data by at most ~1000x (runs of one value); 1 MiB of slack covers
  // small datasets whose storage is not allocated at all.
  if (file_bytes > 1000.0 * stored + 1048576.0) {
    fail(where, "declares " + std::to_string(declared) + " values (" + spikeq::format_bytes(file_bytes) +
                    ") but the file stores only " + spikeq::format_bytes(stored) + " of them");
  }
  // The memory bound reads /proc; replay windows are read every few hundred steps, and a
  // read below 64 MiB cannot exhaust memory on its own.
  const double bytes = static_cast<double>(count) * static_cast<double>(element_bytes);
  if (bytes < 67108864.0) return;
  try {
    spikeq::detail::check_allocation(bytes, "reading it");
  } catch (const CapacityError& e) {
    fail(where, e.what());
  }
}

namespace {

std::size_t element_count(hid_t dataset, const Where& where) {
  const Dataspace space(check_id(H5Dget_space(dataset), where, "cannot get dataspace"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) fail_hdf5(where, "cannot get dataspace");
  return static_cast<std::size_t>(points);
}

Datatype dataset_type(hid_t dataset, const Where& where) {
  return Datatype(check_id(H5Dget_type(dataset), where, "cannot get datatype"));
}

template <typename T>
std::vector<T> read_all(hid_t dataset, hid_t memory_type, const Where& where) {
  const std::size_t count = element_count(dataset, where);
  check_declared_size(dataset, count, sizeof(T), where);
  std::vector<T> values(count);
  if (!values.empty()) {
    check_status(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), where,
                 "cannot read dataset");
  }
  return values;
}

/// Values [offset, offset + count) of a 1-D dataset.
template <typename T>
std::vector<T> read_range(hid_t dataset, hid_t memory_type, hsize_t offset, hsize_t count,
                          const Where& where) {
  check_declared_size(dataset, count, sizeof(T), where);
  std::vector<T> values(count);
  if (count == 0) return values;
  const Dataspace file_space(check_id(H5Dget_space(dataset), where, "cannot get dataspace"));
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &offset, nullptr, &count,
                                   nullptr),
               where, "cannot select values");
  const Dataspace memory_space(check_id(H5Screate_simple(1, &count, nullptr), where,
                                        "cannot create dataspace"));
  check_status(H5Dread(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT,
                       values.data()),
               where, "cannot read dataset");
  return values;
}

void require_class(hid_t dataset, H5T_class_t wanted, const char* what, const Where& where) {
  const Datatype type = dataset_type(dataset, where);
  if (H5Tget_class(type.get()) != wanted) {
    fail(where, std::string("expected ") + what + " values, found " + type_class_name(type.get()));
  }
}

}  // namespace

std::vector<double> read_doubles_range(hid_t dataset, hsize_t offset, hsize_t count,
                                       const Where& where) {
  require_class(dataset, H5T_FLOAT, "floating-point", where);
  return read_range<double>(dataset, H5T_NATIVE_DOUBLE, offset, count, where);
}

std::vector<std::int64_t> read_integers_range(hid_t dataset, hsize_t offset, hsize_t count,
                                              const Where& where) {
  require_class(dataset, H5T_INTEGER, "integer", where);
  return read_range<std::int64_t>(dataset, H5T_NATIVE_INT64, offset, count, where);
}

std::vector<double> read_doubles(hid_t dataset, const Where& where) {
  const Datatype type = dataset_type(dataset, where);
  if (H5Tget_class(type.get()) != H5T_FLOAT) {
    fail(where, "expected floating-point values, found " + type_class_name(type.get()));
  }
  return read_all<double>(dataset, H5T_NATIVE_DOUBLE, where);
}

std::vector<std::uint64_t> read_ids(hid_t dataset, const Where& where) {
  const Datatype type = dataset_type(dataset, where);
  if (H5Tget_class(type.get()) != H5T_INTEGER) {
    fail(where, "expected integer values, found " + type_class_name(type.get()));
  }
  if (H5Tget_sign(type.get()) != H5T_SGN_2) {
    return read_all<std::uint64_t>(dataset, H5T_NATIVE_UINT64, where);
  }
  // Other tools write ids as int32 or int64; HDF5 would silently clamp a negative one.
  const auto signed_ids = read_all<std::int64_t>(dataset, H5T_NATIVE_INT64, where);
  std::vector<std::uint64_t> ids(signed_ids.size());
  for (std::size_t i = 0; i < signed_ids.size(); ++i) {
    if (signed_ids[i] < 0) {
      fail(where,
           "negative id " + std::to_string(signed_ids[i]) + " at index " + std::to_string(i));
    }
    ids[i] = static_cast<std::uint64_t>(signed_ids[i]);
  }
  return ids;
}

std::vector<std::int64_t> read_integers(hid_t dataset, const Where& where) {
  const Datatype type = dataset_type(dataset, where);
  if (H5Tget_class(type.get()) != H5T_INTEGER) {
    fail(where, "expected integer values, found " + type_class_name(type.get()));
  }
  return read_all<std::int64_t>(dataset, H5T_NATIVE_INT64, where);
}

}  // namespace spikeq::io::hdf5
