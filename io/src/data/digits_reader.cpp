// scikit-learn's 8x8 digits (digits.csv.gz): one image per line, 64 pixel counts 0..16
// then the label, comma-separated, no header. The file has no test split, so a seeded,
// class-stratified one is drawn here (the rule is in datasets.hpp). Also the catalog of
// dataset names, which needs both readers.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "gzip_file.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/datasets.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace {

constexpr std::size_t kSide = 8, kPixels = kSide * kSide, kFields = kPixels + 1, kClasses = 10;
constexpr double kMaxPixel = 16.0;
// The real file is 0.3 MB decompressed; the cap only stops a runaway or hostile file.
constexpr std::size_t kMaxBytes = std::size_t{64} << 20;
constexpr char kPackage[] = "python3-sklearn";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// "PATH:LINE: field F (WHAT) is 'TEXT', WHY" (the text shortened if it is long).
[[noreturn]] void bad_field(const std::string& path, std::size_t line, std::size_t field,
                            const char* what, std::string_view text, const char* why) {
  std::string m = path;
  m += ':';
  m += std::to_string(line);
  m += ": field ";
  m += std::to_string(field);
  m += " (";
  m += what;
  m += ") is '";
  m += text.substr(0, 40);
  if (text.size() > 40) m += "...";
  m += "', ";
  m += why;
  throw FileError(m);
}

/// The 64 pixels and the label of one line, appended to `set`.
void parse_line(std::string_view line, const std::string& path, std::size_t line_no,
                ImageSet& set) {
  std::size_t fields = 1;
  for (char c : line) fields += c == ',' ? 1 : 0;
  if (fields != kFields) {
    std::string m = path;
    m += ':';
    m += std::to_string(line_no);
    m += ": expected 65 comma-separated fields (64 pixels, then the label), found ";
    m += std::to_string(fields);
    throw FileError(m);
  }
  std::size_t start = 0;
  for (std::size_t f = 0; f < kFields; ++f) {
    const std::size_t comma = std::min(line.find(',', start), line.size());
    std::string_view text = line.substr(start, comma - start);
    start = comma + 1;
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    const bool is_label = f == kPixels;
    const char* what = is_label ? "the label" : "a pixel";
    double v = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
      bad_field(path, line_no, f + 1, what, text, "not a number");
    }
    if (is_label) {
      if (!(v >= 0.0 && v < static_cast<double>(kClasses)) || v != std::floor(v)) {
        bad_field(path, line_no, f + 1, what, text, "not a class 0..9");
      }
      set.labels.push_back(static_cast<std::uint8_t>(v));
    } else {
      if (!(v >= 0.0 && v <= kMaxPixel))
        bad_field(path, line_no, f + 1, what, text, "outside 0..16");
      set.images.push_back(static_cast<float>(v / kMaxPixel));
    }
  }
  ++set.count;
}

ImageSet parse_csv(const std::vector<std::uint8_t>& bytes, const std::string& path) {
  ImageSet all{.pixels = kPixels, .width = kSide, .height = kSide};
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t nl = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    parse_line(line, path, line_no, all);
  }
  if (all.count == 0) throw FileError(path + ": no images (the file has no data lines)");
  return all;
}

/// Which images are test images: per class, the last llround(fraction * n_c) of the
/// class's images in seeded_permutation(n_c, seed, c) order.
std::vector<bool> stratified_test_mask(const std::vector<std::uint8_t>& labels, double fraction,
                                       std::uint64_t seed) {
  std::vector<bool> test(labels.size(), false);
  for (std::size_t c = 0; c < kClasses; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == c) members.push_back(i);
    }
    const auto n = members.size();
    const auto k = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
    const auto order = seeded_permutation(n, seed, c);
    for (std::size_t j = n - k; j < n; ++j) test[members[order[j]]] = true;
  }
  return test;
}

}  // namespace

Dataset read_digits(const std::string& path, double test_fraction, std::uint64_t split_seed) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0)) {
    std::string m = "read_digits: test_fraction must lie in [0, 1], got ";
    m += detail::format_number(test_fraction);
    throw InvalidParameter(m);
  }
  const ImageSet all = parse_csv(data::read_gzip_file(path, kMaxBytes, kPackage), path);
  const std::vector<bool> test = stratified_test_mask(all.labels, test_fraction, split_seed);
  std::vector<std::size_t> train_rows, test_rows;
  for (std::size_t i = 0; i < all.count; ++i) (test[i] ? test_rows : train_rows).push_back(i);
  return Dataset{.name = "digits",
                 .classes = kClasses,
                 .train = subset(all, train_rows),
                 .test = subset(all, test_rows),
                 .source = path};
}

// ---- The catalog of dataset names. ----

namespace {
InvalidParameter unknown_dataset(const std::string& name) {
  std::string m = "unknown dataset '";
  m += name;
  m += "' (known datasets: digits, fashion_mnist)";
  return InvalidParameter(m);
}
}  // namespace

std::string default_dataset_path(const std::string& name) {
  if (name == "digits") return kDigitsDefaultPath;
  if (name == "fashion_mnist") return kFashionMnistDefaultDirectory;
  throw unknown_dataset(name);
}

Dataset load_dataset(const std::string& name, const std::string& path_or_empty) {
  const std::string path = path_or_empty.empty() ? default_dataset_path(name) : path_or_empty;
  if (name == "digits") return read_digits(path);
  if (name == "fashion_mnist") return read_fashion_mnist(path);
  throw unknown_dataset(name);
}

}  // namespace spikeq::io
