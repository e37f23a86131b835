// The result of a continual-learning run as HDF5:
//   /continual             attributes acc, bwt, tasks, dataset, schedule, hlop, seconds,
//                          samples_shown
//   /continual/accuracy    tasks x tasks float64: [i][j] = accuracy on task j after task i
//                          (1 x tasks for a multitask run, attribute multitask)
//   /continual/subspaces/<name>/{rows, orthogonality_learned, orthogonality_consolidated,
//                                residual}
// plus the run attributes of every spikeq output. Written under a temporary name and renamed,
// so a fault leaves the old file or the whole new one.
#include "attributes.hpp"
#include "datasets.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "spikeq/io/pending_file.hpp"
#include "run_metadata.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::io {

using hdf5::Where;

namespace {

void write_doubles(hid_t g, const std::string& name, const std::vector<double>& v, const Where& at) {
  hdf5::write_fixed(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(), at);
}

void write_subspaces(hid_t parent, const ContinualResult& r, const std::string& path) {
  const hdf5::Group all = hdf5::create_group(parent, "subspaces", Where{path, "/continual/subspaces"});
  for (const auto& s : r.subspaces) {
    const std::string object = "/continual/subspaces/" + s.name;
    const hdf5::Group g = hdf5::create_group(all.get(), s.name, Where{path, object});
    std::vector<std::uint64_t> rows(s.rows.begin(), s.rows.end());
    hdf5::write_fixed(g.get(), "rows", H5T_STD_U64LE, H5T_NATIVE_UINT64, rows.data(), rows.size(),
                      Where{path, object + "/rows"});
    write_doubles(g.get(), "orthogonality_learned", s.orthogonality_learned,
                  Where{path, object + "/orthogonality_learned"});
    write_doubles(g.get(), "orthogonality_consolidated", s.orthogonality_consolidated,
                  Where{path, object + "/orthogonality_consolidated"});
    write_doubles(g.get(), "residual", s.residual, Where{path, object + "/residual"});
  }
}

/// One subspace's log, each dataset at most one value per task.
ContinualResult::SubspaceLog read_subspace(hid_t all, const std::string& name, const std::string& path,
                                           std::size_t tasks) {
  const std::string object = "/continual/subspaces/" + name;
  const hdf5::Group g = hdf5::open_group(all, name, Where{path, object});
  ContinualResult::SubspaceLog log{name, {}, {}, {}, {}};
  auto doubles = [&](const char* dataset) {
    const Where at{path, object + "/" + dataset};
    if (!hdf5::has_member(g.get(), dataset, at)) return std::vector<double>{};
    const hdf5::Dataset d = hdf5::open_dataset(g.get(), dataset, at);
    const auto dims = hdf5::dimensions(d.get(), at);
    if (dims.size() != 1 || dims[0] > tasks) hdf5::fail(at, "must hold at most one value per task");
    return hdf5::read_doubles(d.get(), at);
  };
  const Where rows_at{path, object + "/rows"};
  const hdf5::Dataset rows = hdf5::open_dataset(g.get(), "rows", rows_at);
  const auto dims = hdf5::dimensions(rows.get(), rows_at);
  if (dims.size() != 1 || dims[0] > tasks) hdf5::fail(rows_at, "must hold at most one value per task");
  for (std::uint64_t r : hdf5::read_ids(rows.get(), rows_at)) log.rows.push_back(static_cast<std::size_t>(r));
  log.orthogonality_learned = doubles("orthogonality_learned");
  log.orthogonality_consolidated = doubles("orthogonality_consolidated");
  log.residual = doubles("residual");
  return log;
}

std::string schedule_name(const ContinualSpec& spec) {
  return spec.tasks.kind == TaskSchedule::Kind::permuted ? "permuted" : "split";
}

}  // namespace

