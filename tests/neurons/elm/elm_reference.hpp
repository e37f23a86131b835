#pragma once
// The ELM reference data shipped in models/data (elm_reference.md there): trained
// weights with the inputs and outputs of the original PyTorch implementation, read with
// the HDF5 C API. The files are part of the source tree, so a test without them fails.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace spikeq::test {

inline std::string elm_reference_dir() { return std::string(SPIKEQ_SOURCE_DIR) + "/models/data"; }

/// The path of reference model `name` ("best_elm_neuron"); the calling test fails when
/// the file is missing.
inline std::string elm_reference(const std::string& name) {
  const std::string p = elm_reference_dir() + "/" + name + ".h5";
  REQUIRE_MESSAGE(std::filesystem::is_regular_file(p), "the ELM reference data " << p << " is missing");
  return p;
}

/// A whole dataset of the reference file as double, with its shape.
struct RefArray {
  std::vector<hsize_t> shape;
  std::vector<double> values;
  [[nodiscard]] double at(hsize_t b, hsize_t t, hsize_t k) const {
    return values[(b * shape[1] + t) * shape[2] + k];
  }
};

inline RefArray read_reference(const std::string& file, const std::string& dataset) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open " + file);
  const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  if (d < 0) {
    H5Fclose(f);
    throw std::runtime_error(file + ": no dataset " + dataset);
  }
  const hid_t space = H5Dget_space(d);
  RefArray out;
  out.shape.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, out.shape.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t s : out.shape) n *= s;
  out.values.resize(n);
  const herr_t status = H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  if (status < 0) throw std::runtime_error(file + ": cannot read " + dataset);
  return out;
}

}  // namespace spikeq::test
