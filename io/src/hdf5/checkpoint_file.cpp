// HDF5 archives for checkpoints (io/checkpoint.hpp): a StateArchive that writes each
// array as a dataset under /state, and one that reads them back, checking type and size.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>

#include "attributes.hpp"
#include "datasets.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "spikeq/io/pending_file.hpp"
#include "spikeq/io/isolated_read.hpp"
#include "spikeq/core/checkpoint.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace {

using hdf5::Where;

constexpr const char* kFormat = "spikeq checkpoint";
constexpr std::uint64_t kVersion = 2;  // 2: /checkpoint/state_crc32

template <typename T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
}

template <typename T>
hid_t file_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
  if constexpr (std::is_same_v<T, float>) return H5T_IEEE_F32LE;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
  if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_STD_U32LE;
}

/// CRC-32 (zlib) of every array in the order the state is walked, each as its name then
/// its values' bytes: a checkpoint that changed after it was written (a flipped byte, a
/// truncated array, an edit) no longer matches, and is refused before it is simulated.
class StateChecksum {
 public:
  template <typename T>
  void add(const std::string& name, const std::vector<T>& values) {
    // zlib restarts at a null buffer (an empty vector's data()): skip empty parts.
    crc_ = crc32_z(crc_, reinterpret_cast<const Bytef*>(name.data()), name.size());
    if (!values.empty()) {
      crc_ = crc32_z(crc_, reinterpret_cast<const Bytef*>(values.data()), values.size() * sizeof(T));
    }
  }
  [[nodiscard]] std::uint64_t value() const { return crc_; }

 private:
  uLong crc_ = crc32_z(0L, Z_NULL, 0);
};

class Writer final : public StateArchive {
 public:
  Writer(hid_t state, std::string path) : state_(state), path_(std::move(path)) {}
  [[nodiscard]] bool saving() const override { return true; }
  void array(const std::string& n, std::vector<double>& d, bool) override { put(n, d); }
  void array(const std::string& n, std::vector<float>& d, bool) override { put(n, d); }
  void array(const std::string& n, std::vector<std::int64_t>& d, bool) override { put(n, d); }
  void array(const std::string& n, std::vector<std::uint64_t>& d, bool) override { put(n, d); }
  void array(const std::string& n, std::vector<std::int32_t>& d, bool) override { put(n, d); }
  void array(const std::string& n, std::vector<std::uint32_t>& d, bool) override { put(n, d); }

 private:
  template <typename T>
  void put(const std::string& name, const std::vector<T>& values) {
    checksum_.add(name, values);
    const Where at{path_, "/state/" + name};
    const hsize_t n = values.size();
    const hdf5::Dataspace space(hdf5::check_id(H5Screate_simple(1, &n, nullptr), at, "cannot create dataspace"));
    const hdf5::Group parent = parent_group(name);
    const hdf5::PropertyList dcpl(hdf5::check_id(H5Pcreate(H5P_DATASET_CREATE), at, "cannot create properties"));
    hdf5::untimed(dcpl.get(), at);  // the same state gives the same bytes
    const std::string leaf = name.substr(name.rfind('/') + 1);
    hdf5::Dataset d(hdf5::check_id(H5Dcreate2(parent.get(), leaf.c_str(), file_type<T>(), space.get(),
                                              H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                                   at, "cannot create dataset"));
    if (n > 0) {
      hdf5::check_status(H5Dwrite(d.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                         at, "cannot write dataset");
    }
    // The close writes HDF5's buffer of the values: its failure is a failed write.
    if (!d.close()) hdf5::fail_hdf5(at, "cannot write dataset");
  }

  /// The group that holds "a/b/name" under /state, created (untimed) as needed; HDF5's
  /// own intermediate groups would record their creation time.
  hdf5::Group parent_group(const std::string& name) {
    hdf5::Group group(H5Oopen(state_, ".", H5P_DEFAULT));
    std::size_t start = 0;
    for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', start)) {
      const std::string part = name.substr(start, slash - start);
      const Where at{path_, "/state/" + name.substr(0, slash)};
      group = H5Lexists(group.get(), part.c_str(), H5P_DEFAULT) > 0
                  ? hdf5::open_group(group.get(), part, at)
                  : hdf5::create_group(group.get(), part, at);
      start = slash + 1;
    }
    return group;
  }

  hid_t state_;
  std::string path_;
  StateChecksum checksum_;

 public:
  [[nodiscard]] std::uint64_t checksum() const { return checksum_.value(); }
};

class Reader final : public StateArchive {
 public:
  Reader(hid_t state, std::string path) : state_(state), path_(std::move(path)) {}
  [[nodiscard]] bool saving() const override { return false; }
  void array(const std::string& n, std::vector<double>& d, bool f) override { get(n, d, f, H5T_FLOAT); }
  void array(const std::string& n, std::vector<float>& d, bool f) override { get(n, d, f, H5T_FLOAT); }
  void array(const std::string& n, std::vector<std::int64_t>& d, bool f) override { get(n, d, f, H5T_INTEGER); }
  void array(const std::string& n, std::vector<std::uint64_t>& d, bool f) override { get(n, d, f, H5T_INTEGER); }
  void array(const std::string& n, std::vector<std::int32_t>& d, bool f) override { get(n, d, f, H5T_INTEGER); }
  void array(const std::string& n, std::vector<std::uint32_t>& d, bool f) override { get(n, d, f, H5T_INTEGER); }

