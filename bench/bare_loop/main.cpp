// bare_loop: events per second of the ideal spike-delivery loop on one core of this
// machine, the ceiling for spikeq's events_per_s per thread. A random network like Brunel
// (2000) by default: 12 500 neurons, 1 250 synapses per row, 15.6 M synapses (125 MB, far
// beyond cache). The packed variants store the same synapses as a target-tiled CSR of
// (16-bit delay, 16-bit local target) words: with one delay of 15 steps (Brunel's 1.5 ms),
// and with delays uniform in 10-200 steps (1-20 ms at dt = 0.1 ms, the heterogeneous
// Brunel network; a ring of 201 rows).
//   bare_loop [--neurons N] [--row K] [--events E] [--repeat R] [--seed S]
// Prints `key value` lines; <variant>_events_per_s is the median over the repeats.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kernels.hpp"
#include "synthetic_csr.hpp"

namespace bare_loop {
namespace {

struct Options {
  std::uint32_t neurons = 12500;
  std::uint32_t row = 1250;
  std::uint64_t events = 200'000'000;  // per repeat: long enough to dwarf timer noise
  int repeat = 5;
  std::uint64_t seed = 12345;
};

std::uint64_t parse_u64(std::string_view flag, std::string_view text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end || v == 0) {
    throw std::invalid_argument(std::string(flag) + " needs a positive integer");
  }
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int k = 1; k < argc; ++k) {
    const std::string_view flag = argv[k];
    if (k + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
    const std::uint64_t v = parse_u64(flag, argv[++k]);
    if (flag == "--neurons") o.neurons = static_cast<std::uint32_t>(v);
    else if (flag == "--row") o.row = static_cast<std::uint32_t>(v);
    else if (flag == "--events") o.events = v;
    else if (flag == "--repeat") o.repeat = static_cast<int>(v);
    else if (flag == "--seed") o.seed = v;
    else throw std::invalid_argument("unknown option " + std::string(flag));
  }
  return o;
}

/// Spiking sources in random order, as in an asynchronous irregular network; cycled.
std::vector<std::uint32_t> spike_sequence(std::uint32_t neurons, std::uint64_t seed) {
  std::vector<std::uint32_t> s(1u << 16);
  std::mt19937_64 gen(seed ^ 0x5eedu);
  std::uniform_int_distribution<std::uint32_t> pick(0, neurons - 1);
  for (auto& x : s) x = pick(gen);
  return s;
}

struct Timing {
  double events_per_s;
  double checksum;  // printed, so the compiler must keep every store
};

/// Delivers spikes into `ring` until `events` synapses were visited, `repeat` times; the
/// median. deliver(source) delivers one spike and returns the synapses it visited.
template <typename Ring, typename Deliver>
Timing time_variant(std::vector<Ring>& ring, const std::vector<std::uint32_t>& spikes,
                    const Options& o, Deliver deliver) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> rates;
  double checksum = 0;
  for (int r = 0; r < o.repeat; ++r) {
    std::fill(ring.begin(), ring.end(), Ring{0});
    std::uint64_t done = 0;
    std::size_t next = 0;
    const auto t0 = Clock::now();
    while (done < o.events) {
      const std::uint32_t s = spikes[next];
      next = next + 1 == spikes.size() ? 0 : next + 1;
      done += deliver(s);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    rates.push_back(static_cast<double>(done) / seconds);
    for (const Ring x : ring) checksum += static_cast<double>(x);
  }
  std::sort(rates.begin(), rates.end());
  return {rates[rates.size() / 2], checksum};
}

/// The plain-CSR variants: one ring row, every synapse of the row into it.
template <typename Ring, typename Kernel>
Timing time_csr(const SyntheticCsr& c, const std::vector<std::uint32_t>& spikes,
                const Options& o, Kernel kernel) {
  std::vector<Ring> ring(c.neurons);
  return time_variant(ring, spikes, o, [&](std::uint32_t s) {
    const std::uint64_t begin = c.row_ptr[s];
    const std::uint64_t end = c.row_ptr[s + 1];
    kernel(ring.data(), begin, end);
    return end - begin;
  });
}

/// The packed variant: a ring of max_delay + 1 rows; rows[d] is where delay d lands.
/// The ring does not rotate (slot 0 throughout): rotating costs once per step, not per
/// synapse, and the rows touched are the same.
Timing time_packed(const PackedCsr& p, const std::vector<std::uint32_t>& spikes,
                   const Options& o) {
  const std::uint64_t stride = p.neurons;
  std::vector<std::int64_t> ring((std::uint64_t{p.max_delay} + 1) * stride);
  std::vector<std::int64_t*> rows(p.max_delay + 1);
  for (std::uint64_t d = 0; d < rows.size(); ++d) rows[d] = ring.data() + d * stride;
  return time_variant(ring, spikes, o, [&](std::uint32_t s) {
    const std::uint64_t* tile = p.tile_ptr.data() + std::uint64_t{s} * p.tiles;
    for (std::uint32_t t = 0; t < p.tiles; ++t) {
      deliver_packed(rows.data(), t * kTile, p.entries.data(), p.weights.data(), tile[t],
                     tile[t + 1]);
    }
    return tile[p.tiles] - tile[0];
  });
}

void report(const char* variant, const Timing& t, double bytes_per_event) {
  std::printf("%s_events_per_s %.4g\n", variant, t.events_per_s);
  std::printf("%s_stream_gb_per_s %.3f\n", variant, t.events_per_s * bytes_per_event * 1e-9);
  std::printf("%s_checksum %.6g\n", variant, t.checksum);
}

}  // namespace
}  // namespace bare_loop

