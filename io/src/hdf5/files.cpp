#include "files.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "datasets.hpp"
#include "errors.hpp"
#include "spikeq/io/errors.hpp"

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
  if (!file.close()) fail_hdf5(Where{path, ""}, "cannot close file (final write failed)");
}

void move_into_place(const std::string& partial, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) throw io::FileError(path + ": cannot move the new file into place: " + ec.message());
}

}  // namespace spikeq::io::hdf5
