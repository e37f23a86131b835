// The corpus of malformed models (malformed/*.yaml): each one's first line is
// "# expect: <fragment>", the exact part of the message it must produce. The message
// must also start with the file's name and a line number.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "spikeq/io/model_file.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

std::string expected_fragment(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string tag = "# expect: ";
  REQUIRE(first.rfind(tag, 0) == 0);
  return first.substr(tag.size());
}

/// The message a user sees: the loader's, or the engine's located at the object.
std::string error_of(const std::string& path) {
  io::LoadedModel model;
  try {
    model = io::load_model_file(path);
  } catch (const io::ModelError& e) {
    return e.what();
  }
  try {
    (void)validate(model.network, model.options);
  } catch (const Error& e) {
    return io::locate(e, model).what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("every malformed model gets its specific message, located in its file") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(SPIKEQ_MALFORMED_DIR)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 40);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    const std::string message = error_of(file.string());
    CAPTURE(message);
    CHECK(message.find(expected_fragment(file)) != std::string::npos);
    // Located: "<path>:<line>" (the missing-include case points at its include line too).
    CHECK(message.rfind(file.string() + ":", 0) == 0);
  }
}
