#include "tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
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

/// Where the documents of a text start, read with events only. YAML::LoadAll is not used:
/// yaml-cpp 0.7 (Debian 12) repeats forever, allocating as it goes, a document that
/// consumes no token (",", ",}": yaml-cpp issue #1040, fixed upstream by PR #1319).
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Fails if `text` holds more than one document; reads two at most.
void check_one_document(const std::string& text, const std::string& file) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts starts;
  while (starts.marks.size() < 2 && parser.HandleNextDocument(starts)) {
  }
  if (starts.marks.size() < 2) return;
  const YAML::Mark& second = starts.marks[1];
  if (second.pos == starts.marks[0].pos) {  // the parser is stuck on a token it cannot place
    throw ModelError(location_of(second, file),
                     "YAML syntax error: unexpected text (a ',' outside [...] or {...}?)");
  }
  throw ModelError(location_of(second, file),
                   "a second YAML document: a model file holds one (remove the '---' or "
                   "'...' that starts it)");
}

/// What one document may expand to: aliases repeat what they name, so a few hundred bytes
/// can stand for billions of nodes, and an alias inside its own anchor for infinitely many.
struct Budget {
  std::size_t nodes = 0;
};

Node convert(const YAML::Node& y, const std::string& file, std::size_t depth, Budget& budget) {
  Node n;
  n.location = location_of(y.Mark(), file);
  if (depth > kMaxNesting) {
    throw ModelError(n.location, "the document nests deeper than " + std::to_string(kMaxNesting) +
                                     " levels (an alias inside its own anchor?)");
  }
  if (++budget.nodes > kMaxNodes) {
    throw ModelError(n.location, "the document expands to more than " + std::to_string(kMaxNodes) +
                                     " values (aliases repeat what they name)");
  }
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::scalar;
      n.scalar = y.Scalar();
      n.quoted = y.Tag() == "!";  // yaml-cpp tags quoted scalars "!", plain ones "?"
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::sequence;
      for (const auto& item : y) n.items.push_back(convert(item, file, depth + 1, budget));
      break;
    case YAML::NodeType::Map:
      n.kind = Node::Kind::map;
      for (const auto& kv : y) {
        if (!kv.first.IsScalar()) {
          throw ModelError(location_of(kv.first.Mark(), file), "a map key must be a plain value");
        }
        const std::string key = kv.first.Scalar();
        if (n.find(key)) {
          throw ModelError(location_of(kv.first.Mark(), file),
                           "the key '" + key + "' appears twice in the same map");
        }
        n.entries.push_back(
            Entry{key, location_of(kv.first.Mark(), file), convert(kv.second, file, depth + 1, budget)});
      }
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      n.kind = Node::Kind::null;
      break;
  }
  return n;
}

/// Line and column of byte `at` of `text`, 1-based.
SourceLocation location_in(const std::string& text, std::size_t at, const std::string& file) {
  const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  const std::size_t column = line_start == std::string::npos ? at + 1 : at - line_start;
  return SourceLocation{file, line, static_cast<int>(column), {}};
}

