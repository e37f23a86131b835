#pragma once
// Small recorded-spike files in the exact layouts io::open_replay reads, written with the
// HDF5 C API (and plain text), for the replay tests.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace spikeq::test {

inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("spikeq_replay_" + name)).string();
}

template <typename T>
void write_1d(hid_t parent, const char* name, hid_t file_type, hid_t memory_type,
              const std::vector<T>& values) {
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t d = H5Dcreate2(parent, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (n > 0) H5Dwrite(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(d);
  H5Sclose(space);
}

inline void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.size());
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, type, value.data());
  H5Aclose(a);
  H5Sclose(space);
  H5Tclose(type);
}

/// /spikes/<population>/{timestamps (float64, `units`), node_ids (uint64)}.
inline std::string sonata_file(const std::string& name, const std::string& population,
                               const std::vector<double>& times,
                               const std::vector<std::uint64_t>& ids,
                               const std::string& units = "ms") {
  const std::string path = temp_path(name);
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t spikes = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t g = H5Gcreate2(spikes, population.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_1d(g, "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, times);
  write_1d(g, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, ids);
  const hid_t d = H5Dopen2(g, "timestamps", H5P_DEFAULT);
  write_string_attribute(d, "units", units);
  H5Dclose(d);
  H5Gclose(g);
  H5Gclose(spikes);
  H5Fclose(f);
  return path;
}

/// SHD: /spikes/times (vlen float32, s), /spikes/units (vlen uint16), /labels (uint8).
struct ShdSampleData {
  std::vector<float> times_s;
  std::vector<std::uint16_t> units;
};
inline std::string shd_file(const std::string& name, const std::vector<ShdSampleData>& samples,
                            const std::vector<std::uint8_t>& labels) {
  const std::string path = temp_path(name);
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t spikes = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t n = samples.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  std::vector<hvl_t> t(n), u(n);
  for (hsize_t k = 0; k < n; ++k) {
    t[k] = {samples[k].times_s.size(), const_cast<float*>(samples[k].times_s.data())};
    u[k] = {samples[k].units.size(), const_cast<std::uint16_t*>(samples[k].units.data())};
  }
  const hid_t tt = H5Tvlen_create(H5T_NATIVE_FLOAT);
  const hid_t ut = H5Tvlen_create(H5T_NATIVE_UINT16);
  const hid_t dt = H5Dcreate2(spikes, "times", tt, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(dt, tt, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data());
  const hid_t du = H5Dcreate2(spikes, "units", ut, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(du, ut, H5S_ALL, H5S_ALL, H5P_DEFAULT, u.data());
  H5Dclose(dt);
  H5Dclose(du);
  H5Tclose(tt);
  H5Tclose(ut);
  H5Sclose(space);
  write_1d(f, "labels", H5T_STD_U8LE, H5T_NATIVE_UINT8, labels);
  H5Gclose(spikes);
  H5Fclose(f);
  return path;
}

/// NWB units table: /units/spike_times (float64, s), spike_times_index (int64 ends),
/// id (int64).
inline std::string nwb_file(const std::string& name,
                            const std::vector<std::pair<std::int64_t, std::vector<double>>>& units) {
  const std::string path = temp_path(name);
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t g = H5Gcreate2(f, "units", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<double> times;
  std::vector<std::int64_t> ends, ids;
  for (const auto& [id, t] : units) {
    times.insert(times.end(), t.begin(), t.end());
    ends.push_back(static_cast<std::int64_t>(times.size()));
    ids.push_back(id);
  }
  write_1d(g, "spike_times", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, times);
  write_1d(g, "spike_times_index", H5T_STD_I64LE, H5T_NATIVE_INT64, ends);
  write_1d(g, "id", H5T_STD_I64LE, H5T_NATIVE_INT64, ids);
  H5Gclose(g);
  H5Fclose(f);
  return path;
}

inline std::string text_file(const std::string& name, const std::string& content) {
  const std::string path = temp_path(name);
  std::ofstream(path) << content;
  return path;
}

}  // namespace spikeq::test
