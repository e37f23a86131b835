#pragma once
#include <memory>
// Turning HDF5 failures into one io::FileError that names the file and the object.
#include <hdf5.h>

#include <string>

namespace spikeq::io::hdf5 {

/// HDF5 prints its whole error stack to stderr by default. While one of these lives, it
/// does not (on this thread); the previous setting comes back when it ends, so programs
/// that rely on HDF5's printing elsewhere are not affected.
class QuietErrors {
 public:
  QuietErrors() noexcept;
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
  bool saved_ = false;
};

/// What a message is about: the file and the HDF5 path of a dataset, group or attribute
/// ("/spikes/exc/timestamps", "/: attribute seed"); empty for the file itself.
struct Where {
  std::string file;
  std::string object;
};

/// Throws FileError "file: object: what".
[[noreturn]] void fail(const Where& where, const std::string& what);

/// Throws FileError "file: object: what (HDF5: <innermost message of HDF5's error
/// stack>)". Call it right after the failing HDF5 call: any other HDF5 call clears the
/// stack.
[[noreturn]] void fail_hdf5(const Where& where, const std::string& what);

/// The innermost message of HDF5's error stack ("file signature not found"), which says
/// more than the API-level "unable to open file"; clears the stack.
std::string take_hdf5_message();

/// `id` if valid, else fail_hdf5.
hid_t check_id(hid_t id, const Where& where, const char* what);
/// Nothing if `status` >= 0, else fail_hdf5.
void check_status(herr_t status, const Where& where, const char* what);

/// "/spikes/exc" + "timestamps" -> "/spikes/exc/timestamps".
std::string join(const std::string& group_path, const std::string& name);
/// The `object` part of a Where for an attribute of the object at `path`.
std::string attribute_path(const std::string& path, const std::string& name);

/// Closes a writer's implementation from a destructor, which cannot throw: a failure
/// here is lost (an explicit close() reports it).
template <typename Impl>
void close_quietly(std::unique_ptr<Impl>& impl) noexcept {
  if (!impl) return;
  const QuietErrors quiet;
  try {
    impl->close();
  } catch (...) {
  }
}

}  // namespace spikeq::io::hdf5
