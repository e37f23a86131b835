// Text spike lists: one "time,unit" per line (comma, semicolon, tab or spaces between),
// '#' starts a comment, a first line that is not numeric is a header. Read a chunk of
// lines at a time.
#include <cctype>
#include <charconv>
#include <fstream>

#include "raw_spikes.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io::replay {
namespace {

class CsvSpikes final : public RawSpikes {
 public:
  explicit CsvSpikes(const ReplayOptions& o) : path_(o.path), scale_(o.time_unit), in_(o.path) {
    if (!in_) throw FileError(path_ + ": cannot open the file for reading");
    if (!(scale_ > 0.0)) throw FileError(path_ + ": time_unit must be > 0 ms");
  }

  bool next(std::vector<double>& t, std::vector<std::uint64_t>& unit) override {
    t.clear();
    unit.clear();
    std::string line;
    while (t.size() < kChunk && std::getline(in_, line)) {
      ++line_;
      if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      for (char& c : line) {
        if (c == ',' || c == ';' || c == '\t') c = ' ';
      }
      const char* p = line.data();
      const char* end = p + line.size();
      auto skip = [&] { while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p; };
      skip();
      if (p == end) continue;
      double time = 0.0;
      std::uint64_t id = 0;
      auto r1 = std::from_chars(p, end, time);
      bool ok = r1.ec == std::errc{};
      if (ok) {
        p = r1.ptr;
        skip();
        auto r2 = std::from_chars(p, end, id);
        ok = r2.ec == std::errc{};
        if (ok) {
          p = r2.ptr;
          skip();
          ok = p == end;
        }
      }
      if (!ok) {
        if (!seen_data_ && line_ == first_content_line()) continue;  // a header
        throw FileError(path_ + ":" + std::to_string(line_) +
                        ": expected \"time,unit\" (a number and a non-negative integer)");
      }
      seen_data_ = true;
      time *= scale_;
      check_order(last_, time, path_, "line " + std::to_string(line_));
      last_ = time;
      t.push_back(time);
      unit.push_back(id);
    }
    return !t.empty();
  }

  [[nodiscard]] std::uint64_t buffered() const override { return 0; }
  [[nodiscard]] std::string where() const override {
    return path_ + ":" + std::to_string(line_);
  }

 private:
  /// The first line with content is the only one that may be a header.
  std::uint64_t first_content_line() {
    if (first_ == 0) first_ = line_;
    return first_;
  }

  std::string path_;
  double scale_;
  std::ifstream in_;
  std::uint64_t line_ = 0, first_ = 0;
  bool seen_data_ = false;
  double last_ = 0.0;
};

}  // namespace

std::unique_ptr<RawSpikes> open_csv(const ReplayOptions& options) {
  return std::make_unique<CsvSpikes>(options);
}

}  // namespace spikeq::io::replay
