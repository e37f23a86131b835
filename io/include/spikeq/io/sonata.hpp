#pragma once
// SONATA output (HDF5): spike files and state-variable reports, written incrementally so
// that an interrupted run leaves a valid file holding everything up to the interruption.
//
// Spike file layout (SONATA spike format):
//   /spikes/<population>/timestamps   float64, attribute units = "ms"
//   /spikes/<population>/node_ids     uint64
//   /spikes/<population>              attribute sorting = "by_time", n_nodes (uint64)
//   /                                 attributes: spikeq_version, seed (uint64), dt (ms),
//                                     t_stop (ms simulated so far), model (YAML text)
// Report file layout (SONATA report format, one file per population and variable):
//   /report/<population>/data                 float64 [time x element], attribute units
//   /report/<population>/mapping/node_ids     uint64 [n]
//   /report/<population>/mapping/index_pointer  uint64 [n + 1] (0, 1, ..., n)
//   /report/<population>/mapping/element_ids  uint32 [n] (all 0: one value per node)
//   /report/<population>/mapping/time         float64 [3] = start, stop, step; units "ms"
//   /                                         the same run attributes, plus variable
// Details the writers add for other SONATA readers:
//   - sorting is stored as SONATA's enum (uint8: none = 0, by_id = 1, by_time = 2), the
//     type libsonata reads; readers also accept the string form some tools write.
//   - mapping/index_pointers is the same dataset as mapping/index_pointer (a hard
//     link): the SONATA spec and libsonata use the plural, bmtk the singular.
//   - mapping/node_ids has attribute sorted (int8 0/1); data has attribute variable.
//   - every file has SONATA's root attributes magic (uint32 0x0A7A) and version
//     (uint32 [2] = 0, 1); a report's t_stop is its mapping stop.
//   - strings are variable-length UTF-8 (h5py reads them as str).
// flush() leaves a complete file on disk: a process killed right after it leaves a file
// that HDF5 and h5py open with everything appended up to then. Readers take files of
// other tools too (missing spikeq attributes read as defaults; ids of any integer type;
// times in ms or s); they throw FileError naming the file and the dataset or attribute.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/io/errors.hpp"

namespace spikeq::io {

/// Stored with every output so that the run can be reproduced from its files.
struct RunMetadata {
  std::string model_yaml;      ///< the complete model as YAML (includes resolved)
  std::uint64_t seed = 0;
  std::string spikeq_version;  ///< e.g. "0.1.0"
  double dt = 0.0;             ///< ms
};

struct PopulationInfo {
  std::string name;
  std::uint64_t size = 0;
};

/// Writes a SONATA spike file. Spikes are appended in time order per population;
/// flush() makes everything appended so far durable; the destructor closes the file.
class SpikeFileWriter {
 public:
  /// Creates or truncates `path`; throws FileError naming it on failure.
  SpikeFileWriter(const std::string& path, const RunMetadata& meta,
                  const std::vector<PopulationInfo>& populations);
  ~SpikeFileWriter();
  SpikeFileWriter(SpikeFileWriter&&) noexcept;
  SpikeFileWriter& operator=(SpikeFileWriter&&) noexcept;

  /// Appends spikes of population index `p` (times in ms, non-decreasing, continuing
  /// after the previous append; node ids < size).
  void append(std::size_t p, const std::vector<double>& times_ms,
              const std::vector<std::uint64_t>& node_ids);
  /// Records the simulated time so far (root attribute t_stop) and flushes to disk.
  void flush(double t_stop_ms);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes one SONATA report: one variable of chosen neurons of one population, sampled
/// every `step_ms` from `start_ms` (the time of the first sample).
class ReportFileWriter {
 public:
  ReportFileWriter(const std::string& path, const RunMetadata& meta,
                   const std::string& population, const std::string& variable,
                   const std::string& units, const std::vector<std::uint64_t>& node_ids,
                   double start_ms, double step_ms);
  ~ReportFileWriter();
  ReportFileWriter(ReportFileWriter&&) noexcept;
  ReportFileWriter& operator=(ReportFileWriter&&) noexcept;

  /// Appends `rows` samples; `values` holds rows x node_ids.size() numbers, row-major.
  void append(const double* values, std::size_t rows);
  /// Updates mapping/time's stop and flushes to disk.
  void flush();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A spike file read back.
struct SpikeFile {
  struct Population {
    std::string name;
    std::uint64_t size = 0;  ///< n_nodes attribute; 0 if the file does not say
    std::vector<double> timestamps;  ///< ms
    std::vector<std::uint64_t> node_ids;
    std::string sorting;  ///< "none", "by_id" or "by_time"; empty if the file does not say
  };
  RunMetadata meta;
  double t_stop = 0.0;  ///< ms; 0 if the file does not say
  std::vector<Population> populations;
};

/// Reads a SONATA spike file (spikeq's or another simulator's); throws FileError naming
/// the file and dataset when it is missing, not HDF5, or malformed.
SpikeFile read_spike_file(const std::string& path);

/// A report read back: data[k * node_ids.size() + j] is node_ids[j] at time start + k step.
struct ReportFile {
  std::string population;
  std::string variable;
  std::string units;
  std::vector<std::uint64_t> node_ids;
  double start = 0, stop = 0, step = 0;  ///< ms
  std::vector<double> data;
  RunMetadata meta;  ///< empty fields if the file does not say
};

/// Reads a report file holding one population; throws FileError naming the file and
/// dataset when it is missing, not HDF5, malformed, holds several populations, or has
/// several values per node (compartment reports).
ReportFile read_report_file(const std::string& path);
/// Reads population `population` of a report file that may hold several.
ReportFile read_report_file(const std::string& path, const std::string& population);

}  // namespace spikeq::io
