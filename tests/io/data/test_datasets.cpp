// The dataset readers give exactly the pixels and labels of small gzip files written here,
// refuse malformed, missing and non-regular files with messages that name the file, the
// place and the value (and the Debian package of a missing one); the task helpers are
// deterministic down to fixed values. The real datasets are checked when installed.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../support/prerequisites.hpp"
#include "spikeq/io/datasets.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string name = (fs::temp_directory_path() / "spikeq_data_XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + name);
    path_ = name;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

void write_gz(const std::string& path, const std::string& bytes, const char* mode = "wb") {
  gzFile f = gzopen(path.c_str(), mode);
  REQUIRE(f != nullptr);
  if (!bytes.empty()) REQUIRE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) > 0);
  REQUIRE(gzclose(f) == Z_OK);
}

std::string read_raw(const std::string& path) {
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

void write_raw(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

/// Pixel j of image i in the synthetic digits: (3i + j) mod 17, so every value 0..16 occurs.
int digit_pixel(std::size_t i, std::size_t j) { return static_cast<int>((3 * i + j) % 17); }

std::string digits_line(std::size_t i, int label) {
  std::string line;
  for (std::size_t j = 0; j < 64; ++j) line += std::to_string(digit_pixel(i, j)) + ",";
  return line + std::to_string(label) + "\n";
}

/// `per_class` images of each class 0..9; image i has label i % 10.
std::string digits_csv(std::size_t per_class) {
  std::string csv;
  for (std::size_t i = 0; i < 10 * per_class; ++i) csv += digits_line(i, static_cast<int>(i % 10));
  return csv;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                       std::uint32_t seed, std::uint32_t magic = 0x803) {
  std::string b = be32(magic) + be32(count) + be32(rows) + be32(cols);
  for (std::uint32_t k = 0; k < count * rows * cols; ++k)
    b += static_cast<char>((seed + 37 * k) % 256);
  return b;
}

std::string idx_labels(const std::vector<int>& labels, std::uint32_t magic = 0x801) {
  std::string b = be32(magic) + be32(static_cast<std::uint32_t>(labels.size()));
  for (int l : labels) b += static_cast<char>(l);
  return b;
}

/// A Fashion-MNIST directory of `train` + `test` images of 2x3 pixels.
void write_fashion(const TempDir& dir, std::uint32_t train, std::uint32_t test) {
  std::vector<int> train_labels(train), test_labels(test);
  for (std::uint32_t i = 0; i < train; ++i) train_labels[i] = static_cast<int>((7 * i) % 10);
  for (std::uint32_t i = 0; i < test; ++i) test_labels[i] = static_cast<int>((3 * i + 1) % 10);
  write_gz(dir.file("train-images-idx3-ubyte.gz"), idx_images(train, 2, 3, 5));
  write_gz(dir.file("train-labels-idx1-ubyte.gz"), idx_labels(train_labels));
  write_gz(dir.file("t10k-images-idx3-ubyte.gz"), idx_images(test, 2, 3, 11));
  write_gz(dir.file("t10k-labels-idx1-ubyte.gz"), idx_labels(test_labels));
}

/// The message of the FileError `f` throws ("" and a failed check if it throws none).
std::string file_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const io::FileError& e) {
    return e.what();
  }
  FAIL_CHECK("no FileError");
  return "";
}

void check_contains(const std::string& message, const std::vector<std::string>& fragments) {
  for (const auto& frag : fragments)
    CHECK_MESSAGE(message.find(frag) != std::string::npos, message, " lacks ", frag);
}

bool is_permutation_of_iota(std::vector<std::uint32_t> p) {
  std::sort(p.begin(), p.end());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != i) return false;
  }
  return true;
}

io::ImageSet tiny_set() {
  // 6 images of 2x2; image k has pixels 10k + (0, 1, 2, 3) and label k % 3.
  io::ImageSet s{.count = 6, .pixels = 4, .width = 2, .height = 2};
  for (std::uint8_t k = 0; k < 6; ++k) {
    for (int j = 0; j < 4; ++j) s.images.push_back(static_cast<float>(10 * k + j));
    s.labels.push_back(static_cast<std::uint8_t>(k % 3));
  }
  return s;
}

}  // namespace

