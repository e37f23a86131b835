#include "files.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "datasets.hpp"
#include "errors.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/hdf5_exit.hpp"

namespace spikeq::io::hdf5 {

namespace {

PropertyList file_access(const Where& where) {
  PropertyList fapl(
      check_id(H5Pcreate(H5P_FILE_ACCESS), where, "cannot create file access properties"));
  // Formats no newer than HDF5 1.8: these never set the "file open for writing" flag
  // of the 1.10 superblock, which would make a file whose writer was killed unreadable
  // until someone runs h5clear. It also keeps the files readable by HDF5 1.8 tools.
  check_status(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), where,
               "cannot set file format bounds");
  // Lock the file while it is open, but do not fail on file systems without locks
  // (some network and container file systems).
  check_status(H5Pset_file_locking(fapl.get(), true, true), where, "cannot set file locking");
  return fapl;
}

/// HDF5 looks for its signature at 0, 512, 1024, 2048, ... (after a user block).
bool has_hdf5_signature(const std::string& path) {
  static constexpr std::array<char, 8> signature = {'\x89', 'H',  'D',    'F',
                                                    '\r',   '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!in || ec) return false;
  for (std::uintmax_t offset = 0; offset + signature.size() <= size;
       offset = offset == 0 ? 512 : offset * 2) {
    std::array<char, 8> head{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(head.data(), head.size())) return false;
    if (head == signature) return true;
  }
  return false;
}

}  // namespace

File create_file(const std::string& path) {
  const Where where{path, ""};
  const PropertyList fapl = file_access(where);
  const PropertyList fcpl(
      check_id(H5Pcreate(H5P_FILE_CREATE), where, "cannot create file creation properties"));
  untimed(fcpl.get(), where);  // of the root group
  return File(check_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), where,
                       "cannot create file"));
}

File open_file(const std::string& path) {
  const Where where{path, ""};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(where, "no such file");
  if (!std::filesystem::is_regular_file(path, ec)) fail(where, "not a regular file");
  // Tells "cannot read" apart from "not HDF5", which the signature test below would say.
  if (!std::ifstream(path, std::ios::binary)) {
    fail(where, std::string("cannot read: ") + std::strerror(errno));
  }
  const PropertyList fapl = file_access(where);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) {
    const std::string detail = take_hdf5_message();
    if (!has_hdf5_signature(path)) fail(where, "not an HDF5 file");
    if (detail.find("unable to lock file") != std::string::npos) {
      fail(where, "locked: another process has it open for writing (HDF5: " + detail + ")");
    }
    fail(where, "cannot open the HDF5 file (HDF5: " + detail + ")");
  }
  return File(id);
}

void flush_file(const File& file, const std::string& path) {
  check_status(H5Fflush(file.get(), H5F_SCOPE_LOCAL), Where{path, ""}, "cannot flush file");
}

void close_file(File& file, const std::string& path) {
  // Flushed first, for the message: while a group or dataset of the file is still open,
  // H5Fclose only lets go of the id and reports success.
  if (H5Fflush(file.get(), H5F_SCOPE_LOCAL) < 0) {
    const std::string detail = take_hdf5_message();
    (void)file.close();
    fail(Where{path, ""}, "cannot write the file out (HDF5: " + detail + ")");
  }
  if (!file.close()) fail_hdf5(Where{path, ""}, "cannot close file (final write failed)");
}

herr_t close_file_id(hid_t file) noexcept {
  unsigned intent = 0;
  void* handle = nullptr;
  const bool writing = H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR) != 0;
  if (writing && H5Fflush(file, H5F_SCOPE_LOCAL) < 0 &&
      H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    // HDF5 keeps a file it could not write out open, its cache dirty. Its descriptor
    // (still open: HDF5 holds it) is pointed at an anonymous file in memory, so that this
    // close, and any later one of objects still open in it, can finish. The file itself
    // is dropped by the caller (io::PendingFile) or was reported broken. (/dev/null does
    // not do: HDF5 checks the size of what it wrote.)
    const int scratch = ::memfd_create("spikeq-unwritable-hdf5-file", MFD_CLOEXEC);
    if (scratch >= 0) {
      ::dup2(scratch, *static_cast<int*>(handle));
      ::close(scratch);
    }
    H5Eclear2(H5E_DEFAULT);
  }
  return H5Fclose(file);
}

}  // namespace spikeq::io::hdf5

namespace spikeq::io {

void skip_hdf5_exit_handler() { H5dont_atexit(); }

}  // namespace spikeq::io