int main(int argc, char** argv) {
  using namespace bare_loop;
  try {
    const Options o = parse(argc, argv);
    const SyntheticCsr c = make_synthetic_csr(o.neurons, o.row, o.seed);
    const std::vector<std::uint32_t> spikes = spike_sequence(o.neurons, o.seed);
    const std::uint32_t* t = c.targets.data();
    const float* w = c.weights.data();
    const std::int64_t w0 = to_fixed(0.1f);

    std::printf("neurons %u\nrow_length %u\nsynapses %llu\ncsr_bytes %llu\n", c.neurons, o.row,
                static_cast<unsigned long long>(c.synapses()),
                static_cast<unsigned long long>(c.bytes()));
    std::printf("events_per_repeat %llu\nrepeat %d\n",
                static_cast<unsigned long long>(o.events), o.repeat);
    // Bytes streamed from the CSR per event: target + weight, or the target alone.
    report("fixed64", time_csr<std::int64_t>(c, spikes, o, [&](auto* r, auto b, auto e) {
             deliver_fixed(r, t, w, b, e);
           }), 8.0);
    report("fixed64_homogeneous",
           time_csr<std::int64_t>(c, spikes, o, [&](auto* r, auto b, auto e) {
             deliver_fixed_homogeneous(r, t, w0, b, e);
           }), 4.0);
    report("float", time_csr<float>(c, spikes, o, [&](auto* r, auto b, auto e) {
             deliver_float(r, t, w, b, e);
           }), 8.0);
    // Packed word + weight per event. One layout at a time: each is another 125 MB.
    constexpr std::uint32_t kDelay = 15, kDelayLo = 10, kDelayHi = 200;  // steps
    std::printf("packed_delay_steps %u\npacked_hetero_delay_steps %u-%u\n", kDelay, kDelayLo,
                kDelayHi);
    report("packed", time_packed(make_packed_csr(c, kDelay, kDelay, o.seed), spikes, o), 8.0);
    report("packed_hetero",
           time_packed(make_packed_csr(c, kDelayLo, kDelayHi, o.seed), spikes, o), 8.0);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bare_loop: %s\n", e.what());
    return 1;
  }
}
