// A harness without libFuzzer: runs LLVMFuzzerTestOneInput over every file of the folders
// (or files) given, in name order, as the CTest tests fuzz_regressions:<harness> do with
// the seeds and the crash inputs found so far. A crash, a sanitizer report or an escaping
// exception fails the test, so a fixed crash stays fixed in the GCC build.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// An input that brings back a hang or an endless allocation (a parser loop) fails the test
// within two minutes (SIGALRM; an HDF5 read that hangs ends after 60 s as a FileError)
// and, in a build without sanitizers, 8 GiB of address space, instead of taking the
// machine's memory. Sanitizers reserve terabytes of address space, and ASan's RSS limit
// would run a thread beside the HDF5 readers' fork (scripts/fuzz.sh says why): there the
// time limit bounds the memory.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SPIKEQ_FUZZ_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SPIKEQ_FUZZ_SANITIZED 1
#endif
#endif
constexpr unsigned kSecondsPerInput = 120;

namespace {

void limit_memory() {
#ifndef SPIKEQ_FUZZ_SANITIZED
  const rlimit limit{8ull << 30, 8ull << 30};
  setrlimit(RLIMIT_AS, &limit);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  limit_memory();
  std::vector<fs::path> inputs;
  for (int k = 1; k < argc; ++k) {
    const fs::path given = argv[k];
    if (fs::is_directory(given)) {
      for (const auto& entry : fs::directory_iterator(given)) {
        if (entry.is_regular_file()) inputs.push_back(entry.path());
      }
    } else if (fs::exists(given)) {
      inputs.push_back(given);
    } else {
      // A harness may have no regressions yet; git keeps no empty folder.
      std::printf("(no %s)\n", given.c_str());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "no inputs to replay\n");
    return 1;
  }
  for (const fs::path& input : inputs) {
    std::printf("%s\n", input.c_str());
    std::fflush(stdout);  // the input a crash happened on is the last line printed
    alarm(kSecondsPerInput);  // SIGALRM ends the process
    std::ifstream in(input, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%zu inputs replayed, none crashed\n", inputs.size());
  return 0;
}
