// Task construction for continual learning: seeded pixel permutations, class splits and
// subsets. The shuffle is written out (splitmix64, rejection-sampled bounded draws,
// Fisher-Yates) because std::shuffle and the std distributions differ between standard
// libraries, and a task must be the same on every machine.
#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/datasets.hpp"

namespace spikeq::io {
namespace {

/// splitmix64's output function: a bijective mix of all 64 bits.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }
  /// Uniform in [0, bound): draws below 2^64 mod bound are rejected, so that every
  /// residue is reached by the same number of accepted draws.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % bound;
    }
  }

 private:
  std::uint64_t state_;
};

ImageSet empty_like(const ImageSet& set) {
  return ImageSet{.pixels = set.pixels, .width = set.width, .height = set.height};
}

}  // namespace

std::vector<std::uint32_t> seeded_permutation(std::size_t n, std::uint64_t seed,
                                              std::uint64_t stream) {
  if (n > std::size_t{std::numeric_limits<std::uint32_t>::max()} + 1) {
    std::string m = "seeded_permutation: ";
    m += std::to_string(n);
    m += " elements do not fit 32-bit indices";
    throw InvalidParameter(m);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  SplitMix64 rng(mix64(seed ^ mix64(stream + 0x632BE59BD9B4E019ULL)));
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.below(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

std::vector<std::uint32_t> task_permutation(std::size_t pixels, std::uint64_t seed,
                                            std::size_t task) {
  if (task != 0) return seeded_permutation(pixels, seed, task);
  std::vector<std::uint32_t> identity(pixels);
  for (std::size_t i = 0; i < pixels; ++i) identity[i] = static_cast<std::uint32_t>(i);
  return identity;
}

std::vector<std::vector<std::uint8_t>> split_classes(std::size_t classes, std::size_t per_task) {
  if (per_task == 0 || classes % per_task != 0 || classes > 256) {
    std::string m = "split_classes: ";
    m += std::to_string(classes);
    m += " classes cannot be split into tasks of ";
    m += std::to_string(per_task);
    m += " (per_task must be > 0 and divide the number of classes, at most 256)";
    throw InvalidParameter(m);
  }
  std::vector<std::vector<std::uint8_t>> tasks(classes / per_task);
  for (std::size_t c = 0; c < classes; ++c)
    tasks[c / per_task].push_back(static_cast<std::uint8_t>(c));
  return tasks;
}

ImageSet permute(const ImageSet& set, const std::vector<std::uint32_t>& perm) {
  std::vector<bool> seen(set.pixels, false);
  bool ok = perm.size() == set.pixels;
  for (std::size_t i = 0; ok && i < perm.size(); ++i) {
    ok = perm[i] < set.pixels && !seen[perm[i]];
    if (ok) seen[perm[i]] = true;
  }
  if (!ok) {
    std::string m = "permute: the pixel order is not a permutation of 0..";
    m += std::to_string(set.pixels);
    m += " - 1 (";
    m += std::to_string(perm.size());
    m += " entries)";
    throw InvalidParameter(m);
  }
  ImageSet out = set;
  for (std::size_t k = 0; k < set.count; ++k) {
    const float* in = set.images.data() + k * set.pixels;
    float* to = out.images.data() + k * set.pixels;
    for (std::size_t i = 0; i < set.pixels; ++i) to[i] = in[perm[i]];
  }
  return out;
}

ImageSet subset(const ImageSet& set, const std::vector<std::size_t>& indices) {
  ImageSet out = empty_like(set);
  out.count = indices.size();
  out.images.reserve(indices.size() * set.pixels);
  out.labels.reserve(indices.size());
  for (const std::size_t k : indices) {
    if (k >= set.count) {
      std::string m = "subset: image index ";
      m += std::to_string(k);
      m += " is out of range (the set holds ";
      m += std::to_string(set.count);
      m += " images)";
      throw InvalidParameter(m);
    }
    const auto from = set.images.begin() + static_cast<std::ptrdiff_t>(k * set.pixels);
    out.images.insert(out.images.end(), from, from + static_cast<std::ptrdiff_t>(set.pixels));
    out.labels.push_back(set.labels[k]);
  }
  return out;
}

ImageSet select_classes(const ImageSet& set, const std::vector<std::uint8_t>& classes) {
  bool wanted[256] = {};
  for (const auto c : classes) wanted[c] = true;
  std::vector<std::size_t> rows;
  for (std::size_t k = 0; k < set.count; ++k) {
    if (wanted[set.labels[k]]) rows.push_back(k);
  }
  return subset(set, rows);
}

ImageSet first(const ImageSet& set, std::size_t n) {
  std::vector<std::size_t> rows(std::min(n, set.count));
  for (std::size_t k = 0; k < rows.size(); ++k) rows[k] = k;
  return subset(set, rows);
}

}  // namespace spikeq::io
