#include "spikeq/io/errors.hpp"

#include <sstream>

namespace spikeq::io {

std::string SourceLocation::to_string() const {
  // ostringstream rather than string concatenation: GCC 12 warns falsely (-Wrestrict) on
  // `s += ":" + std::to_string(n)`.
  std::ostringstream s;
  s << file;
  if (line > 0) {
    s << ':' << line;
    if (column > 0) s << ':' << column;
  }
  if (!path.empty()) s << (file.empty() && line == 0 ? "" : ": ") << path;
  return s.str();
}

ModelError::ModelError(SourceLocation where, const std::string& message)
    : Error(where.to_string().empty() ? message : where.to_string() + ": " + message),
      where_(std::move(where)) {}

}  // namespace spikeq::io
