#pragma once
// Whole-file gzip reading for the dataset readers: the files are small enough (tens of
// MB) to hold decompressed, which lets a reader check a header against the real data
// length before it allocates anything from the header's numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spikeq::io::data {

/// The decompressed contents of the gzip file `path`. FileError (message starting with
/// `path`) when the file is missing ("... install <package> ..."), not a regular file
/// (a directory or FIFO is refused without being read, so nothing blocks), not gzip, corrupt
/// or truncated, or when it decompresses to more than `max_bytes`.
[[nodiscard]] std::vector<std::uint8_t> read_gzip_file(const std::string& path,
                                                       std::size_t max_bytes,
                                                       const std::string& package);

/// " (provided by the Debian package P: apt-get install P)", for messages about a
/// dataset file that is absent.
[[nodiscard]] std::string package_hint(const std::string& package);

}  // namespace spikeq::io::data
