#pragma once
// Creating, opening and flushing HDF5 files with the settings every SONATA file of
// spikeq shares.
#include <string>

#include "handle.hpp"

namespace spikeq::io::hdf5 {

/// Creates or truncates `path` for writing.
File create_file(const std::string& path);

/// Opens `path` read-only; a missing file, a file that is not HDF5 and a damaged one
/// (truncated) each get their own message.
File open_file(const std::string& path);

/// Hands everything HDF5 caches for the file to the operating system, after which the
/// file on disk is complete and consistent even if the process dies.
void flush_file(const File& file, const std::string& path);

/// Closes the file and reports a failure of the final write-back.
void close_file(File& file, const std::string& path);

}  // namespace spikeq::io::hdf5
