#include "spikeq/io/pending_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <utility>

#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace {

std::string temporary_name(const std::string& final_path) {
  std::random_device entropy;
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".partial-%ld-%08x", static_cast<long>(::getpid()),
                static_cast<unsigned>(entropy()));
  return final_path + suffix;
}

/// fsync of a file or folder; "" or why not.
std::string sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  std::string why;
  // EINVAL: the file system cannot sync this kind of file (some do not sync folders).
  if (::fsync(fd) != 0 && errno != EINVAL) why = std::strerror(errno);
  ::close(fd);
  return why;
}

std::string folder_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

PendingFile::PendingFile(std::string final_path)
    : final_(std::move(final_path)), temp_(temporary_name(final_)), pending_(true) {}

PendingFile::~PendingFile() { discard(); }

PendingFile::PendingFile(PendingFile&& other) noexcept
    : final_(std::move(other.final_)),
      temp_(std::move(other.temp_)),
      pending_(std::exchange(other.pending_, false)) {}

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    discard();
    final_ = std::move(other.final_);
    temp_ = std::move(other.temp_);
    pending_ = std::exchange(other.pending_, false);
  }
  return *this;
}

void PendingFile::commit() {
  if (!pending_) throw FileError(final_ + ": committed twice, or after it was moved from");
  if (const std::string why = sync_path(temp_, O_RDONLY); !why.empty()) {
    throw FileError(final_ + ": cannot make the new file durable (" + temp_ + "): " + why);
  }
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) throw FileError(final_ + ": cannot move the new file into place: " + ec.message());
  pending_ = false;
  // The rename itself is durable once the folder is synced; a failure here leaves the new
  // file in place, so it is not worth failing the run for.
  (void)sync_path(folder_of(final_), O_RDONLY | O_DIRECTORY);
}

void PendingFile::discard() noexcept {
  if (!pending_) return;
  pending_ = false;
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void write_whole_file(const std::string& path, std::string_view bytes, const std::string& what) {
  PendingFile pending(path);
  std::ofstream out(pending.path(), std::ios::binary | std::ios::trunc);
  if (!out) throw FileError("cannot write " + what + " '" + path + "': " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  // A full disk shows only when the buffer is written: at the close.
  out.close();
  if (!out) throw FileError("cannot write " + what + " '" + path + "': " + std::strerror(errno));
  pending.commit();
}

}  // namespace spikeq::io
