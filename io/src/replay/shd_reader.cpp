// Spiking Heidelberg Digits: /spikes/times and /spikes/units hold one variable-length
// array per sample (times in s), /labels one label per sample. Samples are read one at a
// time and laid end to end (replay.hpp).
#include <algorithm>

#include "../hdf5/attributes.hpp"
#include "../hdf5/datasets.hpp"
#include "../hdf5/errors.hpp"
#include "../hdf5/files.hpp"
#include "../hdf5/handle.hpp"
#include "raw_spikes.hpp"
#include "shd_file.hpp"

namespace spikeq::io::replay {
namespace {

using hdf5::Where;

/// One variable-length element of a 1-D dataset, as T.
template <typename T>
std::vector<T> read_vlen(hid_t dataset, hid_t base, hsize_t index, const Where& at) {
  const hdf5::Datatype type(hdf5::check_id(H5Tvlen_create(base), at, "cannot make a vlen type"));
  const hdf5::Dataspace file_space(hdf5::check_id(H5Dget_space(dataset), at, "cannot get dataspace"));
  const hsize_t one = 1;
  hdf5::check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &index, nullptr, &one, nullptr),
                     at, "cannot select a sample");
  const hdf5::Dataspace memory(hdf5::check_id(H5Screate_simple(1, &one, nullptr), at, "cannot create dataspace"));
  hvl_t v{0, nullptr};
  hdf5::check_status(H5Dread(dataset, type.get(), memory.get(), file_space.get(), H5P_DEFAULT, &v), at,
                     "cannot read a sample");
  const T* p = static_cast<const T*>(v.p);
  std::vector<T> out(p, p + v.len);
  H5Dvlen_reclaim(type.get(), memory.get(), H5P_DEFAULT, &v);
  return out;
}

}  // namespace

ShdFile::ShdFile(const ReplayOptions& o) : path(o.path), file(hdf5::open_file(o.path)) {
  times = hdf5::open_dataset(file.get(), "/spikes/times", Where{path, "/spikes/times"});
  units = hdf5::open_dataset(file.get(), "/spikes/units", Where{path, "/spikes/units"});
  for (const auto& [d, name] : {std::pair{times.get(), "/spikes/times"}, std::pair{units.get(), "/spikes/units"}}) {
    const hdf5::Datatype type(hdf5::check_id(H5Dget_type(d), Where{path, name}, "cannot get datatype"));
    if (H5Tget_class(type.get()) != H5T_VLEN) {
      hdf5::fail(Where{path, name}, "expected one variable-length array per sample, found " +
                                        hdf5::type_class_name(type.get()));
    }
    const hdf5::Datatype base(H5Tget_super(type.get()));
    const H5T_class_t want = std::string(name) == "/spikes/times" ? H5T_FLOAT : H5T_INTEGER;
    if (H5Tget_class(base.get()) != want) {
      hdf5::fail(Where{path, name}, std::string("expected arrays of ") +
                                        (want == H5T_FLOAT ? "floating-point" : "integer") +
                                        " values, found " + hdf5::type_class_name(base.get()));
    }
  }
  const auto nt = hdf5::dimensions(times.get(), Where{path, "/spikes/times"});
  const auto nu = hdf5::dimensions(units.get(), Where{path, "/spikes/units"});
  if (nt.size() != 1 || nu != nt) {
    hdf5::fail(Where{path, "/spikes"}, "times and units must be 1-D and hold the same samples");
  }
  samples = nt[0];
  order = o.samples;
  if (order.empty()) {
    for (std::uint64_t s = 0; s < samples; ++s) order.push_back(s);
  }
  for (std::uint64_t s : order) {
    if (s >= samples) {
      hdf5::fail(Where{path, "/spikes/times"}, "has " + std::to_string(samples) +
                                                   " samples; sample " + std::to_string(s) +
                                                   " does not exist");
    }
  }
}

ShdFile::Sample ShdFile::read(std::uint64_t s) const {
  const Where tat{path, "/spikes/times"};
  const Where uat{path, "/spikes/units"};
  Sample out;
  out.t = read_vlen<double>(times.get(), H5T_NATIVE_DOUBLE, s, tat);
  const auto u = read_vlen<std::int64_t>(units.get(), H5T_NATIVE_INT64, s, uat);
  if (u.size() != out.t.size()) {
    hdf5::fail(uat, "sample " + std::to_string(s) + " has " + std::to_string(u.size()) +
                        " units for " + std::to_string(out.t.size()) + " times");
  }
  out.unit.resize(u.size());
  double previous = 0.0;
  for (std::size_t k = 0; k < u.size(); ++k) {
    out.t[k] *= 1000.0;  // s -> ms
    check_order(previous, out.t[k], path + ": /spikes/times",
                "sample " + std::to_string(s) + ", spike " + std::to_string(k));
    previous = out.t[k];
    if (u[k] < 0) hdf5::fail(uat, "negative unit in sample " + std::to_string(s));
    out.unit[k] = static_cast<std::uint64_t>(u[k]);
  }
  return out;
}

std::vector<std::int64_t> ShdFile::labels() const {
  const Where at{path, "/labels"};
  const hdf5::Dataset d = hdf5::open_dataset(file.get(), "/labels", at);
  auto values = hdf5::read_integers(d.get(), at);
  if (values.size() != samples) {
    hdf5::fail(at, "has " + std::to_string(values.size()) + " labels for " +
                       std::to_string(samples) + " samples");
  }
  return values;
}

double ShdFile::length(const Sample& s, const ReplayOptions& o) {
  if (o.sample_length) return *o.sample_length;
  return s.t.empty() ? 0.0 : s.t.back();
}

namespace {

class ShdSpikes final : public RawSpikes {
 public:
  explicit ShdSpikes(const ReplayOptions& o) : options_(o), file_(o) {}

  bool next(std::vector<double>& t, std::vector<std::uint64_t>& unit) override {
    if (next_sample_ >= file_.order.size()) return false;
    const hdf5::QuietErrors quiet;
    const std::uint64_t s = file_.order[next_sample_++];
    ShdFile::Sample sample = file_.read(s);
    const double length = ShdFile::length(sample, options_);
    for (double& x : sample.t) x += start_;
    start_ += length + options_.gap;
    t = std::move(sample.t);
    unit = std::move(sample.unit);
    return true;
  }
  [[nodiscard]] std::uint64_t buffered() const override { return 0; }
  [[nodiscard]] std::string where() const override { return file_.path + ": /spikes/units"; }

 private:
  ReplayOptions options_;
  ShdFile file_;
  std::size_t next_sample_ = 0;
  double start_ = 0.0;  // ms: where the next sample begins
};

}  // namespace

std::unique_ptr<RawSpikes> open_shd(const ReplayOptions& options) {
  const hdf5::QuietErrors quiet;
  return std::make_unique<ShdSpikes>(options);
}

}  // namespace spikeq::io::replay
