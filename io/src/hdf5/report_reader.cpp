// read_report_file: SONATA reports with one value per node (spikeq's, and other
// writers' soma reports).
#include <algorithm>

#include "attributes.hpp"
#include "datasets.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "layout.hpp"
#include "run_metadata.hpp"
#include "spikeq/io/sonata.hpp"
#include "time_units.hpp"

namespace spikeq::io {

namespace h5 = hdf5;
namespace layout = hdf5::layout;

namespace {

const std::string report_path = std::string("/") + layout::report_group;

h5::Group open_report_group(const h5::File& file, const std::string& path) {
  const h5::Where where{path, report_path};
  if (!h5::has_member(file.get(), layout::report_group, where)) {
    h5::fail(where, "group missing (not a SONATA report file)");
  }
  return h5::open_group(file.get(), layout::report_group, where);
}

std::vector<std::uint64_t> read_node_ids(hid_t mapping, const std::string& mapping_path,
                                         const std::string& path) {
  const h5::Where where{path, h5::join(mapping_path, layout::node_ids)};
  const h5::Dataset dataset = h5::open_dataset(mapping, layout::node_ids, where);
  if (h5::dimensions(dataset.get(), where).size() != 1) h5::fail(where, "expected a 1-D dataset");
  return h5::read_ids(dataset.get(), where);
}

/// ReportFile has one column per node: other layouts (compartments) are refused.
void check_one_value_per_node(hid_t mapping, const std::string& mapping_path, std::size_t nodes,
                              const std::string& path) {
  // The spec's dataset list and libsonata say index_pointers, bmtk index_pointer.
  const h5::Where plural{path, h5::join(mapping_path, layout::index_pointers)};
  const char* name = h5::has_member(mapping, layout::index_pointers, plural)
                         ? layout::index_pointers
                         : layout::index_pointer;
  const h5::Where where{path, h5::join(mapping_path, name)};
  if (!h5::has_member(mapping, name, where)) {
    h5::fail(plural, "dataset missing (nor is there " + where.object + ")");
  }
  const h5::Dataset dataset = h5::open_dataset(mapping, name, where);
  const auto pointers = h5::read_ids(dataset.get(), where);
  if (pointers.size() != nodes + 1) {
    h5::fail(where, "has " + std::to_string(pointers.size()) + " values, expected " +
                        std::to_string(nodes + 1) + " (one more than mapping/node_ids)");
  }
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    if (pointers[i] != i) {
      h5::fail(where, "node " + std::to_string(i == 0 ? 0 : i - 1) +
                          " does not have exactly one value: only reports with one value per node "
                          "(soma reports) are supported");
    }
  }
}

void read_time(hid_t mapping, const std::string& mapping_path, const std::string& path,
               ReportFile& report) {
  const h5::Where where{path, h5::join(mapping_path, layout::time)};
  const h5::Dataset dataset = h5::open_dataset(mapping, layout::time, where);
  const auto time = h5::read_doubles(dataset.get(), where);
  if (time.size() != 3) {
    h5::fail(where, "expected 3 values (start, stop, step), found " + std::to_string(time.size()));
  }
  const double factor = h5::to_ms_factor(dataset.get(), where);
  report.start = time[0] * factor;
  report.stop = time[1] * factor;
  report.step = time[2] * factor;
}

ReportFile read_population(const h5::File& file, hid_t report_group, const std::string& name,
                           const std::string& path) {
  ReportFile report;
  report.population = name;
  const std::string population_path = h5::join(report_path, name);
  const std::string mapping_path = h5::join(population_path, layout::mapping);
  const h5::Group population = h5::open_group(report_group, name, {path, population_path});
  const h5::Group mapping = h5::open_group(population.get(), layout::mapping, {path, mapping_path});

  report.node_ids = read_node_ids(mapping.get(), mapping_path, path);
  check_one_value_per_node(mapping.get(), mapping_path, report.node_ids.size(), path);
  read_time(mapping.get(), mapping_path, path, report);

  const h5::Where data_where{path, h5::join(population_path, layout::data)};
  const h5::Dataset data = h5::open_dataset(population.get(), layout::data, data_where);
  const auto dims = h5::dimensions(data.get(), data_where);
  if (dims.size() != 2) {
    h5::fail(data_where, "expected a 2-D dataset [time x node], found " +
                             std::to_string(dims.size()) + " dimensions");
  }
  if (dims[1] != report.node_ids.size()) {
    h5::fail(data_where, "has " + std::to_string(dims[1]) + " columns but mapping/node_ids has " +
                             std::to_string(report.node_ids.size()) + " nodes");
  }
  report.data = h5::read_doubles(data.get(), data_where);
  report.units = h5::read_string(data.get(), layout::units, data_where).value_or("");

  // spikeq keeps the variable at the root; bmtk on the data.
  const h5::Where root{path, "/"};
  auto variable = h5::read_string(file.get(), layout::variable, root);
  if (!variable) variable = h5::read_string(data.get(), layout::variable, data_where);
  report.variable = variable.value_or("");
  report.meta = h5::read_run_metadata(file, path);
  return report;
}

}  // namespace

ReportFile read_report_file(const std::string& path) {
  const h5::QuietErrors quiet;
  const h5::File file = h5::open_file(path);
  const h5::Group report = open_report_group(file, path);
  std::vector<std::string> populations;
  for (const auto& member : h5::list_members(report.get(), {path, report_path})) {
    if (member.kind == h5::MemberKind::group) populations.push_back(member.name);
  }
  if (populations.empty()) h5::fail({path, report_path}, "holds no population");
  if (populations.size() > 1) {
    std::string names;
    for (const auto& name : populations) names += (names.empty() ? "" : ", ") + name;
    h5::fail({path, report_path}, "holds " + std::to_string(populations.size()) + " populations (" +
                                      names + "): name the one to read");
  }
  return read_population(file, report.get(), populations.front(), path);
}

ReportFile read_report_file(const std::string& path, const std::string& population) {
  const h5::QuietErrors quiet;
  const h5::File file = h5::open_file(path);
  const h5::Group report = open_report_group(file, path);
  return read_population(file, report.get(), population, path);
}

}  // namespace spikeq::io
