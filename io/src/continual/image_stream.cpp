// The input population's spikes, one image at a time. Every spike is a pure function of
// (seed, presentation key, pixel, step within the presentation), on spikeq::math, so a
// sample gives the same spikes on every backend and machine, however the engine cuts its
// windows.
#include <algorithm>
#include <cmath>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::io {

struct ImageStream::Shared {
  ImageCoding coding;
  std::uint32_t pixels = 0;
  double dt = 0;
  std::uint64_t seed = 0;
  Step present = 0, rest = 0;
  std::vector<ReplayEvent> events;  // of the image shown, by (stamp, neuron)
  std::size_t next = 0;             // first event the engine has not read
};

namespace {

constexpr std::uint32_t kImageStream = detail::stream_id("image_stream");

/// Poisson spikes of one pixel: the gaps between spikes are geometric with success
/// probability p per step, drawn by inversion, so the cost follows the spikes.
void rate_spikes(const detail::CounterRng& rng, double p, Step start, Step present,
                 std::uint32_t pixel, std::vector<ReplayEvent>& out) {
  if (p <= 0) return;
  if (p >= 1) {
    for (Step k = 1; k <= present; ++k) out.push_back({start + k, pixel});
    return;
  }
  const double log_q = math::log(1.0 - p);
  Step k = 0;
  for (std::uint64_t draw = 0;; ++draw) {
    const auto b = rng.block(draw);
    const double u = detail::to_unit_open(b[0], b[1]);
    k += 1 + static_cast<Step>(std::floor(math::log(u) / log_q));
    if (k > present) return;
    out.push_back({start + k, pixel});
  }
}

class StreamCursor final : public ReplayCursor {
 public:
  explicit StreamCursor(std::shared_ptr<ImageStream::Shared> s) : s_(std::move(s)) {}
  void read(Step end, std::vector<ReplayEvent>& out) override {
    auto& e = s_->events;
    for (; s_->next < e.size() && e[s_->next].stamp < end; ++s_->next) out.push_back(e[s_->next]);
  }
  [[nodiscard]] std::uint64_t buffered() const override { return s_->events.size() - s_->next; }

 private:
  std::shared_ptr<ImageStream::Shared> s_;
};

}  // namespace

ImageStream::ImageStream(ImageCoding coding, std::uint32_t pixels, double dt, std::uint64_t seed)
    : shared_(std::make_shared<Shared>()) {
  if (!(coding.max_rate >= 0) || !std::isfinite(coding.max_rate)) {
    throw InvalidParameter("image coding: max_rate must be a finite rate >= 0, got " +
                           std::to_string(coding.max_rate));
  }
  shared_->coding = coding;
  shared_->pixels = pixels;
  shared_->dt = dt;
  shared_->seed = seed;
  shared_->present = duration_to_steps(coding.present, dt, "image coding: present");
  shared_->rest = duration_to_steps(coding.rest, dt, "image coding: rest");
  if (shared_->present < 1) throw InvalidParameter("image coding: present must be at least one step");
}

void ImageStream::show(const float* image, Step start, std::uint64_t key) {
  Shared& s = *shared_;
  s.events.clear();
  s.next = 0;
  for (std::uint32_t p = 0; p < s.pixels; ++p) {
    const double v = image[p];
    if (s.coding.kind == ImageCoding::Kind::rate) {
      const detail::CounterRng rng(s.seed ^ (key * 0x9e3779b97f4a7c15ull), kImageStream, p);
      rate_spikes(rng, v * s.coding.max_rate * s.dt * 1e-3, start, s.present, p, s.events);
    } else if (v > s.coding.threshold) {
      // Brighter pixels fire earlier: intensity 1 in the first step, towards 0 in the last.
      const auto k = static_cast<Step>(std::floor((1.0 - std::min(v, 1.0)) * static_cast<double>(s.present - 1)));
      s.events.push_back({start + 1 + k, p});
    }
  }
  std::sort(s.events.begin(), s.events.end(), [](const ReplayEvent& a, const ReplayEvent& b) {
    return a.stamp != b.stamp ? a.stamp < b.stamp : a.neuron < b.neuron;
  });
}

std::unique_ptr<ReplayCursor> ImageStream::open(double dt, std::uint32_t neurons) const {
  if (neurons != shared_->pixels) {
    throw InvalidParameter("image stream of " + std::to_string(shared_->pixels) +
                           " pixels replayed into a population of " + std::to_string(neurons) +
                           " neurons");
  }
  if (dt != shared_->dt) throw InvalidParameter("image stream made for another dt");
  return std::make_unique<StreamCursor>(shared_);
}

std::string ImageStream::describe() const {
  const ImageCoding& c = shared_->coding;
  std::string out = c.kind == ImageCoding::Kind::rate ? "images, rate coded (" : "images, latency coded (";
  out += std::to_string(shared_->pixels);
  out += " pixels)";
  return out;
}

const ImageCoding& ImageStream::coding() const { return shared_->coding; }
Step ImageStream::present_steps() const { return shared_->present; }
Step ImageStream::sample_steps() const { return shared_->present + shared_->rest; }

}  // namespace spikeq::io
