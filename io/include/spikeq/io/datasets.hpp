#pragma once
// Image datasets for continual-learning experiments, read from the files that Debian
// packages ship, and the pure functions that cut them into tasks (permuted pixels, class
// splits, subsets).
//
// Known datasets (name: Debian package): digits (python3-sklearn), fashion_mnist
// (dataset-fashion-mnist); the default paths are below.
//
// Every file problem is a spikeq::io::FileError whose message starts with the file name:
// a missing file says which package provides it, a malformed one says where (CSV line and
// field, IDX header field or byte offset) and the value found. Declared sizes are never
// trusted: a file is decompressed under a size cap and its header checked against the data
// actually there before any image buffer is allocated.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spikeq::io {

/// Where the Debian packages put the files (python3-sklearn, dataset-fashion-mnist).
inline constexpr char kDigitsDefaultPath[] =
    "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
inline constexpr char kFashionMnistDefaultDirectory[] = "/usr/share/datasets/fashion-mnist";

/// One split of a dataset: `count` images of `width` x `height` pixels, row-major, one
/// after the other, intensities scaled to [0, 1]; one label per image.
struct ImageSet {
  std::size_t count = 0, pixels = 0;  ///< images, pixels per image (width * height)
  std::size_t width = 0, height = 0;
  std::vector<float> images;         ///< count * pixels
  std::vector<std::uint8_t> labels;  ///< count
};

struct Dataset {
  std::string name;  ///< "digits", "fashion_mnist"
  std::size_t classes = 0;
  ImageSet train, test;
  std::string source;  ///< the file(s) read, for summaries
};

/// scikit-learn's 8x8 digits (1797 images, 10 classes; a gzip CSV, one image a line: 64
/// pixel values in 0..16, then the label 0..9). Pixels are divided by 16.
///
/// The file has no official split, so the test set is drawn here, per class c: the n_c
/// images of class c, listed in file order, are shuffled by perm = seeded_permutation(n_c,
/// split_seed, c) (entry j of the shuffled list is entry perm[j] of the file-order list),
/// and the last k_c = llround(test_fraction * n_c) entries (double product, halves rounded
/// away from zero) are test images, the others train images. Both sets keep the file
/// order. test_fraction must lie in [0, 1]. With the defaults (0.2, seed 0) the real file
/// gives a fixed split of 1438 train and 359 test images.
[[nodiscard]] Dataset read_digits(const std::string& path = kDigitsDefaultPath,
                                  double test_fraction = 0.2, std::uint64_t split_seed = 0);

/// Fashion-MNIST from `directory`/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (gzip
/// IDX files; 60000 train and 10000 test images of 28x28, 10 classes), the official
/// split in file order. Pixels are divided by 255.
[[nodiscard]] Dataset read_fashion_mnist(
    const std::string& directory = kFashionMnistDefaultDirectory);

/// read_digits (default split) or read_fashion_mnist by name; an empty path means
/// default_dataset_path(name). An unknown name is an InvalidParameter listing the names.
[[nodiscard]] Dataset load_dataset(const std::string& name, const std::string& path_or_empty);

/// The file (digits) or directory (fashion_mnist) the Debian package installs.
[[nodiscard]] std::string default_dataset_path(const std::string& name);

// ---- Task construction: pure, deterministic, the same bits on every platform. ----

/// A shuffled 0..n-1, keyed by (seed, stream): Fisher-Yates from the back (for i = n-1
/// down to 1, swap element i with element j = bounded(i + 1)), where the draws come from
/// splitmix64 (state += 0x9E3779B97F4A7C15, output mix(state), mix its output function)
/// started at state mix(seed ^ mix(stream + 0x632BE59BD9B4E019)), and bounded(m) rejects draws
/// below 2^64 mod m and returns the draw mod m (unbiased). No standard-library distribution is
/// involved, since their output is implementation-defined. n must fit in 32 bits.
[[nodiscard]] std::vector<std::uint32_t> seeded_permutation(std::size_t n, std::uint64_t seed,
                                                            std::uint64_t stream);

/// The pixel order of task `task` in permuted-pixel experiments: task 0 the identity,
/// task t > 0 seeded_permutation(pixels, seed, t).
[[nodiscard]] std::vector<std::uint32_t> task_permutation(std::size_t pixels, std::uint64_t seed,
                                                          std::size_t task);

/// Class-incremental tasks: task t gets classes t*per_task .. t*per_task + per_task - 1.
/// per_task must be > 0 and divide `classes` (at most 256); otherwise InvalidParameter.
[[nodiscard]] std::vector<std::vector<std::uint8_t>> split_classes(std::size_t classes,
                                                                   std::size_t per_task);

/// Pixel i of every output image is pixel perm[i] of the input image. perm must be a
/// permutation of 0..pixels-1 (InvalidParameter otherwise). Labels are unchanged.
[[nodiscard]] ImageSet permute(const ImageSet& set, const std::vector<std::uint32_t>& perm);

/// The images whose label is one of `classes`, in their order in `set`, labels unchanged.
[[nodiscard]] ImageSet select_classes(const ImageSet& set,
                                      const std::vector<std::uint8_t>& classes);

/// The images at `indices` (each < set.count, else InvalidParameter), in that order.
[[nodiscard]] ImageSet subset(const ImageSet& set, const std::vector<std::size_t>& indices);

/// The first min(n, set.count) images, in their order in `set` (class order as in the file).
[[nodiscard]] ImageSet first(const ImageSet& set, std::size_t n);

}  // namespace spikeq::io
