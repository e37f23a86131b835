#include "tree.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace spikeq::io::yaml {

const Node* Node::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (Entry& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

void Node::set(const std::string& key, Node value) {
  if (Node* n = find(key)) {
    *n = std::move(value);
    return;
  }
  kind = Kind::map;
  entries.push_back(Entry{key, value.location, std::move(value)});
}

const char* Node::kind_name() const {
  switch (kind) {
    case Kind::map: return "a map";
    case Kind::sequence: return "a list";
    case Kind::scalar: return "a value";
    case Kind::null: break;
  }
  return "nothing";
}

namespace {

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp counts from 0; editors count from 1.
  return SourceLocation{file, mark.line + 1, mark.column + 1, {}};
}

Node convert(const YAML::Node& y, const std::string& file) {
  Node n;
  n.location = location_of(y.Mark(), file);
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::scalar;
      n.scalar = y.Scalar();
      n.quoted = y.Tag() == "!";  // yaml-cpp tags quoted scalars "!", plain ones "?"
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::sequence;
      for (const auto& item : y) n.items.push_back(convert(item, file));
      break;
    case YAML::NodeType::Map:
      n.kind = Node::Kind::map;
      for (const auto& kv : y) {
        const std::string key = kv.first.as<std::string>();
        if (n.find(key)) {
          throw ModelError(location_of(kv.first.Mark(), file),
                           "the key '" + key + "' appears twice in the same map");
        }
        n.entries.push_back(Entry{key, location_of(kv.first.Mark(), file), convert(kv.second, file)});
      }
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      n.kind = Node::Kind::null;
      break;
  }
  return n;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError("cannot read model file '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Node load_recursive(const std::filesystem::path& path, std::vector<std::string>& stack) {
  const std::string canonical = std::filesystem::weakly_canonical(path).string();
  for (const std::string& open : stack) {
    if (open == canonical) {
      throw ModelError(SourceLocation{path.string(), 0, 0, "include"},
                       "include cycle: '" + path.string() + "' includes itself");
    }
  }
  stack.push_back(canonical);
  Node doc = parse(read_text(path.string()), path.string());
  Node merged;
  merged.kind = Node::Kind::map;
  merged.location = doc.location;
  if (doc.is_map()) {
    if (const Node* inc = doc.find("include")) {
      std::vector<const Node*> files;
      if (inc->is_scalar()) files.push_back(inc);
      if (inc->is_sequence()) {
        for (const Node& f : inc->items) files.push_back(&f);
      }
      if (files.empty() || !std::all_of(files.begin(), files.end(),
                                        [](const Node* f) { return f->is_scalar(); })) {
        SourceLocation where = inc->location;
        where.path = "include";
        throw ModelError(where, "expected a file name or a list of file names");
      }
      for (const Node* f : files) {
        const std::filesystem::path target = path.parent_path() / f->scalar;
        if (!std::filesystem::exists(target)) {
          SourceLocation where = f->location;
          where.path = "include";
          throw ModelError(where, "included file '" + target.string() + "' does not exist");
        }
        merge(merged, load_recursive(target, stack));
      }
      std::erase_if(doc.entries, [](const Entry& e) { return e.key == "include"; });
    }
  }
  merge(merged, doc);
  stack.pop_back();
  return merged;
}

bool named_items(const Node& list) {
  return list.is_sequence() && !list.items.empty() &&
         std::all_of(list.items.begin(), list.items.end(), [](const Node& item) {
           const Node* name = item.is_map() ? item.find("name") : nullptr;
           return name && name->is_scalar();
         });
}

YAML::Node to_yaml(const Node& n) {
  switch (n.kind) {
    case Node::Kind::scalar: return YAML::Node(n.scalar);
    case Node::Kind::sequence: {
      YAML::Node s(YAML::NodeType::Sequence);
      for (const Node& item : n.items) s.push_back(to_yaml(item));
      return s;
    }
    case Node::Kind::map: {
      YAML::Node m(YAML::NodeType::Map);
      for (const Entry& e : n.entries) m[e.key] = to_yaml(e.value);
      return m;
    }
    case Node::Kind::null: break;
  }
  return YAML::Node(YAML::NodeType::Null);
}

}  // namespace

Node parse(const std::string& text, const std::string& file) {
  try {
    return convert(YAML::Load(text), file);
  } catch (const YAML::Exception& e) {
    throw ModelError(location_of(e.mark, file), "YAML syntax error: " + e.msg);
  }
}

Node load_with_includes(const std::string& path) {
  std::vector<std::string> stack;
  return load_recursive(path, stack);
}

void merge(Node& base, const Node& over) {
  if (base.is_map() && over.is_map()) {
    for (const Entry& e : over.entries) {
      if (Node* existing = base.find(e.key)) {
        merge(*existing, e.value);
      } else {
        base.entries.push_back(e);
      }
    }
    return;
  }
  if (named_items(base) && named_items(over)) {
    for (const Node& item : over.items) {
      const std::string& name = item.find("name")->scalar;
      auto it = std::find_if(base.items.begin(), base.items.end(),
                             [&](const Node& b) { return b.find("name")->scalar == name; });
      if (it != base.items.end()) {
        merge(*it, item);
      } else {
        base.items.push_back(item);
      }
    }
    return;
  }
  base = over;
}

std::string emit(const Node& node) {
  YAML::Emitter out;
  out << to_yaml(node);
  return out.c_str();
}

}  // namespace spikeq::io::yaml
