#include "spikeq/io/errors.hpp"

namespace spikeq::io {

std::string SourceLocation::to_string() const {
  std::string s = file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  if (!path.empty()) s += (s.empty() ? "" : ": ") + path;
  return s;
}

ModelError::ModelError(SourceLocation where, const std::string& message)
    : Error(where.to_string().empty() ? message : where.to_string() + ": " + message),
      where_(std::move(where)) {}

}  // namespace spikeq::io
