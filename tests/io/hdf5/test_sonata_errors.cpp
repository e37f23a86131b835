// What users see when files are missing, not HDF5, damaged or malformed: one FileError
// naming the file and the dataset, and no HDF5 error stack on stderr.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sonata_test_support.hpp"
#include "spikeq/io/sonata.hpp"

using namespace spikeq::io;
using sonata_test::TempDir;

namespace {

/// What `body` printed to stderr (file descriptor 2, where HDF5 prints its stack).
template <typename Body>
std::string stderr_of(Body&& body) {
  TempDir dir;
  const std::string capture = dir.file("stderr.txt");
  std::fflush(stderr);
  const int saved = ::dup(2);
  const int fd = ::open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(fd, 2);
  ::close(fd);
  try {
    body();
  } catch (...) {
  }
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::ifstream in(capture);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string message_of_spike_read(const std::string& path) {
  try {
    read_spike_file(path);
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no FileError)";
}

/// Whether a second open of a file sees the first one's exclusive flock(), as HDF5's
/// file locks need, and HDF5 is not told to skip its locks.
bool file_locks_work(const std::string& probe) {
  if (const char* use = std::getenv("HDF5_USE_FILE_LOCKING"); use != nullptr && std::string(use) == "FALSE") {
    return false;
  }
  const int first = ::open(probe.c_str(), O_RDWR | O_CREAT, 0600);
  const int second = ::open(probe.c_str(), O_RDWR);
  REQUIRE(first >= 0);
  REQUIRE(second >= 0);
  const bool locks = ::flock(first, LOCK_EX | LOCK_NB) == 0 && ::flock(second, LOCK_SH | LOCK_NB) != 0 &&
                     errno == EWOULDBLOCK;
  ::close(second);
  ::close(first);
  return locks;
}

std::string message_of_report_read(const std::string& path) {
  try {
    read_report_file(path);
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no FileError)";
}

void spike_population(sonata_test::Build& file, const std::string& pop, bool times, bool ids) {
  if (times) {
    file.dataset<double>("/spikes/" + pop + "/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                         {1.0, 2.0});
  }
  if (ids) {
    file.dataset<std::uint64_t>("/spikes/" + pop + "/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                {0, 1});
  }
}

}  // namespace

TEST_CASE("sonata errors: a missing file is named") {
  TempDir dir;
  const std::string path = dir.file("nowhere.h5");
  CHECK(message_of_spike_read(path) == path + ": no such file");
  CHECK(message_of_report_read(path) == path + ": no such file");
}

TEST_CASE("sonata errors: a file that is not HDF5 is named, and HDF5 prints nothing") {
  TempDir dir;
  const std::string path = dir.file("spikes.csv");
  std::ofstream(path) << "node_id,timestamp\n0,1.5\n";
  CHECK(message_of_spike_read(path) == path + ": not an HDF5 file");
  CHECK(message_of_report_read(path) == path + ": not an HDF5 file");
  CHECK(stderr_of([&] { read_spike_file(path); }).empty());
}

TEST_CASE("sonata errors: HDF5's own error printing is restored afterwards") {
  H5E_auto2_t before_func = nullptr;
  void* before_data = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &before_func, &before_data);
  CHECK((before_func != nullptr));  // HDF5 prints by default
  TempDir dir;
  CHECK_THROWS_AS(read_spike_file(dir.file("missing.h5")), FileError);
  H5E_auto2_t after_func = nullptr;
  void* after_data = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &after_func, &after_data);
  CHECK((after_func == before_func));
  CHECK(after_data == before_data);
}

TEST_CASE("sonata errors: a truncated file is named with HDF5's diagnosis") {
  TempDir dir;
  const std::string path = dir.file("truncated.h5");
  {
    SpikeFileWriter writer(path, sonata_test::example_meta(), {{"exc", 10}});
    writer.append(0, std::vector<double>(1000, 1.0), std::vector<std::uint64_t>(1000, 3));
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const std::string message = message_of_spike_read(path);
  CHECK(message.rfind(path + ": cannot open the HDF5 file (HDF5: truncated file: ", 0) == 0);
  CHECK(stderr_of([&] { read_spike_file(path); }).empty());
}

TEST_CASE("sonata errors: a file another process is writing is called locked") {
  TempDir dir;
  const std::string path = dir.file("running.h5");
  std::array<int, 2> ready{};
  std::array<int, 2> done{};
  REQUIRE(::pipe(ready.data()) == 0);
  REQUIRE(::pipe(done.data()) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    SpikeFileWriter writer(path, {}, {{"p", 1}});
    writer.flush(0.0);
    char byte = 1;
    if (::write(ready[1], &byte, 1) != 1 || ::read(done[0], &byte, 1) != 1) ::_exit(1);
    ::_exit(0);
  }
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  const std::string message = message_of_spike_read(path);
  REQUIRE(::write(done[1], &byte, 1) == 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  for (const int fd : {ready[0], ready[1], done[0], done[1]}) ::close(fd);
  // Where the file system locks files (and HDF5_USE_FILE_LOCKING does not turn HDF5's
  // locks off), the read is refused; elsewhere it goes through and reads the flushed file.
  // Either way one of the two is checked.
  if (file_locks_work(dir.file("probe"))) {
    CHECK_MESSAGE(message.rfind(path + ": locked: another process has it open for writing", 0) == 0, message);
  } else {
    MESSAGE("this file system does not lock files: the read is expected to go through");
    CHECK(message == "(no FileError)");
  }
}

TEST_CASE("sonata errors: an HDF5 file without /spikes or /report") {
  TempDir dir;
  const std::string path = dir.file("other.h5");
  { sonata_test::Build file(path); }
  CHECK(message_of_spike_read(path) == path + ": /spikes: group missing (not a SONATA spike file)");
  CHECK(message_of_report_read(path) ==
        path + ": /report: group missing (not a SONATA report file)");
}

TEST_CASE("sonata errors: a population without timestamps or node_ids names the dataset") {
  TempDir dir;
  const std::string no_times = dir.file("no_times.h5");
  const std::string no_ids = dir.file("no_ids.h5");
  {
    sonata_test::Build file(no_times);
    spike_population(file, "ok", true, true);
    spike_population(file, "exc", false, true);
  }
  {
    sonata_test::Build file(no_ids);
    spike_population(file, "exc", true, false);
  }
  CHECK(message_of_spike_read(no_times) == no_times + ": /spikes/exc/timestamps: dataset missing");
  CHECK(message_of_spike_read(no_ids) == no_ids + ": /spikes/exc/node_ids: dataset missing");
}

TEST_CASE("sonata errors: mismatched lengths name both datasets") {
  TempDir dir;
  const std::string path = dir.file("lengths.h5");
  {
    sonata_test::Build file(path);
    file.dataset<double>("/spikes/exc/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                         {1.0, 2.0, 3.0});
    file.dataset<std::uint64_t>("/spikes/exc/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, {0, 1});
  }
  CHECK(message_of_spike_read(path) ==
        path + ": /spikes/exc: /spikes/exc/timestamps has 3 values but /spikes/exc/node_ids has 2");
}

TEST_CASE("sonata errors: wrong dtypes name the dataset and the type found") {
  TempDir dir;
  const std::string int_times = dir.file("int_times.h5");
  const std::string float_ids = dir.file("float_ids.h5");
  const std::string negative_ids = dir.file("negative_ids.h5");
  const std::string string_seed = dir.file("string_seed.h5");
  {
    sonata_test::Build file(int_times);
    file.dataset<std::int32_t>("/spikes/exc/timestamps", H5T_STD_I32LE, H5T_NATIVE_INT32, {1, 2});
    file.dataset<std::uint64_t>("/spikes/exc/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, {0, 1});
  }
  {
    sonata_test::Build file(float_ids);
    file.dataset<double>("/spikes/exc/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1.0, 2.0});
    file.dataset<double>("/spikes/exc/node_ids", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {0.0, 1.0});
  }
  {
    sonata_test::Build file(negative_ids);
    file.dataset<double>("/spikes/exc/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1.0, 2.0});
    file.dataset<std::int64_t>("/spikes/exc/node_ids", H5T_STD_I64LE, H5T_NATIVE_INT64, {0, -1});
  }
  {
    sonata_test::Build file(string_seed);
    spike_population(file, "exc", true, true);
    file.fixed_string_attribute("/", "seed", "42");
  }
  CHECK(message_of_spike_read(int_times) ==
        int_times + ": /spikes/exc/timestamps: expected floating-point values, found integer");
  CHECK(message_of_spike_read(float_ids) ==
        float_ids + ": /spikes/exc/node_ids: expected integer values, found floating point");
  CHECK(message_of_spike_read(negative_ids) ==
        negative_ids + ": /spikes/exc/node_ids: negative id -1 at index 1");
  CHECK(message_of_spike_read(string_seed) ==
        string_seed + ": /: attribute seed: expected an integer, found string");
}

TEST_CASE("sonata errors: a report missing its data or time names the dataset") {
  TempDir dir;
  const std::string no_data = dir.file("no_data.h5");
  const std::string no_time = dir.file("no_time.h5");
  for (const auto& path : {no_data, no_time}) {
    sonata_test::Build file(path);
    if (path == no_time) {
      file.dataset<double>("/report/p/data", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1.0}, {1, 1});
    }
    file.dataset<std::uint64_t>("/report/p/mapping/node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                {0});
    file.dataset<std::uint64_t>("/report/p/mapping/index_pointers", H5T_STD_U64LE,
                                H5T_NATIVE_UINT64, {0, 1});
    if (path == no_data) {
      file.dataset<double>("/report/p/mapping/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {0, 1, 1});
    }
  }
  CHECK(message_of_report_read(no_data) == no_data + ": /report/p/data: dataset missing");
  CHECK(message_of_report_read(no_time) == no_time + ": /report/p/mapping/time: dataset missing");
}

TEST_CASE("sonata errors: a writer that cannot create its file names it, quietly") {
  TempDir dir;
  const std::string path = dir.file("no/such/folder/spikes.h5");
  std::string message;
  const std::string printed = stderr_of([&] {
    try {
      SpikeFileWriter writer(path, {}, {{"p", 1}});
    } catch (const FileError& e) {
      message = e.what();
    }
  });
  CHECK(message.rfind(path + ": cannot create file", 0) == 0);
  CHECK(printed.empty());
  CHECK_THROWS_WITH_AS(ReportFileWriter(path, {}, "p", "V_m", "mV", {0}, 0.0, 0.1),
                       doctest::Contains((path + ": cannot create file").c_str()), FileError);
}
