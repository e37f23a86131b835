#pragma once
// Models described in YAML (docs/yaml-reference.md): reading a file (with its includes,
// the chosen variant and command-line overrides) into a Network and run settings.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spikeq/core/network.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {

struct ContinualModel;  // io/continual.hpp

struct ModelFileOptions {
  std::vector<std::string> set;         ///< "KEY.PATH=VALUE" overrides, applied in order
  std::optional<std::uint64_t> seed;    ///< replaces simulation.seed
  std::optional<std::string> variant;   ///< replaces `variant:`
};

/// One state recorder as the output writer needs it.
struct StateReport {
  RecorderId recorder;
  std::string population;
  std::string variable;
  std::string units;
  std::vector<std::uint32_t> neurons;  ///< user ids (all neurons if the file lists none)
  double interval = 0;                 ///< ms
  std::string file;                    ///< output file of this report ("" = derived)
};

struct LoadedModel {
  Network network;
  SimulationOptions options;
  std::optional<double> duration;  ///< ms, from simulation.duration
  std::string output;              ///< output.file ("" if not given)
  std::string description;
  std::string file;                ///< the model file ("" for text)
  std::string resolved_yaml;       ///< the model after includes, variant and overrides
  std::vector<StateReport> reports;
  /// Where each named object is defined, keyed as core errors name them
  /// ("population 'exc'", "projection 'e_to_i'", "input 'drive'").
  std::map<std::string, SourceLocation> locations;
  /// The `continual:` section (io/continual.hpp), when the model has one: the run trains
  /// its tasks rather than running for a duration.
  std::shared_ptr<ContinualModel> continual;
};

LoadedModel load_model_file(const std::string& path, const ModelFileOptions& options = {});
LoadedModel load_model_text(const std::string& yaml, const std::string& name,
                            const ModelFileOptions& options = {});

/// A time given on the command line: "2 s", "500 ms", or a bare number of ms. ModelError
/// (naming `what`) if it is not a time.
double parse_time(const std::string& text, const std::string& what);

/// A whole number written as decimal digits (an optional leading '+'), exactly, if it fits
/// in 64 bits; nullopt for anything else (a sign, a fraction, an exponent, 2^64 or more):
/// seeds and counts are never rounded through a double or wrapped.
std::optional<std::uint64_t> parse_whole_number(std::string_view text);

/// A core error (InvalidParameter, InvalidConnection, ...) raised while validating or
/// building `model`, turned into a ModelError at the YAML location of the object it names
/// (or the file, when it names none).
ModelError locate(const Error& error, const LoadedModel& model);

}  // namespace spikeq::io
