#pragma once
// What a test needs before it can check anything. Data is part of its set-up (shipped in
// the tree, or in Debian packages that scripts/setup.sh installs): a test without its data
// fails, naming what is missing, instead of passing without having checked anything. Only
// a missing optional tool (Brian2, h5py, nvcc) skips a test, and CTest reports it skipped:
// the test prints kSkipMarker, which the test's SKIP_REGULAR_EXPRESSION property matches.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace spikeq::test {

/// The line that makes CTest report a test skipped (set SKIP_REGULAR_EXPRESSION to it).
inline constexpr const char* kSkipMarker = "SKIPPED, optional tool missing:";

/// Fails the calling test unless `path` exists; `package` is the Debian package that
/// installs it.
inline void require_data(const std::string& path, const std::string& package) {
  REQUIRE_MESSAGE(std::filesystem::exists(path),
                  path << " is missing: install the Debian package " << package
                       << " (scripts/setup.sh installs every package the tests need)");
}

/// Says why the calling test checks nothing; the test returns right after. CTest then
/// reports it skipped.
inline void report_skipped(const std::string& why) {
  const std::string line = std::string(kSkipMarker).append(" ").append(why);
  MESSAGE(line);
}

}  // namespace spikeq::test
