#pragma once
// A YAML document as spikeq reads it: every node remembers its file, line and column,
// so that errors found long after parsing (or in an included file) can point at it.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "spikeq/io/errors.hpp"

namespace spikeq::io::yaml {

// Limits of what a model file may hold (docs/limits.md): beyond them it is an error that
// names the file and place, never a deep recursion, an exhausted memory or a hang.
inline constexpr std::size_t kMaxModelFileBytes = std::size_t{16} << 20;  ///< per file
inline constexpr std::size_t kMaxNesting = 64;          ///< maps and lists inside each other
inline constexpr std::size_t kMaxNodes = 1000000;       ///< values, aliases expanded
inline constexpr std::size_t kMaxIncludeDepth = 16;     ///< files including each other
inline constexpr std::size_t kMaxIncludedFiles = 256;   ///< included files read per model

struct Entry;

struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;
  bool quoted = false;       ///< given in quotes: always a string
  std::vector<Node> items;   ///< sequence
  std::vector<Entry> entries;  ///< map, in file order
  SourceLocation location;   ///< file, line, column (path is filled in by readers)

  [[nodiscard]] bool is_map() const { return kind == Kind::map; }
  [[nodiscard]] bool is_sequence() const { return kind == Kind::sequence; }
  [[nodiscard]] bool is_scalar() const { return kind == Kind::scalar; }
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  /// Sets key to value, appending the key if it is new.
  void set(const std::string& key, Node value);
  /// "a map", "a list", "a value" or "nothing", for messages.
  [[nodiscard]] const char* kind_name() const;
};

struct Entry {
  std::string key;
  SourceLocation key_location;
  Node value;
};

/// Parses YAML text; `file` names it in locations and errors. Syntax errors are
/// ModelErrors with the line and column.
Node parse(const std::string& text, const std::string& file);

/// Reads a model file and everything it includes (`include: FILE` or a list of files,
/// relative to the including file), merged: included files first, the including file on
/// top. FileError if a file cannot be read; ModelError for include cycles.
Node load_with_includes(const std::string& path);

/// Merges `over` into `base`: maps key by key (recursively); lists whose items are maps
/// with a `name` item by item, matched by name (new names appended); anything else is
/// replaced.
void merge(Node& base, const Node& over);

/// The document as YAML text (for recording the model in output files).
std::string emit(const Node& node);

}  // namespace spikeq::io::yaml