TEST_CASE("digits CSV: pixels / 16 and labels exactly, in file order") {
  TempDir dir;
  const auto path = dir.file("digits.csv.gz");
  // CRLF endings, spaces around fields and a trailing blank line are accepted.
  std::string csv = digits_csv(3);
  std::string crlf;
  for (char c : csv) crlf += c == '\n' ? std::string(" \r\n") : std::string(1, c);
  write_gz(path, crlf + "\r\n");
  const auto d = io::read_digits(path, 0.0);
  CHECK(d.name == "digits");
  CHECK(d.classes == 10);
  CHECK(d.source == path);
  CHECK(d.test.count == 0);
  const auto& s = d.train;
  REQUIRE(s.count == 30);
  CHECK(s.pixels == 64);
  CHECK(s.width == 8);
  CHECK(s.height == 8);
  REQUIRE(s.images.size() == 30 * 64);
  REQUIRE(s.labels.size() == 30);
  for (std::size_t i = 0; i < 30; ++i) {
    CHECK(s.labels[i] == i % 10);
    for (std::size_t j = 0; j < 64; ++j) {
      REQUIRE(s.images[i * 64 + j] == static_cast<float>(digit_pixel(i, j) / 16.0));
    }
  }
}

TEST_CASE("digits split: stratified, llround(fraction * n) per class, seeded, file order kept") {
  TempDir dir;
  const auto path = dir.file("digits.csv.gz");
  write_gz(path, digits_csv(5));  // 5 per class: 0.2 -> 1, 0.5 -> llround(2.5) = 3
  for (const double fraction : {0.2, 0.5, 1.0}) {
    const auto d = io::read_digits(path, fraction, 3);
    const std::size_t k = static_cast<std::size_t>(std::llround(fraction * 5));
    CHECK(d.test.count == 10 * k);
    CHECK(d.train.count + d.test.count == 50);
    std::map<int, std::size_t> per_class;
    for (auto l : d.test.labels) ++per_class[l];
    for (int c = 0; c < 10; ++c) CHECK(per_class[c] == k);
  }
  // The test image of class c is the last of its 5 images (file indices c, c + 10, ...,
  // c + 40) in seeded_permutation(5, seed, c) order; both sets keep the file order.
  const auto d = io::read_digits(path, 0.2, 3);
  std::vector<bool> is_test(50, false);
  for (std::uint8_t c = 0; c < 10; ++c) is_test[c + 10 * io::seeded_permutation(5, 3, c)[4]] = true;
  const auto expect = [&](bool test) {
    std::vector<float> images;
    for (std::size_t i = 0; i < 50; ++i) {
      if (is_test[i] != test) continue;
      for (std::size_t j = 0; j < 64; ++j)
        images.push_back(static_cast<float>(digit_pixel(i, j) / 16.0));
    }
    return images;
  };
  CHECK(d.test.images == expect(true));
  CHECK(d.train.images == expect(false));
  // Same seed, same split; another seed, another split of the same sizes.
  CHECK(io::read_digits(path, 0.2, 3).test.images == d.test.images);
  const auto other = io::read_digits(path, 0.2, 4);
  CHECK(other.test.count == d.test.count);
  CHECK(other.test.images != d.test.images);
  CHECK_THROWS_AS((void)io::read_digits(path, 1.5), InvalidParameter);
  CHECK_THROWS_AS((void)io::read_digits(path, -0.1), InvalidParameter);
}

