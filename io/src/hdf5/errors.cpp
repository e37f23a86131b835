#include "errors.hpp"

#include "spikeq/io/errors.hpp"

namespace spikeq::io::hdf5 {

QuietErrors::QuietErrors() noexcept {
  // If the current handler cannot be read back (an old-style H5Eset_auto1 handler), it
  // is left alone: better a printed stack than a handler we could not restore.
  saved_ = H5Eget_auto2(H5E_DEFAULT, &func_, &data_) >= 0;
  if (saved_) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  if (saved_) H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

namespace {

/// A failed system call is described by HDF5's file driver as "file write failed: time =
/// ..., filename = ..., errno = 28, error message = 'No space left on device', buf = 0x...,
/// ...": only what failed and the system's reason say anything to a user.
std::string without_write_details(const std::string& message) {
  const std::string key = "error message = '";
  const auto start = message.find(key);
  if (start == std::string::npos) return message;
  const auto end = message.find('\'', start + key.size());
  if (end == std::string::npos) return message;
  // "file write failed: time = ..." or "unable to lock file, errno = 11, ...".
  const auto head = message.find_first_of(":,");
  return message.substr(0, head) + ": " + message.substr(start + key.size(), end - start - key.size());
}

}  // namespace

std::string take_hdf5_message() {
  std::string message;
  auto take_first = [](unsigned n, const H5E_error2_t* err, void* out) -> herr_t {
    if (n == 0 && err != nullptr && err->desc != nullptr) {
      *static_cast<std::string*>(out) = err->desc;
    }
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_first, &message);
  H5Eclear2(H5E_DEFAULT);
  return without_write_details(message);
}

void fail(const Where& where, const std::string& what) {
  std::string message = where.file;
  if (!where.object.empty()) message += ": " + where.object;
  message += ": " + what;
  throw FileError(message);
}

void fail_hdf5(const Where& where, const std::string& what) {
  const std::string detail = take_hdf5_message();
  fail(where, detail.empty() ? what : what + " (HDF5: " + detail + ")");
}

hid_t check_id(hid_t id, const Where& where, const char* what) {
  if (id < 0) fail_hdf5(where, what);
  return id;
}

void check_status(herr_t status, const Where& where, const char* what) {
  if (status < 0) fail_hdf5(where, what);
}

std::string join(const std::string& group_path, const std::string& name) {
  if (group_path.empty() || group_path.back() == '/') return group_path + name;
  return group_path + "/" + name;
}

std::string attribute_path(const std::string& path, const std::string& name) {
  return path + ": attribute " + name;
}

}  // namespace spikeq::io::hdf5
