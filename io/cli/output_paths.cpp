#include "output_paths.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <system_error>

#include "spikeq/io/pending_file.hpp"

namespace spikeq::cli {
namespace {

namespace fs = std::filesystem;

/// The path as the file system resolves it (symbolic links followed where they exist),
/// for comparing outputs and inputs; the path itself if that fails.
std::string resolved(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : p.string();
}

/// Why `out` cannot be written where it is, or "".
std::string unwritable(const PlannedOutput& out) {
  std::error_code ec;
  const fs::file_status status = fs::status(out.path, ec);
  if (!ec && fs::exists(status) && !fs::is_regular_file(status)) {
    return out.what + ": '" + out.path + "' exists and is not a regular file (a device, a folder "
           "or a pipe); spikeq writes files only";
  }
  fs::path folder = fs::absolute(out.path, ec).parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder, ec)) {
    return out.what + ": the folder of '" + out.path + "' does not exist";
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return out.what + ": the folder of '" + out.path + "' cannot be written";
  }
  // access() says yes to root on read-only mounts and in /proc: only creating a file
  // (the temporary one, which the run would create there too) tells.
  io::PendingFile probe(out.path);
  const int fd = ::open(probe.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return out.what + ": cannot create a file in the folder of '" + out.path + "': " + std::strerror(errno);
  }
  ::close(fd);
  return {};
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) { return resolved(a) == resolved(b); }

std::string check_outputs(const std::vector<PlannedOutput>& outputs,
                          const std::vector<std::string>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const PlannedOutput& out = outputs[i];
    if (out.path.empty()) continue;
    for (const std::string& input : inputs) {
      if (!input.empty() && same_file(input, out.path)) {
        return out.what + ": '" + out.path + "' is an input of this command; writing it would destroy it";
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!outputs[j].path.empty() && same_file(outputs[j].path, out.path)) {
        return out.what + " and " + outputs[j].what + " name the same file '" + out.path +
               "'; give each output its own";
      }
    }
    if (const std::string why = unwritable(out); !why.empty()) return why;
  }
  return {};
}

}  // namespace spikeq::cli