TEST_CASE("Fashion-MNIST IDX: pixels / 255, labels, shape from the header") {
  TempDir dir;
  write_fashion(dir, 7, 4);
  const auto d = io::read_fashion_mnist(dir.path());
  CHECK(d.name == "fashion_mnist");
  CHECK(d.classes == 10);
  CHECK(d.source.find("train-images-idx3-ubyte.gz") != std::string::npos);
  CHECK(d.source.find("t10k-labels-idx1-ubyte.gz") != std::string::npos);
  const auto check = [](const io::ImageSet& s, std::size_t count, std::uint32_t seed) {
    REQUIRE(s.count == count);
    CHECK(s.width == 3);
    CHECK(s.height == 2);
    CHECK(s.pixels == 6);
    REQUIRE(s.images.size() == count * 6);
    for (std::size_t k = 0; k < s.images.size(); ++k) {
      REQUIRE(s.images[k] == static_cast<float>((seed + 37 * k) % 256) / 255.0f);
    }
  };
  check(d.train, 7, 5);
  check(d.test, 4, 11);
  REQUIRE(d.train.labels.size() == 7);
  for (std::size_t i = 0; i < 7; ++i) CHECK(d.train.labels[i] == (7 * i) % 10);
  for (std::size_t i = 0; i < 4; ++i) CHECK(d.test.labels[i] == (3 * i + 1) % 10);
  // A trailing '/' is the same directory; load_dataset takes the path.
  CHECK(io::read_fashion_mnist(dir.path() + "/").train.images == d.train.images);
  CHECK(io::load_dataset("fashion_mnist", dir.path()).test.labels == d.test.labels);
}

TEST_CASE("malformed digits files: the message names the file, the line and field, the value") {
  TempDir dir;
  const auto path = dir.file("bad.csv.gz");
  const auto error_for = [&](const std::string& csv) {
    write_gz(path, csv);
    return file_error([&] { (void)io::read_digits(path); });
  };
  const std::string good = digits_line(0, 1);
  std::string short_line = good;
  short_line.replace(short_line.rfind(','), 2, "");  // 64 fields
  check_contains(error_for(good + short_line),
                 {path + ":2:", "expected 65 comma-separated fields", "found 64"});
  check_contains(error_for(good + good + "1,2,x" + good.substr(5)),
                 {path + ":3:", "field 3 (a pixel) is 'x', not a number"});
  check_contains(error_for(good + "17" + good.substr(1)),
                 {path + ":2:", "field 1 (a pixel) is '17', outside 0..16"});
  check_contains(error_for("-1" + good.substr(1)),
                 {path + ":1:", "field 1 (a pixel) is '-1', outside 0..16"});
  check_contains(error_for("nan" + good.substr(1)), {path + ":1:", "is 'nan', outside 0..16"});
  check_contains(error_for(good.substr(0, good.size() - 2) + "10\n"),
                 {path + ":1:", "field 65 (the label) is '10', not a class 0..9"});
  check_contains(error_for(good.substr(0, good.size() - 2) + "2.5\n"),
                 {"(the label) is '2.5', not a class"});
  check_contains(error_for(good.substr(0, good.size() - 2) + "\n"),
                 {"(the label) is '', not a number"});
  check_contains(error_for("\n \n"), {path + ": no images"});
  // Not gzip at all, and a gzip stream cut short or damaged.
  write_raw(path, good);
  check_contains(file_error([&] { (void)io::read_digits(path); }), {path + ": not a gzip file"});
  write_raw(path, "");
  check_contains(file_error([&] { (void)io::read_digits(path); }), {path + ": not a gzip file"});
  write_gz(path, digits_csv(20));
  const std::string whole = read_raw(path);
  write_raw(path, whole.substr(0, whole.size() / 2));
  check_contains(file_error([&] { (void)io::read_digits(path); }),
                 {path + ": truncated or corrupt gzip data"});
  std::string damaged = whole;
  for (std::size_t k = 20; k < 60; ++k) damaged[k] = static_cast<char>(damaged[k] ^ 0x5a);
  write_raw(path, damaged);
  check_contains(file_error([&] { (void)io::read_digits(path); }), {path + ": ", "gzip data"});
}

TEST_CASE("a gzip file that decompresses beyond the cap is refused, not held") {
  TempDir dir;
  const auto path = dir.file("bomb.csv.gz");
  write_gz(path, std::string((std::size_t{64} << 20) + 4096, '0'), "wb1");
  check_contains(file_error([&] { (void)io::read_digits(path); }),
                 {path + ": decompresses to more than 67108864 bytes"});
}

