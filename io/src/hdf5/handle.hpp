#pragma once
// Owning wrappers for HDF5 identifiers, so that every id we open is closed exactly once,
// also when an exception unwinds through the code that opened it.
#include <hdf5.h>

#include <utility>

namespace spikeq::io::hdf5 {

template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) noexcept : id_(id) {}
  ~Handle() { close(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      close();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }

  /// Closing a file writes back what HDF5 still caches, which can fail (disk full):
  /// callers that care check the result; the destructor cannot.
  bool close() noexcept {
    if (id_ < 0) return true;
    const herr_t status = Close(id_);
    id_ = H5I_INVALID_HID;
    return status >= 0;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

/// H5Fclose, except that a file open for writing whose contents HDF5 cannot write out (a
/// full disk) is still let go of (files.cpp): HDF5 would otherwise keep it open, dirty,
/// and loop or crash at exit trying to close it.
herr_t close_file_id(hid_t file) noexcept;

using File = Handle<close_file_id>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;
using Object = Handle<H5Oclose>;

}  // namespace spikeq::io::hdf5
