#include "spikeq/io/isolated_read.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace {

// How the child tells the parent what happened, besides its exit status.
constexpr int kChildRead = 0;
constexpr int kChildError = 3;   // a spikeq error; its message follows on the pipe
constexpr int kChildBroken = 4;  // anything else thrown

/// A pipe whose ends close themselves.
class Pipe {
 public:
  Pipe() {
    if (::pipe(fds_.data()) != 0) {
      throw FileError(std::string("cannot create a pipe to check a file: ") + std::strerror(errno));
    }
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  [[nodiscard]] int read_end() const { return fds_[0]; }
  [[nodiscard]] int write_end() const { return fds_[1]; }
  void close_read() { close_fd(fds_[0]); }
  void close_write() { close_fd(fds_[1]); }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  std::array<int, 2> fds_{-1, -1};
};

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0 && errno != EINTR) return;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
}

/// The child: default actions for the fatal signals, so that a crash in libhdf5 ends it
/// by that signal (a sanitizer's handler would turn it into an exit status), and at most
/// `cpu` of processor time (then SIGXCPU ends it: a loop in libhdf5); then the read;
/// never returns.
[[noreturn]] void run_child(int out, const std::function<void()>& read, std::chrono::seconds cpu) {
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGXCPU}) std::signal(s, SIG_DFL);
  const auto seconds = static_cast<rlim_t>(cpu.count());
  const rlimit limit{seconds, seconds + 5};  // SIGXCPU at the soft limit, SIGKILL at the hard
  ::setrlimit(RLIMIT_CPU, &limit);
  int status = kChildRead;
  try {
    read();
  } catch (const spikeq::Error& e) {
    write_all(out, e.what());
    status = kChildError;
  } catch (const std::exception& e) {
    write_all(out, e.what());
    status = kChildBroken;
  } catch (...) {
    status = kChildBroken;
  }
  ::_exit(status);  // no destructors or atexit handlers of the parent's objects
}

std::chrono::seconds time_limit(const std::string& path, std::chrono::seconds asked) {
  if (asked.count() > 0) return asked;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  const auto extra = ec ? 0 : bytes / (20u << 20);
  return std::chrono::seconds(60 + static_cast<long long>(extra));
}

/// Everything the child writes, until it closes the pipe or the deadline passes; false
/// on timeout.
bool read_until_closed(int fd, std::chrono::steady_clock::time_point deadline, std::string& text) {
  std::array<char, 4096> buffer{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

int wait_for(pid_t child, rusage* usage = nullptr) {
  int status = 0;
  while (::wait4(child, &status, 0, usage) < 0 && errno == EINTR) {
  }
  return status;
}

double cpu_seconds(const rusage& u) {
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace

void read_in_child(const std::string& path, const std::function<void()>& read,
                   std::chrono::seconds limit_asked) {
  const auto limit = time_limit(path, limit_asked);
  const auto too_slow = [&] {
    return FileError(path + ": reading the file did not finish within " + std::to_string(limit.count()) +
                     " s of processor time; the HDF5 library loops on some corrupt files, so it is "
                     "taken as corrupt");
  };
  Pipe pipe;
  const pid_t child = ::fork();
  if (child < 0) {
    throw FileError(path + ": cannot start a process to check the file: " + std::strerror(errno));
  }
  if (child == 0) {
    pipe.close_read();
    run_child(pipe.write_end(), read, limit);
  }
  pipe.close_write();
  std::string message;
  // The processor-time limit ends a loop; the wall-clock one, four times longer so that a
  // loop starved of processor time by other programs still meets the first, a child that
  // is blocked.
  if (!read_until_closed(pipe.read_end(), std::chrono::steady_clock::now() + 4 * limit, message)) {
    ::kill(child, SIGKILL);
    rusage usage{};
    wait_for(child, &usage);
    // A child that mostly slept (on the processor for under a tenth of its limit) was
    // blocked: a lock that another thread of this process held when it forked stays
    // locked in the copy forever. That says nothing about the file, so the caller's read
    // goes ahead.
    if (cpu_seconds(usage) < 0.1 * static_cast<double>(limit.count())) return;
    throw too_slow();
  }
  const int status = wait_for(child);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL) throw too_slow();
    const char* name = sigabbrev_np(sig);
    throw FileError(path + ": the file is corrupt: reading it crashed the HDF5 library (signal " +
                    (name ? std::string("SIG") + name : std::to_string(sig)) + ")");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kChildRead) return;
  if (code == kChildError) throw FileError(message);
  if (code == kChildBroken) {
    throw std::logic_error("checking " + path + " in a child process failed: " +
                           (message.empty() ? std::string("an unknown exception") : message));
  }
  // Another exit: a sanitizer's report of what libhdf5 did with the file (its memory
  // errors are caught where it calls the C library), or the runtime's own end.
  throw FileError(path + ": the file is corrupt: reading it made the HDF5 library fail (exit status " +
                  std::to_string(code) + ")");
}

}  // namespace spikeq::io
