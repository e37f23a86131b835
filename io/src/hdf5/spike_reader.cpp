// read_spike_file: spikeq's spike files and those of other SONATA writers.
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

/// A 1-D dataset of `group`, with its length.
std::pair<h5::Dataset, hsize_t> open_vector(hid_t group, const std::string& name,
                                            const h5::Where& where) {
  h5::Dataset dataset = h5::open_dataset(group, name, where);
  const auto dims = h5::dimensions(dataset.get(), where);
  if (dims.size() != 1) {
    h5::fail(where, "expected a 1-D dataset, found " + std::to_string(dims.size()) + " dimensions");
  }
  return {std::move(dataset), dims[0]};
}

SpikeFile::Population read_population(hid_t spikes, const std::string& name,
                                      const std::string& path) {
  const std::string group_path = h5::join(std::string("/") + layout::spikes_group, name);
  const h5::Group group = h5::open_group(spikes, name, {path, group_path});
  const h5::Where times_where{path, h5::join(group_path, layout::timestamps)};
  const h5::Where ids_where{path, h5::join(group_path, layout::node_ids)};
  const auto [times, n_times] = open_vector(group.get(), layout::timestamps, times_where);
  const auto [ids, n_ids] = open_vector(group.get(), layout::node_ids, ids_where);
  if (n_times != n_ids) {
    h5::fail({path, group_path}, times_where.object + " has " + std::to_string(n_times) +
                                     " values but " + ids_where.object + " has " +
                                     std::to_string(n_ids));
  }

  SpikeFile::Population population;
  population.name = name;
  population.timestamps = h5::read_doubles(times.get(), times_where);
  const double factor = h5::to_ms_factor(times.get(), times_where);
  if (factor != 1.0) {
    for (double& t : population.timestamps) t *= factor;
  }
  population.node_ids = h5::read_ids(ids.get(), ids_where);
  population.size = h5::read_u64(group.get(), layout::n_nodes, {path, group_path}).value_or(0);
  population.sorting = h5::read_sorting(group.get(), {path, group_path}).value_or("");
  return population;
}

}  // namespace

SpikeFile read_spike_file(const std::string& path) {
  const h5::QuietErrors quiet;
  const h5::File file = h5::open_file(path);
  SpikeFile result;
  result.meta = h5::read_run_metadata(file, path);
  result.t_stop = h5::read_t_stop(file, path);

  const h5::Where spikes_where{path, std::string("/") + layout::spikes_group};
  if (!h5::has_member(file.get(), layout::spikes_group, spikes_where)) {
    h5::fail(spikes_where, "group missing (not a SONATA spike file)");
  }
  const h5::Group spikes = h5::open_group(file.get(), layout::spikes_group, spikes_where);
  bool has_datasets = false;
  for (const auto& member : h5::list_members(spikes.get(), spikes_where)) {
    if (member.kind == h5::MemberKind::group) {
      result.populations.push_back(read_population(spikes.get(), member.name, path));
    } else if (member.kind == h5::MemberKind::dataset) {
      has_datasets = true;
    }
  }
  if (result.populations.empty() && has_datasets) {
    h5::fail(spikes_where,
             "holds datasets but no population groups: the SONATA layout before populations "
             "(/spikes/gids, "
             "/spikes/timestamps) is not supported");
  }
  return result;
}

}  // namespace spikeq::io