/// The whole of a model file, which must be a regular file of at most kMaxModelFileBytes:
/// a device, a FIFO or a directory would read forever, block, or read as nothing.
/// `where` locates the include that names it (empty for the model file itself).
std::string read_text(const std::filesystem::path& path, const std::optional<SourceLocation>& where) {
  auto fail = [&](const std::string& message) -> std::string {
    if (where) throw ModelError(*where, message);
    throw FileError(message);
  };
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return fail("cannot read model file '" + name + "': " + ec.message());
  if (!std::filesystem::is_regular_file(status)) {
    return fail("model file '" + name + "' is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read model file '" + name + "'");
  // In blocks, up to one byte past the limit: a model of a few KiB costs a few KiB, and
  // a file whose size the file system does not report (/proc) is still bounded.
  std::string text;
  char block[65536];
  while (text.size() <= kMaxModelFileBytes && in.read(block, sizeof block).gcount() > 0) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return fail("cannot read model file '" + name + "': a read failed");
  if (text.size() > kMaxModelFileBytes) {
    return fail("model file '" + name + "' is larger than " + std::to_string(kMaxModelFileBytes >> 20) +
                " MiB");
  }
  return text;
}

/// Files loaded so far for one model: the include chain (for cycles and depth) and the
/// count of every file read (a diamond of includes reads a file once per path).
struct Includes {
  std::vector<std::string> stack;
  std::size_t loaded = 0;
};

Node load_recursive(const std::filesystem::path& path, Includes& inc,
                    const std::optional<SourceLocation>& where);

/// The files `include:` names, relative to `path`'s folder, merged into `merged`.
void load_includes(const Node& list, const std::filesystem::path& path, Includes& inc, Node& merged) {
  std::vector<const Node*> files;
  if (list.is_scalar()) files.push_back(&list);
  if (list.is_sequence()) {
    for (const Node& f : list.items) files.push_back(&f);
  }
  SourceLocation at = list.location;
  at.path = "include";
  if (files.empty() || !std::all_of(files.begin(), files.end(), [](const Node* f) { return f->is_scalar(); })) {
    throw ModelError(at, "expected a file name or a list of file names");
  }
  for (const Node* f : files) {
    SourceLocation where = f->location;
    where.path = "include";
    const std::filesystem::path target = path.parent_path() / f->scalar;
    std::error_code ec;
    if (!std::filesystem::exists(target, ec)) {
      throw ModelError(where, "included file '" + target.string() + "' does not exist" +
                                  (ec ? " (" + ec.message() + ")" : std::string{}));
    }
    if (inc.stack.size() >= kMaxIncludeDepth) {
      throw ModelError(where, "includes nest deeper than " + std::to_string(kMaxIncludeDepth) + " files");
    }
    if (inc.loaded >= kMaxIncludedFiles) {
      throw ModelError(where, "a model reads at most " + std::to_string(kMaxIncludedFiles) +
                                  " included files (counting each path to a file)");
    }
    merge(merged, load_recursive(target, inc, where));
  }
}

Node load_recursive(const std::filesystem::path& path, Includes& inc,
                    const std::optional<SourceLocation>& where) {
  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) {
    const std::string message = "cannot read model file '" + path.string() + "': " + ec.message();
    if (where) throw ModelError(*where, message);
    throw FileError(message);
  }
  const std::string canonical = resolved.string();
  for (const std::string& open : inc.stack) {
    if (open == canonical) {
      throw ModelError(SourceLocation{path.string(), 0, 0, "include"},
                       "include cycle: '" + path.string() + "' includes itself");
    }
  }
  ++inc.loaded;
  inc.stack.push_back(canonical);
  Node doc = parse(read_text(path, where), path.string());
  Node merged;
  merged.kind = Node::Kind::map;
  merged.location = doc.location;
  if (doc.is_map()) {
    if (const Node* list = doc.find("include")) {
      load_includes(*list, path, inc, merged);
      std::erase_if(doc.entries, [](const Entry& e) { return e.key == "include"; });
    }
  }
  merge(merged, doc);
  inc.stack.pop_back();
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
  if (text.size() > kMaxModelFileBytes) {
    throw ModelError(SourceLocation{file, 0, 0, {}},
                     "the document is larger than " + std::to_string(kMaxModelFileBytes >> 20) + " MiB");
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
    throw ModelError(location_in(text, nul, file), "a NUL byte: a model file is text");
  }
  try {
    check_one_document(text, file);
    Budget budget;
    return convert(YAML::Load(text), file, 0, budget);
  } catch (const YAML::Exception& e) {
    throw ModelError(location_of(e.mark, file), "YAML syntax error: " + e.msg);
  }
}

Node load_with_includes(const std::string& path) {
  Includes inc;
  return load_recursive(path, inc, std::nullopt);
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