TEST_CASE(
    "malformed IDX files: the message names the file, the header field or byte offset, the value") {
  TempDir dir;
  const auto images = dir.file("train-images-idx3-ubyte.gz");
  const auto labels = dir.file("train-labels-idx1-ubyte.gz");
  const auto error_for = [&](const std::string& image_bytes, const std::string& label_bytes) {
    write_fashion(dir, 3, 2);
    write_gz(images, image_bytes);
    write_gz(labels, label_bytes);
    return file_error([&] { (void)io::read_fashion_mnist(dir.path()); });
  };
  const std::string good_labels = idx_labels({1, 2, 3});
  check_contains(
      error_for(idx_images(3, 2, 3, 0, 0x802), good_labels),
      {images + ": header field 'magic' (byte offset 0) is 0x00000802, expected 0x00000803"});
  check_contains(
      error_for(idx_images(3, 2, 3, 0), idx_labels({1, 2, 3}, 0x803)),
      {labels + ": header field 'magic' (byte offset 0) is 0x00000803, expected 0x00000801"});
  // Counts that disagree with the data: more declared than present, and the reverse.
  std::string lying = idx_images(3, 2, 3, 0);
  lying.replace(4, 4, be32(5));
  check_contains(
      error_for(lying, good_labels),
      {images + ": the header declares 5 images of 2x3 pixels (46 bytes with the header), "
                "but the file decompresses to 34 bytes"});
  check_contains(error_for(idx_images(3, 2, 3, 0) + "x", good_labels),
                 {"decompresses to 35 bytes"});
  // A huge declared count is refused before anything is allocated from it.
  std::string huge = idx_images(1, 2, 3, 0);
  huge.replace(4, 4, be32(0xffffffffU));
  check_contains(
      error_for(huge, good_labels),
      {images +
       ": header field 'count' (byte offset 4) is 4294967295, above the limit of 10000000"});
  std::string wide = idx_images(1, 2, 3, 0);
  wide.replace(8, 8, be32(0x10000) + be32(0x10000));
  check_contains(
      error_for(wide, good_labels),
      {images + ": header fields 'rows' x 'cols' (byte offsets 8 and 12) are 65536 x 65536"});
  check_contains(error_for(idx_images(0, 0, 3, 0), idx_labels({})), {"are 0 x 3"});
  check_contains(
      error_for(idx_images(3, 2, 3, 0).substr(0, 10), good_labels),
      {images + ": the file decompresses to 10 bytes, shorter than the 16-byte IDX header"});
  check_contains(error_for(idx_images(3, 2, 3, 0), idx_labels({1, 10, 3})),
                 {labels + ": byte offset 9 (label of item 1) is 10, not a class 0..9"});
  check_contains(error_for(idx_images(3, 2, 3, 0), idx_labels({1, 2})),
                 {images + " holds 3 images but " + labels + " holds 2 labels"});
  // Test images of another shape than the train images.
  write_fashion(dir, 3, 2);
  write_gz(dir.file("t10k-images-idx3-ubyte.gz"), idx_images(2, 3, 2, 0));
  check_contains(file_error([&] { (void)io::read_fashion_mnist(dir.path()); }),
                 {"t10k-images-idx3-ubyte.gz: test images are 3x2 pixels but the train images in"});
}

TEST_CASE("missing files name the Debian package, non-regular files are refused without blocking") {
  TempDir dir;
  const auto digits = dir.file("nope.csv.gz");
  check_contains(
      file_error([&] { (void)io::read_digits(digits); }),
      {digits + ": cannot open the file", "python3-sklearn", "apt-get install python3-sklearn"});
  check_contains(file_error([&] { (void)io::read_fashion_mnist(dir.file("nodir")); }),
                 {dir.file("nodir/train-images-idx3-ubyte.gz") + ": cannot open the file",
                  "apt-get install dataset-fashion-mnist"});
  write_fashion(dir, 2, 2);
  fs::remove(dir.file("t10k-labels-idx1-ubyte.gz"));
  check_contains(
      file_error([&] { (void)io::read_fashion_mnist(dir.path()); }),
      {dir.file("t10k-labels-idx1-ubyte.gz") + ": cannot open", "dataset-fashion-mnist"});
  check_contains(file_error([&] { (void)io::read_digits(dir.path()); }),
                 {dir.path() + ": is a directory"});
  const auto fifo = dir.file("fifo.csv.gz");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_contains(file_error([&] { (void)io::read_digits(fifo); }),
                 {fifo + ": is not a regular file"});
}