 private:
  template <typename T>
  void get(const std::string& name, std::vector<T>& values, bool fixed, H5T_class_t cls) {
    const Where at{path_, "/state/" + name};
    if (H5Lexists(state_, name.c_str(), H5P_DEFAULT) <= 0) {
      hdf5::fail(at, "missing: the checkpoint is not of this model");
    }
    const hdf5::Dataset d = hdf5::open_dataset(state_, name, at);
    const hdf5::Datatype type(hdf5::check_id(H5Dget_type(d.get()), at, "cannot get datatype"));
    if (H5Tget_class(type.get()) != cls || H5Tget_size(type.get()) != sizeof(T)) {
      hdf5::fail(at, "has type " + hdf5::type_class_name(type.get()) + " of " +
                         std::to_string(H5Tget_size(type.get())) + " bytes, expected " +
                         std::to_string(sizeof(T)));
    }
    const auto dims = hdf5::dimensions(d.get(), at);
    if (dims.size() != 1) hdf5::fail(at, "must be 1-D");
    if (fixed && dims[0] != values.size()) {
      hdf5::fail(at, "has " + std::to_string(dims[0]) + " values, this network " +
                         std::to_string(values.size()) + ": the checkpoint is of another model");
    }
    hdf5::check_declared_size(d.get(), dims[0], sizeof(T), at);
    values.resize(dims[0]);
    if (dims[0] > 0) {
      hdf5::check_status(H5Dread(d.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                         at, "cannot read dataset");
    }
    checksum_.add(name, values);
  }

  hid_t state_;
  std::string path_;
  StateChecksum checksum_;

 public:
  [[nodiscard]] std::uint64_t checksum() const { return checksum_.value(); }
};

/// Names of the datasets under /state, collected first: HDF5's visit callback is C and
/// cannot carry an exception out.
herr_t collect_dataset(hid_t group, const char* name, const H5L_info_t* /*info*/, void* out) {
  H5O_info_t object{};
  if (H5Oget_info_by_name(group, name, &object, H5P_DEFAULT) < 0) return -1;
  if (object.type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

/// Reads every array under /state in full, as the restore would (in a child process:
/// isolated_read.hpp), without a network to restore into.
void read_state_arrays(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const hdf5::File file = hdf5::open_file(path);
  const hdf5::Group state = hdf5::open_group(file.get(), "state", Where{path, "/state"});
  std::vector<std::string> names;
  if (H5Lvisit(state.get(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &names) < 0) {
    hdf5::fail_hdf5(Where{path, "/state"}, "cannot list the arrays");
  }
  for (const std::string& name : names) {
    const Where at{path, "/state/" + name};
    const hdf5::Dataset d = hdf5::open_dataset(state.get(), name, at);
    const hdf5::Datatype type(hdf5::check_id(H5Dget_type(d.get()), at, "cannot get datatype"));
    const std::size_t bytes = H5Tget_size(type.get());
    const auto dims = hdf5::dimensions(d.get(), at);
    if (dims.size() != 1 || bytes == 0 || bytes > 8) hdf5::fail(at, "is not a 1-D array of numbers");
    hdf5::check_declared_size(d.get(), dims[0], bytes, at);
    std::vector<unsigned char> raw(dims[0] * bytes);
    if (!raw.empty()) {
      hdf5::check_status(H5Dread(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), at,
                         "cannot read dataset");
    }
  }
}

CheckpointInfo read_info(const std::string& path);
void write_checkpoint_file(Simulation& sim, const std::string& path, const CheckpointInfo& info);

}  // namespace

void write_checkpoint(Simulation& sim, const std::string& path, CheckpointInfo info) {
  try {
    write_checkpoint_file(sim, path, info);
  } catch (const FileError& e) {
    // The message names the temporary file the failure happened in; the user's is first.
    throw FileError(path + ": checkpoint not written (the old one, if any, is unchanged): " + e.what());
  }
}

namespace {

void write_checkpoint_file(Simulation& sim, const std::string& path, const CheckpointInfo& info) {
  const hdf5::QuietErrors quiet;
  PendingFile pending(path);
  const std::string& partial = pending.path();
  {
    hdf5::File file = hdf5::create_file(partial);
    const Where at{partial, "/checkpoint"};
    const hdf5::Group meta = hdf5::create_group(file.get(), "checkpoint", at);
    hdf5::write_string(meta.get(), "format", kFormat, at);
    hdf5::write_u64(meta.get(), "version", kVersion, at);
    hdf5::write_string(meta.get(), "spikeq_version",
                       std::to_string(SPIKEQ_VERSION_MAJOR) + "." + std::to_string(SPIKEQ_VERSION_MINOR) +
                           "." + std::to_string(SPIKEQ_VERSION_PATCH),
                       at);
    hdf5::write_u64(meta.get(), "step", static_cast<std::uint64_t>(sim.step()), at);
    hdf5::write_f64(meta.get(), "time_ms", sim.time(), at);
    hdf5::write_f64(meta.get(), "dt", sim.network().dt(), at);
    hdf5::write_u64(meta.get(), "seed", sim.options().seed, at);
    hdf5::write_string(meta.get(), "model_file", info.model_file, at);
    hdf5::write_string(meta.get(), "model_yaml", info.model_yaml, at);
    const hdf5::Group state = hdf5::create_group(file.get(), "state", Where{partial, "/state"});
    Writer w(state.get(), partial);
    sim.save_state(w);
    hdf5::write_u64(meta.get(), "state_crc32", w.checksum(), at);
    hdf5::close_file(file, partial);
  }
  pending.commit();
}

}  // namespace

CheckpointInfo read_checkpoint_info(const std::string& path) {
  read_in_child(path, [&] { (void)read_info(path); });
  return read_info(path);
}

namespace {

CheckpointInfo read_info(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const hdf5::File file = hdf5::open_file(path);
  const Where at{path, "/checkpoint"};
  const hdf5::Group meta = hdf5::open_group(file.get(), "checkpoint", at);
  const auto format = hdf5::read_string(meta.get(), "format", at);
  if (!format || *format != kFormat) hdf5::fail(at, "is not a spikeq checkpoint (attribute format)");
  const auto version = hdf5::read_u64(meta.get(), "version", at);
  if (!version || *version != kVersion) {
    hdf5::fail(at, "has checkpoint version " + std::to_string(version.value_or(0)) +
                       "; this spikeq reads version " + std::to_string(kVersion));
  }
  auto need_string = [&](const char* name) {
    const auto v = hdf5::read_string(meta.get(), name, at);
    if (!v) hdf5::fail(Where{path, hdf5::attribute_path("/checkpoint", name)}, "attribute missing");
    return *v;
  };
  auto need_u64 = [&](const char* name) {
    const auto v = hdf5::read_u64(meta.get(), name, at);
    if (!v) hdf5::fail(Where{path, hdf5::attribute_path("/checkpoint", name)}, "attribute missing");
    return *v;
  };
  auto need_f64 = [&](const char* name) {
    const auto v = hdf5::read_f64(meta.get(), name, at);
    if (!v) hdf5::fail(Where{path, hdf5::attribute_path("/checkpoint", name)}, "attribute missing");
    return *v;
  };
  CheckpointInfo info;
  info.model_yaml = need_string("model_yaml");
  info.model_file = need_string("model_file");
  info.step = need_u64("step");
  info.time_ms = need_f64("time_ms");
  info.dt = need_f64("dt");
  info.seed = need_u64("seed");
  // The time must be the step's: a NaN or a step beyond 2^62 is a damaged file.
  if (!(info.dt > 0.0) || !std::isfinite(info.dt) || !(static_cast<double>(info.step) < kMaxSteps) ||
      !(std::fabs(info.time_ms - static_cast<double>(info.step) * info.dt) <= 1e-9 * std::max(1.0, info.time_ms))) {
    hdf5::fail(at, "step " + std::to_string(info.step) + ", time_ms " + detail::format_number(info.time_ms) +
                       " and dt " + detail::format_number(info.dt) + " ms do not agree");
  }
  return info;
}

}  // namespace

Simulation restore_checkpoint(const std::string& path, const Network& network,
                              const SimulationOptions& options) {
  read_in_child(path, [&] {
    (void)read_info(path);
    read_state_arrays(path);
  });
  const CheckpointInfo info = read_info(path);
  if (std::fabs(info.dt - network.dt()) > 1e-12 * info.dt) {
    throw FileError(path + ": /checkpoint: dt is " + detail::format_number(info.dt) + " ms, the network's " +
                    detail::format_number(network.dt()) + " ms: the checkpoint is of another model");
  }
  if (info.seed != options.seed) {
    throw FileError(path + ": /checkpoint: seed is " + std::to_string(info.seed) +
                    ", the simulation's " + std::to_string(options.seed) +
                    ": random draws would not continue");
  }
  const hdf5::QuietErrors quiet;
  const hdf5::File file = hdf5::open_file(path);
  const hdf5::Group meta = hdf5::open_group(file.get(), "checkpoint", Where{path, "/checkpoint"});
  const Where crc_at{path, hdf5::attribute_path("/checkpoint", "state_crc32")};
  const auto stored = hdf5::read_u64(meta.get(), "state_crc32", crc_at);
  if (!stored) hdf5::fail(crc_at, "attribute missing");
  const hdf5::Group state = hdf5::open_group(file.get(), "state", Where{path, "/state"});
  Reader r(state.get(), path);
  // Restoring only copies the arrays into place (and checks their ranges); nothing runs
  // before the checksum has matched.
  Simulation sim(network, options, r);
  if (r.checksum() != *stored) {
    hdf5::fail(Where{path, "/state"}, "does not match its checksum (state_crc32): the file changed "
                                      "after it was written, and is not simulated");
  }
  return sim;
}

}  // namespace spikeq::io
