#pragma once
// The root attributes every spikeq output carries, so that a run can be reproduced from
// any of its files, plus the two SONATA asks of every HDF5 file (magic, version).
#include <string>

#include "handle.hpp"
#include "spikeq/io/sonata.hpp"

namespace spikeq::io::hdf5 {

/// Writes the run attributes, SONATA's magic and version, and t_stop = `t_stop_ms`.
void write_run_metadata(const File& file, const RunMetadata& meta, double t_stop_ms,
                        const std::string& path);
void write_t_stop(const File& file, double t_stop_ms, const std::string& path);

/// Reads what is there: files of other tools lack these attributes, and then the
/// fields keep their defaults.
RunMetadata read_run_metadata(const File& file, const std::string& path);
/// 0 if the file does not say.
double read_t_stop(const File& file, const std::string& path);

}  // namespace spikeq::io::hdf5
