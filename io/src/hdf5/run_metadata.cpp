#include "run_metadata.hpp"

#include "attributes.hpp"
#include "layout.hpp"

namespace spikeq::io::hdf5 {

namespace {
Where root(const std::string& path) { return {path, "/"}; }
}  // namespace

void write_run_metadata(const File& file, const RunMetadata& meta, double t_stop_ms,
                        const std::string& path) {
  const hid_t id = file.get();
  write_u32(id, "magic", layout::sonata_magic, root(path));
  write_u32s(id, "version", {layout::sonata_version[0], layout::sonata_version[1]}, root(path));
  write_string(id, layout::spikeq_version, meta.spikeq_version, root(path));
  write_u64(id, layout::seed, meta.seed, root(path));
  write_f64(id, layout::dt, meta.dt, root(path));
  write_string(id, layout::model, meta.model_yaml, root(path));
  write_t_stop(file, t_stop_ms, path);
}

void write_t_stop(const File& file, double t_stop_ms, const std::string& path) {
  write_f64(file.get(), layout::t_stop, t_stop_ms, root(path));
}

RunMetadata read_run_metadata(const File& file, const std::string& path) {
  const hid_t id = file.get();
  RunMetadata meta;
  meta.model_yaml = read_string(id, layout::model, root(path)).value_or("");
  meta.seed = read_u64(id, layout::seed, root(path)).value_or(0);
  meta.spikeq_version = read_string(id, layout::spikeq_version, root(path)).value_or("");
  meta.dt = read_f64(id, layout::dt, root(path)).value_or(0.0);
  return meta;
}

double read_t_stop(const File& file, const std::string& path) {
  return read_f64(file.get(), layout::t_stop, root(path)).value_or(0.0);
}

}  // namespace spikeq::io::hdf5