void write_continual_file(const std::string& path, const ContinualResult& result,
                          const ContinualSpec& spec, const std::string& dataset,
                          const RunMetadata& meta, double t_stop_ms) {
  const hdf5::QuietErrors quiet;
  PendingFile pending(path);
  const std::string& partial = pending.path();
  {
    hdf5::File file = hdf5::create_file(partial);
    hdf5::write_run_metadata(file, meta, t_stop_ms, partial);
    const Where at{partial, "/continual"};
    const hdf5::Group g = hdf5::create_group(file.get(), "continual", at);
    hdf5::write_f64(g.get(), "acc", result.acc, at);
    hdf5::write_f64(g.get(), "bwt", result.bwt, at);
    hdf5::write_u64(g.get(), "tasks", spec.tasks.count, at);
    hdf5::write_string(g.get(), "dataset", dataset, at);
    hdf5::write_string(g.get(), "schedule", schedule_name(spec), at);
    hdf5::write_bool(g.get(), "hlop", spec.hlop, at);
    hdf5::write_f64(g.get(), "seconds", result.seconds, at);
    hdf5::write_u64(g.get(), "samples_shown", result.samples_shown, at);
    const std::size_t rows = result.accuracy.size();
    const std::size_t tasks = rows == 0 ? 0 : result.accuracy.front().size();
    std::vector<double> flat;
    for (const auto& row : result.accuracy) flat.insert(flat.end(), row.begin(), row.end());
    hdf5::write_matrix(g.get(), "accuracy", flat.data(), rows, tasks, Where{partial, "/continual/accuracy"});
    hdf5::write_bool(g.get(), "multitask", spec.multitask, at);
    write_subspaces(g.get(), result, partial);
    hdf5::close_file(file, partial);
  }
  pending.commit();
}

ContinualResult read_continual_file(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const hdf5::File file = hdf5::open_file(path);
  const Where at{path, "/continual"};
  const hdf5::Group g = hdf5::open_group(file.get(), "continual", at);
  const Where m{path, "/continual/accuracy"};
  const hdf5::Dataset d = hdf5::open_dataset(g.get(), "accuracy", m);
  const auto dims = hdf5::dimensions(d.get(), m);
  // Square (tasks trained one after another) or one row (all tasks trained together).
  if (dims.size() != 2 || (dims[0] != dims[1] && dims[0] != 1) || dims[1] > 10000) {
    hdf5::fail(m, "must be a tasks x tasks matrix (or one row, for a multitask run) of at most "
                  "10000 tasks");
  }
  const std::vector<double> flat = hdf5::read_doubles(d.get(), m);
  ContinualResult r;
  for (hsize_t i = 0; i < dims[0]; ++i) {
    r.accuracy.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(i * dims[1]),
                            flat.begin() + static_cast<std::ptrdiff_t>((i + 1) * dims[1]));
  }
  r.acc = hdf5::read_f64(g.get(), "acc", at).value_or(average_accuracy(r.accuracy));
  r.bwt = hdf5::read_f64(g.get(), "bwt", at).value_or(backward_transfer(r.accuracy));
  r.seconds = hdf5::read_f64(g.get(), "seconds", at).value_or(0.0);
  if (hdf5::has_member(g.get(), "subspaces", at)) {
    const Where all_at{path, "/continual/subspaces"};
    const hdf5::Group all = hdf5::open_group(g.get(), "subspaces", all_at);
    for (const hdf5::Member& m : hdf5::list_members(all.get(), all_at)) {
      if (m.kind != hdf5::MemberKind::group) continue;
      r.subspaces.push_back(read_subspace(all.get(), m.name, path, dims[1]));
    }
  }
  r.samples_shown = hdf5::read_u64(g.get(), "samples_shown", at).value_or(0);
  r.dataset = hdf5::read_string(g.get(), "dataset", at).value_or("");
  r.schedule = hdf5::read_string(g.get(), "schedule", at).value_or("");
  if (const auto hlop = hdf5::read_u64(g.get(), "hlop", at)) r.hlop = *hlop != 0;
  return r;
}

bool has_continual_results(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const hdf5::File file = hdf5::open_file(path);
  return hdf5::has_member(file.get(), "continual", Where{path, "/continual"});
}

}  // namespace spikeq::io
