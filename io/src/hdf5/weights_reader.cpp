// read_weight_series, read_weight_snapshot: /weights/<projection>/ of a spike file.
#include <array>

#include "attributes.hpp"
#include "datasets.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "layout.hpp"
#include "spikeq/io/weights.hpp"

namespace spikeq::io {

namespace h5 = hdf5;
namespace layout = hdf5::layout;

namespace {

constexpr const char* kWeightsGroup = "weights";

std::vector<double> read_vector(hid_t group, const std::string& name, const h5::Where& where,
                                std::size_t expected, const char* what) {
  const h5::Dataset d = h5::open_dataset(group, name, where);
  const auto dims = h5::dimensions(d.get(), where);
  if (dims.size() != 1) {
    h5::fail(where, "expected a 1-D dataset, found " + std::to_string(dims.size()) + " dimensions");
  }
  if (expected != static_cast<std::size_t>(-1) && dims[0] != expected) {
    h5::fail(where, "expected " + std::to_string(expected) + " values (" + what + "), found " +
                        std::to_string(dims[0]));
  }
  return h5::read_doubles(d.get(), where);
}

std::vector<std::uint32_t> read_u32s(hid_t group, const std::string& name, const h5::Where& where,
                                     std::size_t expected) {
  const h5::Dataset d = h5::open_dataset(group, name, where);
  const auto dims = h5::dimensions(d.get(), where);
  if (dims.size() != 1 || (expected != static_cast<std::size_t>(-1) && dims[0] != expected)) {
    h5::fail(where, "expected a 1-D dataset with one id per synapse");
  }
  const std::vector<std::uint64_t> ids = h5::read_ids(d.get(), where);
  std::vector<std::uint32_t> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] > 0xffffffffu) h5::fail(where, "id " + std::to_string(ids[i]) + " exceeds 32 bits");
    out[i] = static_cast<std::uint32_t>(ids[i]);
  }
  return out;
}

/// values must be [snapshots x synapses].
void check_values(hid_t group, const WeightSeries& s, const h5::Where& where) {
  const h5::Dataset values = h5::open_dataset(group, "values", where);
  const auto dims = h5::dimensions(values.get(), where);
  if (dims.size() != 2 || dims[0] != s.snapshots() || dims[1] != s.synapses()) {
    std::string shape;
    for (hsize_t d : dims) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    h5::fail(where, "expected " + std::to_string(s.snapshots()) + " x " +
                        std::to_string(s.synapses()) + " values (snapshots x synapses), found " +
                        (shape.empty() ? "a scalar" : shape));
  }
}

WeightSeries read_series(hid_t weights, const std::string& name, const std::string& path) {
  const std::string group_path = h5::join(std::string("/") + kWeightsGroup, name);
  const h5::Group group = h5::open_group(weights, name, {path, group_path});
  auto where = [&](const char* d) { return h5::Where{path, h5::join(group_path, d)}; };
  constexpr auto any = static_cast<std::size_t>(-1);
  WeightSeries s;
  s.projection = name;
  s.source_ids = read_u32s(group.get(), "source_ids", where("source_ids"), any);
  s.target_ids = read_u32s(group.get(), "target_ids", where("target_ids"), s.source_ids.size());
  s.delays = read_vector(group.get(), "delays", where("delays"), s.source_ids.size(),
                         "one per synapse");
  s.times = read_vector(group.get(), "times", where("times"), any, "one per snapshot");
  check_values(group.get(), s, where("values"));
  const h5::Dataset values = h5::open_dataset(group.get(), "values", where("values"));
  s.units = h5::read_string(values.get(), layout::units, where("values")).value_or("");
  return s;
}

}  // namespace

std::vector<WeightSeries> read_weight_series(const std::string& path) {
  const h5::QuietErrors quiet;
  const h5::File file = h5::open_file(path);
  const h5::Where weights_where{path, std::string("/") + kWeightsGroup};
  std::vector<WeightSeries> out;
  if (!h5::has_member(file.get(), kWeightsGroup, weights_where)) return out;
  const h5::Group weights = h5::open_group(file.get(), kWeightsGroup, weights_where);
  for (const auto& member : h5::list_members(weights.get(), weights_where)) {
    if (member.kind == h5::MemberKind::group) {
      out.push_back(read_series(weights.get(), member.name, path));
    }
  }
  return out;
}

std::vector<float> read_weight_snapshot(const std::string& path, const std::string& projection,
                                        std::size_t snapshot) {
  const h5::QuietErrors quiet;
  const h5::File file = h5::open_file(path);
  const std::string group_path = h5::join(std::string("/") + kWeightsGroup, projection);
  const h5::Where where{path, h5::join(group_path, "values")};
  const h5::Group weights =
      h5::open_group(file.get(), kWeightsGroup, {path, std::string("/") + kWeightsGroup});
  const h5::Group group = h5::open_group(weights.get(), projection, {path, group_path});
  const h5::Dataset values = h5::open_dataset(group.get(), "values", where);
  const auto dims = h5::dimensions(values.get(), where);
  if (dims.size() != 2) h5::fail(where, "expected a 2-D dataset (snapshots x synapses)");
  if (snapshot >= dims[0]) {
    h5::fail(where, "snapshot " + std::to_string(snapshot) + " out of range (" +
                        std::to_string(dims[0]) + " snapshots)");
  }
  std::vector<float> out(dims[1]);
  if (out.empty()) return out;
  const std::array<hsize_t, 2> start = {snapshot, 0};
  const std::array<hsize_t, 2> count = {1, dims[1]};
  const h5::Dataspace file_space(
      h5::check_id(H5Dget_space(values.get()), where, "cannot get dataspace"));
  h5::check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                       count.data(), nullptr),
                   where, "cannot select a snapshot");
  const h5::Dataspace memory_space(
      h5::check_id(H5Screate_simple(2, count.data(), nullptr), where, "cannot create dataspace"));
  h5::check_status(H5Dread(values.get(), H5T_NATIVE_FLOAT, memory_space.get(), file_space.get(),
                           H5P_DEFAULT, out.data()),
                   where, "cannot read dataset");
  return out;
}

}  // namespace spikeq::io
