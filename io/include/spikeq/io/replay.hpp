#pragma once
// Recorded spikes as the source of a spike_replay population (core/replay.hpp), read from
//   sonata  /spikes/<population>/timestamps and node_ids (spikeq's own output included),
//           times in the unit of the `units` attribute (ms when absent);
//   shd     the Spiking Heidelberg Digits layout: /spikes/times and /spikes/units, one
//           variable-length array per sample (times in s), /labels;
//   nwb     an NWB units table: /units/spike_times (s), /units/spike_times_index (end of
//           each unit's spikes), /units/id;
//   csv     text lines "time,unit" (comma, tab or spaces; '#' comments; a header line is
//           skipped), times in `time_unit`.
// Files are streamed: a cursor holds one chunk of spikes (per unit, for NWB; one sample,
// for SHD), never the whole file. Times must not decrease (within a unit for NWB, within a
// sample for SHD); a decrease, a negative time, a unit mapped beyond the population or a
// malformed file is an io::FileError naming the file and the dataset (or line).
//
// From a spike at source time t (ms) of unit u, in pass k (0-based) of `repeat`:
//   kept if u is mapped (all units when `units` is empty) and window_start <= t < window_stop;
//   replay time  r = (t - window_start) * time_scale + offset + k * period;
//   neuron = neurons[j] where units[j] == u (j itself when `neurons` is empty; u when
//   `units` is empty); then the step rule of core/replay.hpp.
// SHD samples are laid end to end in the order chosen: sample j starts where the previous
// one ends (its `sample_length`, or its last spike) plus `gap`, before scaling.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spikeq/core/replay.hpp"

namespace spikeq::io {

enum class ReplayFormat { sonata, shd, nwb, csv };

struct ReplayOptions {
  std::string path;
  ReplayFormat format = ReplayFormat::sonata;
  std::string population;  ///< sonata: which /spikes/<population>; empty: the only one
  std::vector<std::uint64_t> samples;  ///< shd: the samples in order; empty: all
  double gap = 0.0;                    ///< shd: ms between samples
  std::optional<double> sample_length;  ///< shd: ms each sample occupies; default its last spike
  double time_unit = 1.0;              ///< csv: ms per time unit of the file (1000 for s)
  std::vector<std::uint64_t> units;    ///< units replayed (empty: all, unit u -> neuron u)
  std::vector<std::uint32_t> neurons;  ///< neuron of units[j]; empty: j
  double time_scale = 1.0;             ///< > 0
  double offset = 0.0;                 ///< ms, added after scaling
  double window_start = 0.0;           ///< ms of source time
  std::optional<double> window_stop;   ///< ms of source time; default: the end
  std::uint32_t repeat = 1;            ///< passes; 0: forever
  std::optional<double> period;        ///< ms between pass starts; needed when repeat != 1
};

/// Checks the file and its layout now (a missing file, dataset or attribute, a wrong
/// type or shape is an io::FileError), and returns the source a population replays.
std::shared_ptr<const ReplaySource> open_replay(ReplayOptions options);

/// One SHD sample as replayed: its index in the file, its label, and the replay times
/// (ms, first pass) at which it starts and ends.
struct ShdSample {
  std::uint64_t index;
  std::int64_t label;
  double start;
  double stop;
};

/// The samples `options` (format shd) replays, with their labels (/labels) and times:
/// what a model needs to drive a readout target or an error signal.
std::vector<ShdSample> shd_schedule(const ReplayOptions& options);

}  // namespace spikeq::io
