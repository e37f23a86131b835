// peak_rss: runs a command and reports its peak resident set size.
//   peak_rss COMMAND [ARGS...]
// After the command exits, prints `peak_rss_bytes N` on stderr and exits with the
// command's status. bench/run.py uses it for Brian2's standalone binary, which does
// not report its own memory.
//
// Why not wait4 from Python directly: on Linux a child's ru_maxrss keeps the
// high-water mark of the address space it had before exec, which for a child of
// Python is Python's own size (about 10 MB). Forked from this small program, the
// floor is about 1 MB.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: peak_rss COMMAND [ARGS...]\n", stderr);
    return 2;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("peak_rss: fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    std::perror("peak_rss: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) {
    std::perror("peak_rss: wait4");
    return 1;
  }
  std::fprintf(stderr, "peak_rss_bytes %llu\n",
               static_cast<unsigned long long>(usage.ru_maxrss) * 1024);  // KiB on Linux
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
