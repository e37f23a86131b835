#pragma once
// Typed errors. Every message names the object (population, projection, input,
// recorder) and the parameter at fault, so a user can find the mistake.
#include <sstream>
#include <stdexcept>
#include <string>

namespace spikeq {

/// Base of every error spikeq throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter, size or option is invalid (negative time constant, dt <= 0, ...).
class InvalidParameter : public Error {
 public:
  using Error::Error;
};

/// A connection or delay cannot be realised (delay out of range, unknown receptor, ...).
class InvalidConnection : public Error {
 public:
  using Error::Error;
};

/// A capacity limit (index width, delay range, memory) would be exceeded.
class CapacityError : public Error {
 public:
  using Error::Error;
};

/// A lookup by name or id failed (unknown population, recorder, state variable).
class NotFound : public Error {
 public:
  using Error::Error;
};

namespace detail {
/// Shortest decimal form of a number for messages ("0.1", not "0.100000").
inline std::string format_number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
}  // namespace detail

}  // namespace spikeq
