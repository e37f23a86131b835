#pragma once
// What every harness shares: the input as a file that spikeq's readers open by path, and
// the rule each harness checks. An input either loads or is refused with a spikeq::Error;
// anything else (a crash, a sanitizer report, another exception, a hang, an HDF5 object
// left open) is a finding.
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "spikeq/core/errors.hpp"

namespace spikeq::fuzz {

/// A file named after the harness and this process in the temporary folder, rewritten
/// with each input: the readers take paths. (Not a memfd read as /proc/self/fd/N: libhdf5
/// resolves that link to "/memfd:... (deleted)" and cannot open it.) Removed at exit; a
/// crash leaves it behind, named by the process id.
class InputFile {
 public:
  explicit InputFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("spikeq_fuzz_" + name + "_" + std::to_string(::getpid())))
                  .string()) {}
  ~InputFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  /// Replaces the content with `data`; returns the path to read it by.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
      std::perror(path_.c_str());
      std::abort();
    }
    return path_;
  }

 private:
  std::string path_;
};

/// Runs `read`. A spikeq::Error is an expected outcome: the input was refused with a
/// message. Any other exception escapes, and the fuzzer reports it as a crash.
template <typename Read>
void expect_success_or_error(Read&& read) {
  try {
    read();
  } catch (const spikeq::Error&) {
  }
}

/// Every HDF5 file, group, dataset and attribute a reader opened is closed again, whether
/// it succeeded or failed: a leaked handle would keep the file open (and locked) for the
/// rest of the process.
inline void check_hdf5_objects_closed() {
  const ssize_t open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
  if (open != 0) {
    std::fprintf(stderr, "fuzz: %zd HDF5 objects are still open after the input\n", open);
    std::abort();
  }
}

}  // namespace spikeq::fuzz
