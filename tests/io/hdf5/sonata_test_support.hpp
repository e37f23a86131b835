#pragma once
// Shared by the SONATA tests: scratch folders, running code in a child process that
// dies without cleaning up, and looking at files through the HDF5 C API.
#include <hdf5.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "spikeq/io/sonata.hpp"

namespace sonata_test {

/// A fresh folder under the system temp folder, removed with its contents at the end.
class TempDir {
 public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "spikeq_sonata_XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + name);
    path_ = name;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Runs `body` in a forked child and returns its exit status (-1 if it did not exit).
/// `body` ends the child itself with _exit, skipping destructors and HDF5's cleanup,
/// as a killed process would; if it returns, the child exits with 0, if it throws, 3.
inline int run_in_child(const std::function<void()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    try {
      body();
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline spikeq::io::RunMetadata example_meta() {
  spikeq::io::RunMetadata meta;
  meta.model_yaml = "populations:\n  exc: {size: 80, model: lif_psc_exp}\n  inh: {size: 20}\n";
  meta.seed = 0xFEEDFACECAFEBEEFULL;  // above 2^63: must survive as uint64
  meta.spikeq_version = "0.1.0";
  meta.dt = 0.1;
  return meta;
}

/// Read-only view of an HDF5 file for checks; ids opened through it are closed with it.
class Inspect {
 public:
  explicit Inspect(const std::string& path)
      : file_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~Inspect() {
    for (auto it = ids_.rbegin(); it != ids_.rend(); ++it) H5Oclose(*it);
    if (file_ >= 0) H5Fclose(file_);
  }
  Inspect(const Inspect&) = delete;
  Inspect& operator=(const Inspect&) = delete;

  [[nodiscard]] bool ok() const { return file_ >= 0; }
  [[nodiscard]] hid_t file() const { return file_; }
  [[nodiscard]] bool exists(const std::string& object) const {
    return H5Oexists_by_name(file_, object.c_str(), H5P_DEFAULT) > 0;
  }

  /// The type of an attribute (object "/" for the root), or -1; the caller closes it.
  [[nodiscard]] hid_t attribute_type(const std::string& object, const std::string& name) {
    const hid_t attr =
        H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0) return -1;
    const hid_t type = H5Aget_type(attr);
    H5Aclose(attr);
    return type;
  }
  [[nodiscard]] hid_t dataset(const std::string& object) {
    const hid_t id = H5Dopen2(file_, object.c_str(), H5P_DEFAULT);
    if (id >= 0) ids_.push_back(id);
    return id;
  }

  /// Whether the attribute's type is exactly `expected` (e.g. H5T_STD_U64LE).
  bool attribute_is(const std::string& object, const std::string& name, hid_t expected) {
    const hid_t type = attribute_type(object, name);
    const bool equal = type >= 0 && H5Tequal(type, expected) > 0;
    if (type >= 0) H5Tclose(type);
    return equal;
  }
  /// Whether the attribute is a scalar variable-length UTF-8 string.
  bool attribute_is_utf8_string(const std::string& object, const std::string& name) {
    const hid_t type = attribute_type(object, name);
    const bool ok = type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 &&
                    H5Tget_cset(type) == H5T_CSET_UTF8;
    if (type >= 0) H5Tclose(type);
    return ok;
  }
  bool dataset_is(const std::string& object, hid_t expected) {
    const hid_t id = dataset(object);
    if (id < 0) return false;
    const hid_t type = H5Dget_type(id);
    const bool equal = H5Tequal(type, expected) > 0;
    H5Tclose(type);
    return equal;
  }
  std::vector<hsize_t> dims(const std::string& object, bool maximum = false) {
    const hid_t id = dataset(object);
    if (id < 0) return {};
    const hid_t space = H5Dget_space(id);
    std::vector<hsize_t> current(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
    std::vector<hsize_t> max(current.size());
    H5Sget_simple_extent_dims(space, current.data(), max.data());
    H5Sclose(space);
    return maximum ? max : current;
  }
  /// Chunk shape (empty if not chunked) and number of filters (compression).
  std::vector<hsize_t> chunk(const std::string& object, int* filters = nullptr) {
    const hid_t id = dataset(object);
    if (id < 0) return {};
    const hid_t dcpl = H5Dget_create_plist(id);
    std::vector<hsize_t> shape;
    if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
      shape.resize(static_cast<std::size_t>(H5Pget_chunk(dcpl, 0, nullptr)));
      H5Pget_chunk(dcpl, static_cast<int>(shape.size()), shape.data());
    }
    if (filters != nullptr) *filters = H5Pget_nfilters(dcpl);
    H5Pclose(dcpl);
    return shape;
  }
  template <typename T>
  std::vector<T> read(const std::string& object, hid_t memory_type) {
    const hid_t id = dataset(object);
    if (id < 0) return {};
    const hid_t space = H5Dget_space(id);
    std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    H5Sclose(space);
    if (!values.empty()) H5Dread(id, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    return values;
  }

 private:
  hid_t file_;
  std::vector<hid_t> ids_;
};

/// Builds files the way other SONATA writers (bmtk, NEST, h5py scripts) do.
class Build {
 public:
  explicit Build(const std::string& path)
      : file_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
  ~Build() { H5Fclose(file_); }
  Build(const Build&) = delete;
  Build& operator=(const Build&) = delete;

  void group(const std::string& path) {
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    H5Gclose(H5Gcreate2(file_, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT));
    H5Pclose(lcpl);
  }
  /// A dataset of `dims` holding `values` (memory type `memory`, file type `stored`).
  template <typename T>
  void dataset(const std::string& path, hid_t stored, hid_t memory, const std::vector<T>& values,
               std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {values.size()};
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t id = H5Dcreate2(file_, path.c_str(), stored, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    if (!values.empty()) H5Dwrite(id, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    H5Dclose(id);
    H5Pclose(lcpl);
    H5Sclose(space);
  }
  /// A fixed-length ASCII string attribute, as h5py writes numpy bytes.
  void fixed_string_attribute(const std::string& object, const std::string& name,
                              const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size());
    scalar_attribute(object, name, type, type, value.data());
    H5Tclose(type);
  }
  /// Text as an array of one-byte strings, as libsonata's early report writer stored it.
  void char_array_attribute(const std::string& object, const std::string& name,
                            const std::string& value) {
    const hsize_t size = value.size();
    const hid_t space = H5Screate_simple(1, &size, nullptr);
    const hid_t attr = H5Acreate_by_name(file_, object.c_str(), name.c_str(), H5T_C_S1, space,
                                         H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, H5T_C_S1, value.data());
    H5Aclose(attr);
    H5Sclose(space);
  }
  void scalar_attribute(const std::string& object, const std::string& name, hid_t stored,
                        hid_t memory, const void* value) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate_by_name(file_, object.c_str(), name.c_str(), stored, space,
                                         H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, memory, value);
    H5Aclose(attr);
    H5Sclose(space);
  }

 private:
  hid_t file_;
};

}  // namespace sonata_test
