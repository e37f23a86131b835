// Hostile model files (issue 16, class 1): what a careless or malicious file could do to
// the loader (recurse without end, expand without end, block, read a device) is a clean,
// located error. The static cases are in malformed/; these need files made at run time.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "spikeq/io/model_file.hpp"

using namespace spikeq;
namespace fs = std::filesystem;

namespace {

constexpr const char* kBody = "populations:\n  - {name: a, model: lif_psc_exp, size: 3}\n";

/// A fresh folder for one test's files, removed afterwards.
struct Folder {
  fs::path path;
  explicit Folder(const std::string& name)
      : path(fs::temp_directory_path() / ("spikeq_hostile_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

/// "include: NAME\n" (built by appending: GCC 12 misreads chains of + as overlapping copies).
std::string include_of(const std::string& name) {
  std::string line = "include: ";
  line.append(name).append("\n");
  return line;
}

std::string numbered(const char* stem, int k) {
  std::string name = stem;
  name.append(std::to_string(k)).append(".yaml");
  return name;
}

std::string load_error(const fs::path& file, const io::ModelFileOptions& options = {}) {
  try {
    (void)io::load_model_file(file.string(), options);
  } catch (const io::ModelError& e) {
    return e.what();
  } catch (const io::FileError& e) {
    return std::string("FileError: ") + e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("include of a FIFO, a self-symlink or /proc/self/mem: an error, never a hang") {
  Folder dir("special");
  REQUIRE(::mkfifo((dir.path / "fifo.yaml").c_str(), 0600) == 0);
  const fs::path fifo = dir.write("m1.yaml", include_of("fifo.yaml") + kBody);
  CHECK(load_error(fifo).find("m1.yaml:1:10: include: model file '" + (dir.path / "fifo.yaml").string() +
                              "' is not a regular file") != std::string::npos);
  fs::create_symlink(dir.path / "loop.yaml", dir.path / "loop.yaml");
  const fs::path loop = dir.write("m2.yaml", include_of("loop.yaml") + kBody);
  CHECK(load_error(loop).find("Too many levels of symbolic links") != std::string::npos);
  const fs::path mem = dir.write("m3.yaml", include_of("/proc/self/mem") + kBody);
  CHECK(load_error(mem).find("m3.yaml:1:10: include: cannot read model file '/proc/self/mem'") !=
        std::string::npos);
  // The model file itself follows the same rules.
  CHECK(load_error(dir.path / "fifo.yaml").find("FileError: model file") != std::string::npos);
  CHECK(load_error(dir.path).find("is not a regular file") != std::string::npos);
}

TEST_CASE("includes: at most 16 deep and 256 files read, so a diamond cannot explode") {
  Folder dir("includes");
  // A chain of 20 files, each including the next.
  for (int k = 0; k < 20; ++k) {
    dir.write(numbered("chain", k), k == 19 ? std::string(kBody) : include_of(numbered("chain", k + 1)));
  }
  CHECK(load_error(dir.path / "chain0.yaml").find("include: includes nest deeper than 16 files") !=
        std::string::npos);
  // A diamond of 12 levels: each file includes the next one twice, 2^12 paths.
  for (int k = 0; k < 12; ++k) {
    const std::string next = numbered("d", k + 1);
    std::string list = "[";
    list.append(next).append(", ").append(next).append("]");
    dir.write(numbered("d", k), include_of(list));
  }
  dir.write("d12.yaml", kBody);
  CHECK(load_error(dir.path / "d0.yaml").find("a model reads at most 256 included files") !=
        std::string::npos);
  // Ten levels of a chain are fine.
  for (int k = 0; k < 10; ++k) {
    dir.write(numbered("ok", k), k == 9 ? std::string(kBody) : include_of(numbered("ok", k + 1)));
  }
  CHECK(load_error(dir.path / "ok0.yaml") == "(no error)");
}

TEST_CASE("--set: an index too large for any list, and an alias inside its own anchor") {
  Folder dir("set");
  const fs::path model = dir.write("m.yaml", std::string("projections: []\n") + kBody);
  CHECK(load_error(model, {.set = {"populations.99999999999999999999999.size=1"}})
            .find("there is no item 99999999999999999999999 (the list has 1)") != std::string::npos);
  CHECK(load_error(model, {.set = {"parameters=&x [*x]"}}).find("nests deeper than 64 levels") !=
        std::string::npos);
}
