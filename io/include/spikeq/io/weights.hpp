#pragma once
// Weight snapshots of plastic (or any) projections, stored in the run's spike file next
// to /spikes (a spikeq extension; SONATA readers ignore the extra group):
//   /weights                                group, one member per recorded projection
//   /weights/<projection>/source_ids        uint32 [synapses], presynaptic user ids
//   /weights/<projection>/target_ids        uint32 [synapses], postsynaptic user ids
//   /weights/<projection>/delays            float64 [synapses], attribute units = "ms"
//   /weights/<projection>/times             float64 [snapshots], attribute units = "ms";
//                                           chunked, grows with each snapshot
//   /weights/<projection>/values            float32 [snapshots x synapses], attribute
//                                           units (the weight unit of the receptor:
//                                           "pA", "nS" or "mV"); chunked, grows by rows
// Synapse j is the same synapse in every row (the order of Simulation::synapses). The
// writer adds to a file that SpikeFileWriter created and still holds open (HDF5 shares
// one open file between the two), and writes no time stamps of its own, so that the same
// run writes the same bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spikeq/io/errors.hpp"

namespace spikeq::io {

/// What a recorded projection's group holds besides the snapshots.
struct WeightSeriesInfo {
  std::string projection;  ///< the group name: not empty, no '/', not "."
  std::string units;       ///< of the values
  std::vector<std::uint32_t> source_ids;
  std::vector<std::uint32_t> target_ids;
  std::vector<double> delays;  ///< ms
};

/// Adds /weights/<projection>/ groups to an existing HDF5 file and appends snapshots.
class WeightFileWriter {
 public:
  /// Opens `path` (which must exist, normally the spike file just created) for writing
  /// and creates one group per series; throws InvalidParameter for an unusable or
  /// repeated projection name or mismatched id lists, FileError when HDF5 fails.
  WeightFileWriter(const std::string& path, const std::vector<WeightSeriesInfo>& series);
  ~WeightFileWriter();
  WeightFileWriter(WeightFileWriter&&) noexcept;
  WeightFileWriter& operator=(WeightFileWriter&&) noexcept;

  /// Appends `rows` snapshots to series `k`: times_ms[rows] and values[rows x synapses],
  /// row-major.
  void append(std::size_t k, const double* times_ms, const float* values, std::size_t rows);
  /// Hands everything written so far to the operating system.
  void flush();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One recorded projection read back, without its values (which can be large).
struct WeightSeries {
  std::string projection;
  std::string units;  ///< empty if the file does not say
  std::vector<std::uint32_t> source_ids;
  std::vector<std::uint32_t> target_ids;
  std::vector<double> delays;  ///< ms
  std::vector<double> times;   ///< ms, one per snapshot

  [[nodiscard]] std::size_t synapses() const { return source_ids.size(); }
  [[nodiscard]] std::size_t snapshots() const { return times.size(); }
};

/// Every series under /weights, in the order they were written; empty if the file has
/// no /weights group. Throws FileError naming the file and dataset when it is malformed.
std::vector<WeightSeries> read_weight_series(const std::string& path);

/// The weights of `projection` in snapshot `snapshot` (0-based), one per synapse.
std::vector<float> read_weight_snapshot(const std::string& path, const std::string& projection,
                                        std::size_t snapshot);

}  // namespace spikeq::io
