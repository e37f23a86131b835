#pragma once
// An output written under a temporary name beside its final one, and renamed into place
// only when complete: a fault (a full disk, a crash, a second run writing the same file)
// leaves the old file or the complete new one at the final name, never a broken one.
#include <string>
#include <string_view>

namespace spikeq::io {

class PendingFile {
 public:
  /// Chooses the temporary name: `final_path` + ".partial-<pid>-<random>", in the same
  /// folder (a rename across file systems would not be atomic), distinct for every
  /// writer, so two runs writing the same output never write one file.
  explicit PendingFile(std::string final_path);
  /// Removes the temporary file unless commit() moved it into place.
  ~PendingFile();
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  /// Where to write now.
  [[nodiscard]] const std::string& path() const { return temp_; }
  [[nodiscard]] const std::string& final_path() const { return final_; }

  /// Makes the written file durable (fsync) and renames it over the final name (then
  /// syncs the folder); throws FileError naming the final path if either fails. Call it
  /// after the file has been closed.
  void commit();
  /// Removes the temporary file now (the destructor's job, done early); nothing if
  /// committed.
  void discard() noexcept;

 private:
  std::string final_;
  std::string temp_;
  bool pending_ = false;
};

/// Writes `bytes` as the whole of `path`, through a PendingFile; FileError naming `what`
/// and the path (and the reason) if it cannot.
void write_whole_file(const std::string& path, std::string_view bytes, const std::string& what);

}  // namespace spikeq::io
