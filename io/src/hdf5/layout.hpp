#pragma once
// Names, types and sizes of the SONATA layout, in one place so that the writers and
// the readers cannot disagree.
#include <hdf5.h>

#include <cstdint>

namespace spikeq::io::hdf5::layout {

// SONATA's common conventions ask every file for these two root attributes.
inline constexpr std::uint32_t sonata_magic = 0x0A7A;
inline constexpr std::uint32_t sonata_version[2] = {0, 1};

// Spikes. The sorting enum is the one libsonata reads (HighFive enum none/by_id/by_time)
// and libsonatareport writes (base type uint8, values 0, 1, 2).
inline constexpr const char* spikes_group = "spikes";
inline constexpr const char* timestamps = "timestamps";
inline constexpr const char* node_ids = "node_ids";
inline constexpr const char* sorting = "sorting";
inline constexpr const char* n_nodes = "n_nodes";
inline constexpr const char* units = "units";
enum class Sorting : std::uint8_t { none = 0, by_id = 1, by_time = 2 };

// Reports. The SONATA spec's dataset list and libsonata say index_pointers; bmtk reads
// and writes index_pointer. Writers store one dataset under both names (a hard link).
inline constexpr const char* report_group = "report";
inline constexpr const char* data = "data";
inline constexpr const char* mapping = "mapping";
inline constexpr const char* index_pointers = "index_pointers";
inline constexpr const char* index_pointer = "index_pointer";
inline constexpr const char* element_ids = "element_ids";
inline constexpr const char* time = "time";
inline constexpr const char* sorted = "sorted";
inline constexpr const char* variable = "variable";

// Run metadata (root attributes).
inline constexpr const char* spikeq_version = "spikeq_version";
inline constexpr const char* seed = "seed";
inline constexpr const char* dt = "dt";
inline constexpr const char* t_stop = "t_stop";
inline constexpr const char* model = "model";

// Chunks of 64 Ki elements (512 KiB of float64 or uint64): large enough that appending
// 10^7 spikes costs a few hundred chunk writes, small enough to fit HDF5's default
// 1 MiB chunk cache, so a partly filled chunk stays in memory between appends instead of
// being written and read back. The price is that every non-empty population takes at
// least one chunk per dataset on disk.
// No compression: for 10^7 spikes on a 0.1 ms grid over 10^6 neurons, shuffle + deflate
// level 1 made the file 13x smaller (12 MB instead of 160 MB) but the writing 7x slower
// (0.93 s instead of 0.13 s), too much for output that is written while simulating.
inline constexpr hsize_t chunk_elements = 64 * 1024;

}  // namespace spikeq::io::hdf5::layout
