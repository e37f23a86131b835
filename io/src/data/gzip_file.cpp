// Reads a gzip file through a file descriptor opened non-blocking and checked with fstat,
// so that a FIFO or device given by mistake is refused instead of waited on, and a file
// swapped between a check and the open cannot slip through.
#include "gzip_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "spikeq/io/errors.hpp"

namespace spikeq::io::data {
namespace {

/// Owns a descriptor until gzdopen takes it over.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(Descriptor&& other) noexcept : fd_(other.release()) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Descriptor& operator=(Descriptor&&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  std::string message = path;
  message += ": ";
  message += what;
  throw FileError(message);
}

Descriptor open_regular(const std::string& path, const std::string& package) {
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    std::string what = "cannot open the file: ";
    what += std::strerror(err);
    if (err == ENOENT || err == ENOTDIR) what += package_hint(package);
    fail(path, what);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    std::string what = "cannot stat the file: ";
    what += std::strerror(errno);
    fail(path, what);
  }
  if (!S_ISREG(st.st_mode)) {
    fail(path, S_ISDIR(st.st_mode)
                   ? "is a directory, not a gzip file"
                   : "is not a regular file (a FIFO, socket or device is not read)");
  }
  return fd;
}

void check_signature(int fd, const std::string& path) {
  unsigned char magic[2] = {0, 0};
  const ssize_t got = ::pread(fd, magic, sizeof magic, 0);
  if (got != 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
    fail(path, "not a gzip file (it does not start with the gzip signature 1f 8b)");
  }
}

[[noreturn]] void too_big(const std::string& path, std::size_t max_bytes) {
  std::string what = "decompresses to more than ";
  what += std::to_string(max_bytes);
  what += " bytes, the limit for this file";
  fail(path, what);
}

[[noreturn]] void bad_stream(const std::string& path, std::size_t decompressed, gzFile_s* gz) {
  int code = Z_OK;
  const char* text = gzerror(gz, &code);
  std::string what = "truncated or corrupt gzip data after ";
  what += std::to_string(decompressed);
  what += " decompressed bytes: ";
  what +=
      (text != nullptr && *text != '\0') ? std::string(text) : "zlib error " + std::to_string(code);
  fail(path, what);
}

}  // namespace

std::string package_hint(const std::string& package) {
  std::string hint = " (provided by the Debian package ";
  hint += package;
  hint += "; install it: apt-get install ";
  hint += package;
  hint += ")";
  return hint;
}

std::vector<std::uint8_t> read_gzip_file(const std::string& path, std::size_t max_bytes,
                                         const std::string& package) {
  Descriptor fd = open_regular(path, package);
  check_signature(fd.get(), path);
  GzHandle gz(gzdopen(fd.get(), "rb"));
  if (!gz) fail(path, "cannot start gzip decompression (out of memory)");
  fd.release();  // gzclose closes it now
  gzbuffer(gz.get(), 1U << 18);

  // Grow by chunks: the vector's geometric growth keeps copying linear, and memory
  // follows the data really decompressed, never a size read from the file.
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::vector<std::uint8_t> out;
  for (;;) {
    const std::size_t have = out.size();
    if (have > max_bytes) too_big(path, max_bytes);
    out.resize(have + kChunk);
    const int got = gzread(gz.get(), out.data() + have, static_cast<unsigned>(kChunk));
    if (got < 0) bad_stream(path, have, gz.get());
    out.resize(have + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  // A truncated stream ends the reads early with Z_BUF_ERROR instead of failing them.
  int code = Z_OK;
  gzerror(gz.get(), &code);
  if (code != Z_OK) bad_stream(path, out.size(), gz.get());
  if (out.size() > max_bytes) too_big(path, max_bytes);
  return out;
}

}  // namespace spikeq::io::data
