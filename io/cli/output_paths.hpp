#pragma once
// The files a command will write, checked together before any of them is opened: a
// mistake in the arguments must never cost an existing file.
#include <string>
#include <vector>

namespace spikeq::cli {

/// One file a command writes: what it is (for messages: "-o", "--stats", ...) and where.
struct PlannedOutput {
  std::string what;
  std::string path;
};

/// Whether a and b name the same file (symbolic links and relative paths resolved).
bool same_file(const std::string& a, const std::string& b);

/// "" if the outputs can be written, else why not: two of them are the same file, one is
/// an input (the model, the checkpoint resumed from), one exists and is not a regular file
/// (a device, a directory, a FIFO), or its folder does not exist or cannot be written.
/// Empty paths (an output not asked for) are skipped.
std::string check_outputs(const std::vector<PlannedOutput>& outputs,
                          const std::vector<std::string>& inputs);

}  // namespace spikeq::cli
