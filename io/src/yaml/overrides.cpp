#include "overrides.hpp"

#include <algorithm>
#include <cctype>

#include "suggest.hpp"

namespace spikeq::io::yaml {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw ModelError(SourceLocation{"--set", 0, 0, path}, message);
}

/// "projections[2].weight" -> {"projections", "2", "weight"}.
std::vector<std::string> split_path(const std::string& key) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : key) {
    if (c == '.' || c == '[') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else if (c != ']') {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

bool is_index(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// One step of the path; `done` is the path to `node` (for messages).
Node* step(Node& node, const std::string& part, const std::string& done, bool last) {
  if (node.is_sequence()) {
    if (is_index(part)) {
      // Compared as text first: an index of any length is only a number if it fits.
      const bool fits = part.size() <= 9;
      const std::size_t i = fits ? std::stoul(part) : node.items.size();
      if (i >= node.items.size()) {
        fail(done, "there is no item " + part + " (the list has " +
                       std::to_string(node.items.size()) + ")");
      }
      return &node.items[i];
    }
    std::vector<std::string> names;
    for (Node& item : node.items) {
      const Node* name = item.is_map() ? item.find("name") : nullptr;
      if (name && name->is_scalar()) {
        if (name->scalar == part) return &item;
        names.push_back(name->scalar);
      }
    }
    fail(done, "no item named '" + part + "'" + did_you_mean(part, names) +
                   (names.empty() ? std::string{} : " (names: " + quoted_list(names) + ")"));
  }
  if (node.kind == Node::Kind::null) node.kind = Node::Kind::map;
  if (!node.is_map()) fail(done, "is " + std::string(node.kind_name()) + ", not a map: cannot set '" + part + "' in it");
  if (Node* child = node.find(part)) return child;
  if (!last) {
    std::vector<std::string> keys;
    for (const Entry& e : node.entries) keys.push_back(e.key);
    // An intermediate map that does not exist yet (e.g. params of a population that
    // uses only defaults) is created; the schema check later catches misspellings.
    if (!did_you_mean(part, keys).empty()) {
      fail(done, "has no key '" + part + "'" + did_you_mean(part, keys));
    }
  }
  Node fresh;
  fresh.location = SourceLocation{"--set", 0, 0, {}};
  node.set(part, fresh);
  return node.find(part);
}

}  // namespace

void apply_override(Node& doc, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    fail(assignment, "expected KEY.PATH=VALUE, e.g. populations.exc.params.tau_m=\"15 ms\"");
  }
  const std::string key = assignment.substr(0, eq);
  const std::vector<std::string> parts = split_path(key);
  if (parts.empty()) fail(key, "empty key path");
  Node* node = &doc;
  std::string done;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    node = step(*node, parts[k], done.empty() ? "(top level)" : done, k + 1 == parts.size());
    done += (done.empty() ? "" : ".") + parts[k];
  }
  Node value = parse(assignment.substr(eq + 1), "--set");
  value.location = SourceLocation{"--set", 0, 0, {}};
  *node = std::move(value);
}

}  // namespace spikeq::io::yaml
