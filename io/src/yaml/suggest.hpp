#pragma once
// "did you mean ...?" for misspelt keys and names.
#include <string>
#include <string_view>
#include <vector>

namespace spikeq::io::yaml {

/// The candidate closest to `word` by edit distance (case-insensitive), if it is close
/// enough to be a likely typo; empty otherwise.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" or "" (for appending to a message).
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// "'a', 'b', 'c'" for messages.
std::string quoted_list(const std::vector<std::string>& names);

}  // namespace spikeq::io::yaml
