#pragma once
// Errors of the io module. A ModelError is a mistake in a model file or on the command
// line (exit code 2); a FileError is an input/output failure (exit code 1, except a model
// file that cannot be read, which is a usage error: exit code 2).
#include <string>

#include "spikeq/core/errors.hpp"

namespace spikeq::io {

/// Where in a YAML file something is: file, 1-based line and column, key path.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;  ///< e.g. "projections[2].delay"

  /// "model.yaml:12:7: projections[2].delay" (parts that are unknown are left out).
  [[nodiscard]] std::string to_string() const;
};

/// An invalid model or command line: unknown or missing keys, wrong types or units,
/// out-of-range values. The message starts with the location.
class ModelError : public Error {
 public:
  ModelError(SourceLocation where, const std::string& message);
  [[nodiscard]] const SourceLocation& where() const { return where_; }

 private:
  SourceLocation where_;
};

/// Reading or writing a file failed (missing, not HDF5, missing dataset, disk full, ...).
/// The message names the file and, where there is one, the dataset.
class FileError : public Error {
 public:
  using Error::Error;
};

}  // namespace spikeq::io
