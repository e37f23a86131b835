// Fashion-MNIST: gzip IDX files (big-endian header: magic 0x00000803 then count, rows,
// cols for images; magic 0x00000801 then count for labels; then one unsigned byte per
// pixel or label). Each header is checked against the decompressed length before the
// image buffer is allocated, so a lying header cannot cause a huge allocation.
#include <cstring>

#include "gzip_file.hpp"
#include "spikeq/io/datasets.hpp"
#include "spikeq/io/errors.hpp"

namespace spikeq::io {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803, kLabelsMagic = 0x00000801;
constexpr std::size_t kImagesHeader = 16, kLabelsHeader = 8;
constexpr std::uint64_t kMaxImages = 10'000'000, kMaxPixels = 1'000'000;
// Fashion-MNIST's largest file is 47 MB decompressed; 1 GiB leaves room for bigger IDX
// sets while bounding what a hostile file can make us hold.
constexpr std::size_t kMaxImageBytes = std::size_t{1} << 30;
constexpr std::size_t kMaxLabelBytes = kLabelsHeader + kMaxImages;
constexpr std::size_t kClasses = 10;
constexpr char kPackage[] = "dataset-fashion-mnist";

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  std::string m = path;
  m += ": ";
  m += what;
  throw FileError(m);
}

std::uint32_t big_endian32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

std::string hex32(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += kDigits[(v >> shift) & 0xfU];
  return s;
}

void check_size(const std::vector<std::uint8_t>& bytes, std::size_t header,
                const std::string& path) {
  if (bytes.size() < header) {
    std::string what = "the file decompresses to ";
    what += std::to_string(bytes.size());
    what += " bytes, shorter than the ";
    what += std::to_string(header);
    what += "-byte IDX header";
    fail(path, what);
  }
}

void check_magic(const std::vector<std::uint8_t>& bytes, std::uint32_t want, const char* kind,
                 const std::string& path) {
  const std::uint32_t magic = big_endian32(bytes, 0);
  if (magic == want) return;
  std::string what = "header field 'magic' (byte offset 0) is ";
  what += hex32(magic);
  what += ", expected ";
  what += hex32(want);
  what += " (IDX ";
  what += kind;
  what += " of unsigned bytes)";
  fail(path, what);
}

std::uint64_t read_count(const std::vector<std::uint8_t>& bytes, const std::string& path) {
  const std::uint64_t count = big_endian32(bytes, 4);
  if (count > kMaxImages) {
    std::string what = "header field 'count' (byte offset 4) is ";
    what += std::to_string(count);
    what += ", above the limit of ";
    what += std::to_string(kMaxImages);
    fail(path, what);
  }
  return count;
}

/// The declared length against the decompressed one; `declared` is spelled out.
void check_length(const std::vector<std::uint8_t>& bytes, std::uint64_t expected,
                  const std::string& declared, const std::string& path) {
  if (bytes.size() == expected) return;
  std::string what = "the header declares ";
  what += declared;
  what += " (";
  what += std::to_string(expected);
  what += " bytes with the header), but the file decompresses to ";
  what += std::to_string(bytes.size());
  what += " bytes";
  fail(path, what);
}

ImageSet read_images(const std::string& path) {
  const auto bytes = data::read_gzip_file(path, kMaxImageBytes, kPackage);
  check_size(bytes, kImagesHeader, path);
  check_magic(bytes, kImagesMagic, "images", path);
  const std::uint64_t count = read_count(bytes, path);
  const std::uint64_t rows = big_endian32(bytes, 8), cols = big_endian32(bytes, 12);
  if (rows == 0 || cols == 0 || rows * cols > kMaxPixels) {
    std::string what = "header fields 'rows' x 'cols' (byte offsets 8 and 12) are ";
    what += std::to_string(rows);
    what += " x ";
    what += std::to_string(cols);
    what += "; each must be at least 1 and rows * cols at most ";
    what += std::to_string(kMaxPixels);
    fail(path, what);
  }
  const std::uint64_t pixels = rows * cols;
  std::string declared = std::to_string(count);
  declared += " images of ";
  declared += std::to_string(rows);
  declared += 'x';
  declared += std::to_string(cols);
  declared += " pixels";
  check_length(bytes, kImagesHeader + count * pixels, declared, path);

  ImageSet set{.count = count, .pixels = pixels, .width = cols, .height = rows};
  set.images.resize(count * pixels);
  const std::uint8_t* in = bytes.data() + kImagesHeader;
  // Division, not a multiplication by 1/255: it is the exactly rounded v / 255.
  for (std::size_t i = 0; i < set.images.size(); ++i)
    set.images[i] = static_cast<float>(in[i]) / 255.0f;
  return set;
}

std::vector<std::uint8_t> read_labels(const std::string& path) {
  const auto bytes = data::read_gzip_file(path, kMaxLabelBytes, kPackage);
  check_size(bytes, kLabelsHeader, path);
  check_magic(bytes, kLabelsMagic, "labels", path);
  const std::uint64_t count = read_count(bytes, path);
  check_length(bytes, kLabelsHeader + count, std::to_string(count) + " labels", path);
  for (std::size_t i = kLabelsHeader; i < bytes.size(); ++i) {
    if (bytes[i] < kClasses) continue;
    std::string what = "byte offset ";
    what += std::to_string(i);
    what += " (label of item ";
    what += std::to_string(i - kLabelsHeader);
    what += ") is ";
    what += std::to_string(bytes[i]);
    what += ", not a class 0..9";
    fail(path, what);
  }
  return {bytes.begin() + kLabelsHeader, bytes.end()};
}

ImageSet read_split(const std::string& images_path, const std::string& labels_path) {
  ImageSet set = read_images(images_path);
  set.labels = read_labels(labels_path);
  if (set.labels.size() != set.count) {
    std::string m = images_path;
    m += " holds ";
    m += std::to_string(set.count);
    m += " images but ";
    m += labels_path;
    m += " holds ";
    m += std::to_string(set.labels.size());
    m += " labels";
    throw FileError(m);
  }
  return set;
}

}  // namespace

Dataset read_fashion_mnist(const std::string& directory) {
  const std::string dir =
      directory.empty() || directory.back() == '/' ? directory : directory + '/';
  const std::string files[4] = {
      dir + "train-images-idx3-ubyte.gz", dir + "train-labels-idx1-ubyte.gz",
      dir + "t10k-images-idx3-ubyte.gz", dir + "t10k-labels-idx1-ubyte.gz"};
  Dataset d{.name = "fashion_mnist", .classes = kClasses};
  d.train = read_split(files[0], files[1]);
  d.test = read_split(files[2], files[3]);
  if (d.train.width != d.test.width || d.train.height != d.test.height) {
    std::string m = files[2];
    m += ": test images are ";
    m += std::to_string(d.test.height);
    m += 'x';
    m += std::to_string(d.test.width);
    m += " pixels but the train images in ";
    m += files[0];
    m += " are ";
    m += std::to_string(d.train.height);
    m += 'x';
    m += std::to_string(d.train.width);
    throw FileError(m);
  }
  for (const auto& f : files) {
    if (!d.source.empty()) d.source += ", ";
    d.source += f;
  }
  return d;
}

}  // namespace spikeq::io