TEST_CASE("load_dataset and default_dataset_path know digits and fashion_mnist only") {
  CHECK(io::default_dataset_path("digits") ==
        "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");
  CHECK(io::default_dataset_path("fashion_mnist") == "/usr/share/datasets/fashion-mnist");
  CHECK_THROWS_WITH_AS(
      (void)io::default_dataset_path("mnist"),
      doctest::Contains("unknown dataset 'mnist' (known datasets: digits, fashion_mnist)"),
      InvalidParameter);
  CHECK_THROWS_WITH_AS((void)io::load_dataset("cifar", "/tmp/x"),
                       doctest::Contains("known datasets: digits"), InvalidParameter);
  TempDir dir;
  write_gz(dir.file("d.csv.gz"), digits_csv(5));
  const auto d = io::load_dataset("digits", dir.file("d.csv.gz"));
  CHECK(d.train.count == 40);  // the default split: 0.2 of 5 per class
  CHECK(d.test.count == 10);
}

TEST_CASE("seeded permutations: fixed values, task 0 the identity, a permutation") {
  // Fixed outputs (checked against a separate Python transcription of the documented
  // algorithm): a change of generator, bounded draw or shuffle order is caught here.
  CHECK(io::seeded_permutation(10, 0, 1) ==
        std::vector<std::uint32_t>{9, 3, 8, 2, 6, 1, 7, 0, 4, 5});
  CHECK(io::seeded_permutation(10, 42, 7) ==
        std::vector<std::uint32_t>{3, 9, 1, 6, 8, 0, 7, 5, 2, 4});
  CHECK(io::task_permutation(10, 42, 7) == io::seeded_permutation(10, 42, 7));
  const auto big = io::task_permutation(784, 12345, 3);
  CHECK(std::vector<std::uint32_t>(big.begin(), big.begin() + 8) ==
        std::vector<std::uint32_t>{350, 754, 230, 61, 369, 556, 504, 568});
  CHECK(io::seeded_permutation(0, 1, 1).empty());
  CHECK(io::seeded_permutation(1, 1, 1) == std::vector<std::uint32_t>{0});

  std::vector<std::uint32_t> identity(784);
  std::iota(identity.begin(), identity.end(), 0U);
  CHECK(io::task_permutation(784, 99, 0) == identity);
  std::set<std::vector<std::uint32_t>> distinct;
  for (std::size_t task = 1; task <= 5; ++task) {
    const auto p = io::task_permutation(784, 99, task);
    CHECK(is_permutation_of_iota(p));
    CHECK(p == io::task_permutation(784, 99, task));
    CHECK(p != identity);
    distinct.insert(p);
  }
  distinct.insert(io::task_permutation(784, 100, 1));
  CHECK(distinct.size() == 6);
}

TEST_CASE("split_classes: consecutive classes per task, per_task must divide") {
  const auto t = io::split_classes(10, 2);
  REQUIRE(t.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(t[k] == std::vector<std::uint8_t>{static_cast<std::uint8_t>(2 * k),
                                            static_cast<std::uint8_t>(2 * k + 1)});
  }
  CHECK(io::split_classes(10, 10) ==
        std::vector<std::vector<std::uint8_t>>{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}});
  CHECK(io::split_classes(10, 1).size() == 10);
  CHECK_THROWS_WITH_AS((void)io::split_classes(10, 3),
                       doctest::Contains("10 classes cannot be split into tasks of 3"),
                       InvalidParameter);
  CHECK_THROWS_AS((void)io::split_classes(10, 0), InvalidParameter);
  CHECK_THROWS_AS((void)io::split_classes(512, 2), InvalidParameter);
}

TEST_CASE("permute, select_classes, subset and first") {
  const auto s = tiny_set();
  const auto p = io::permute(s, {3, 0, 2, 1});
  CHECK(p.count == 6);
  CHECK(p.labels == s.labels);
  CHECK(p.width == 2);
  CHECK(std::vector<float>(p.images.begin(), p.images.begin() + 8) ==
        std::vector<float>{3, 0, 2, 1, 13, 10, 12, 11});
  CHECK(io::permute(s, io::task_permutation(4, 5, 0)).images == s.images);
  CHECK_THROWS_AS((void)io::permute(s, {0, 1, 2}), InvalidParameter);
  CHECK_THROWS_AS((void)io::permute(s, {0, 1, 1, 3}), InvalidParameter);
  CHECK_THROWS_AS((void)io::permute(s, {0, 1, 2, 4}), InvalidParameter);

  const auto c = io::select_classes(s, {2, 0});
  CHECK(c.count == 4);
  CHECK(c.pixels == 4);
  CHECK(c.labels == std::vector<std::uint8_t>{0, 2, 0, 2});
  CHECK(c.images == std::vector<float>{0, 1, 2, 3, 20, 21, 22, 23, 30, 31, 32, 33, 50, 51, 52, 53});
  CHECK(io::select_classes(s, {}).count == 0);
  CHECK(io::select_classes(s, {7}).images.empty());

  const auto f = io::first(s, 2);
  CHECK(f.count == 2);
  CHECK(f.labels == std::vector<std::uint8_t>{0, 1});
  CHECK(f.images == std::vector<float>{0, 1, 2, 3, 10, 11, 12, 13});
  CHECK(io::first(s, 100).images == s.images);
  CHECK(io::subset(s, {5, 0}).labels == std::vector<std::uint8_t>{2, 0});
  CHECK_THROWS_AS((void)io::subset(s, {6}), InvalidParameter);
}

TEST_CASE("real scikit-learn digits: 1797 images, stratified 20 % test split") {
  test::require_data(io::kDigitsDefaultPath, "python3-sklearn");
  const auto d = io::load_dataset("digits", "");
  CHECK(d.train.pixels == 64);
  CHECK(d.test.pixels == 64);
  CHECK(d.train.count + d.test.count == 1797);
  std::map<int, std::size_t> all, test;
  for (auto l : d.train.labels) ++all[l];
  for (auto l : d.test.labels) {
    ++all[l];
    ++test[l];
  }
  REQUIRE(all.size() == 10);
  std::size_t sum = 0;
  for (const auto& [c, n] : all) {
    CHECK(c >= 0);
    CHECK(c <= 9);
    CHECK(n > 150);
    CHECK(test[c] == static_cast<std::size_t>(std::llround(0.2 * static_cast<double>(n))));
    sum += n;
  }
  CHECK(sum == 1797);
  CHECK(d.test.count == 359);
  const auto [lo, hi] = std::minmax_element(d.train.images.begin(), d.train.images.end());
  CHECK(*lo == 0.0f);
  CHECK(*hi == 1.0f);
  // The split is fixed (values from a separate Python transcription of the rule): test
  // images are file lines 3, 6, 8, 10, 11, 21, ... and hold 112552 pixel counts in all.
  CHECK(std::vector<std::uint8_t>(d.test.labels.begin(), d.test.labels.begin() + 10) ==
        std::vector<std::uint8_t>{2, 5, 7, 9, 0, 0, 1, 3, 7, 8});
  double counts = 0.0;
  for (float v : d.test.images) counts += 16.0 * v;
  CHECK(counts == 112552.0);
  // The split is fixed: the same on a second read.
  CHECK(io::read_digits().test.images == d.test.images);
}

TEST_CASE("real Fashion-MNIST: 60000 + 10000 images of 28x28, 6000 per class, read quickly") {
  const std::string dir = io::kFashionMnistDefaultDirectory;
  test::require_data(dir + "/train-images-idx3-ubyte.gz", "dataset-fashion-mnist");
  const auto start = std::chrono::steady_clock::now();
  const auto d = io::read_fashion_mnist();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("Fashion-MNIST read in " << seconds << " s");
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  CHECK(seconds < 2.0);
#endif
  CHECK(d.train.count == 60000);
  CHECK(d.test.count == 10000);
  CHECK(d.train.pixels == 784);
  CHECK(d.train.width == 28);
  CHECK(d.train.height == 28);
  CHECK(d.train.images.size() == 60000U * 784U);
  std::vector<std::size_t> train(10), test(10);
  for (auto l : d.train.labels) ++train.at(l);
  for (auto l : d.test.labels) ++test.at(l);
  CHECK(train == std::vector<std::size_t>(10, 6000));
  CHECK(test == std::vector<std::size_t>(10, 1000));
  const auto [lo, hi] = std::minmax_element(d.test.images.begin(), d.test.images.end());
  CHECK(*lo == 0.0f);
  CHECK(*hi == 1.0f);
}
