// The forms of the shared bodies that a device backend uses, run on the host: each gives
// the host kernels' result bit for bit (docs/architecture.md, "Device-ready code").
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "spikeq/backends/batch_draws.hpp"
#include "spikeq/backends/spike_emission.hpp"
#include "spikeq/core/detail/fixed_point.hpp"
#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/math.hpp"
#include "spikeq/synapses/detail/deliver.hpp"

using namespace spikeq;
using namespace spikeq::detail;

TEST_CASE("math: bit_cast and the limits are the standard library's") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (const double x : {0.0, -0.0, 1.0, -2.5, 0x1p-1074, 1e308, inf}) {
    CHECK(math::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(x));
  }
  CHECK(math::bit_cast<std::uint64_t>(math::log(-1.0)) ==
        std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN()));
  CHECK(math::log(0.0) == -inf);
  CHECK(math::log(inf) == inf);
  CHECK(math::exp(710.0) == inf);
}

TEST_CASE("poisson_invert gives DrawStream's and batch_poisson's counts") {
  const std::uint64_t seed = 12345;
  const std::uint32_t stream = stream_id("input:test");
  constexpr std::uint32_t n = 4096;
  std::vector<std::uint32_t> ids(n);
  for (std::uint32_t j = 0; j < n; ++j) ids[j] = j * 7 + 3;
  for (const double lambda : {1e-3, 0.5, 2.0, 10.0, 39.9}) {
    for (const std::uint32_t max_size : {2u, PoissonTable::kMax}) {
      const double eml = std::exp(-lambda);
      const PoissonTable t = make_poisson_table(lambda, eml, max_size);
      const std::uint64_t index = step_index(77);
      std::vector<double> u(n);
      std::vector<std::uint32_t> batch(n);
      batch_uniforms(seed, stream, index, ids.data(), n, u.data());
      batch_poisson(t, u.data(), n, batch.data());
      std::uint32_t mismatches = 0;
      for (std::uint32_t j = 0; j < n; ++j) {
        DrawStream draws(CounterRng(seed, stream, ids[j]), index);
        const std::uint32_t scalar = draws.poisson(lambda, eml);
        const std::uint32_t inverted = poisson_invert(t.cdf.data(), t.size, u[j], lambda, t.p_last);
        mismatches += (inverted != scalar) + (inverted != batch[j]);
      }
      INFO("lambda = " << lambda << ", table of " << t.size);
      CHECK(mismatches == 0);
    }
  }
}

namespace {

/// Synapses of 40 sources into 3 tiles of 16 neurons, delays 1..5, random weights.
struct TestSynapses {
  static constexpr std::uint32_t kSources = 40, kTiles = 3, kTile = 16;
  std::vector<std::uint64_t> row_ptr{0};
  std::vector<std::uint32_t> piece_end;
  std::vector<SynapseEntry> entries;
  std::vector<float> weights;

  explicit TestSynapses(std::mt19937& rng) {
    std::uniform_int_distribution<std::uint32_t> count(0, 6), offset(0, kTile - 1), delay(1, 5);
    std::uniform_real_distribution<float> weight(-3.0f, 3.0f);
    for (std::uint32_t s = 0; s < kSources; ++s) {
      std::uint32_t in_row = 0;
      for (std::uint32_t t = 0; t < kTiles; ++t) {
        const std::uint32_t c = count(rng);
        for (std::uint32_t k = 0; k < c; ++k) {
          entries.push_back(pack_entry(static_cast<DelaySteps>(delay(rng)), offset(rng)));
          weights.push_back(weight(rng));
        }
        in_row += c;
        piece_end.push_back(in_row);
      }
      row_ptr.push_back(row_ptr.back() + in_row);
    }
  }

  [[nodiscard]] TileSynapses tile(std::uint32_t t, bool homogeneous, bool uniform) const {
    return TileSynapses{row_ptr.data(), piece_end.data(), t, kTiles, entries.data(),
                        homogeneous ? nullptr : weights.data(), to_fixed(0.75f),
                        DelaySteps{3}, uniform};
  }
};

template <bool H, bool U, typename Accumulate>
std::vector<Accum> deliver_all(const TestSynapses& syn, const std::vector<std::uint32_t>& sources,
                               const std::vector<std::uint32_t>& slots_of_spikes) {
  constexpr std::uint32_t slots = 7;
  constexpr std::uint64_t width = TestSynapses::kTiles * TestSynapses::kTile;
  std::vector<Accum> ring(slots * width, 0);
  for (std::uint32_t t = 0; t < TestSynapses::kTiles; ++t) {
    const TileSynapses c = syn.tile(t, H, U);
    for (std::size_t k = 0; k < sources.size(); ++k) {
      deliver_spike<H, U, Accumulate>(c, sources[k], slots_of_spikes[k], slots,
                                      ring.data() + t * TestSynapses::kTile, width);
    }
  }
  return ring;
}

template <bool H, bool U>
void check_policies(const TestSynapses& syn, std::mt19937& rng) {
  std::vector<std::uint32_t> sources, slots;
  std::uniform_int_distribution<std::uint32_t> source(0, TestSynapses::kSources - 1), slot(0, 6);
  for (int k = 0; k < 200; ++k) {
    sources.push_back(source(rng));
    slots.push_back(slot(rng));
  }
  const auto plain = deliver_all<H, U, PlainAccumulate>(syn, sources, slots);
  CHECK(deliver_all<H, U, AtomicAccumulate>(syn, sources, slots) == plain);
  // Any order of the adds gives the same sums: what lets device threads race.
  std::reverse(sources.begin(), sources.end());
  std::reverse(slots.begin(), slots.end());
  CHECK(deliver_all<H, U, AtomicAccumulate>(syn, sources, slots) == plain);
  CHECK(std::any_of(plain.begin(), plain.end(), [](Accum a) { return a != 0; }));
}

}  // namespace

TEST_CASE("deliver_spike: the atomic policy gives the plain policy's rings, in any order") {
  std::mt19937 rng(7);
  const TestSynapses syn(rng);
  check_policies<false, false>(syn, rng);
  check_policies<false, true>(syn, rng);
  check_policies<true, false>(syn, rng);
  check_policies<true, true>(syn, rng);
}

TEST_CASE("spike emission: tiles compacted at their scanned counts give the canonical list") {
  std::mt19937 rng(11);
  for (const std::uint32_t n : {1u, 7u, 8u, 100u, 1000u, 4099u}) {
    for (const double p : {0.0, 0.01, 0.3, 1.0}) {
      std::bernoulli_distribution fire(p);
      std::vector<std::uint8_t> fired(n);
      for (auto& f : fired) f = fire(rng) ? 1 : 0;
      std::vector<std::uint32_t> expected;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (fired[i]) expected.push_back(i);
      }
      for (const std::uint32_t tile : {8u, 13u, 504u}) {
        const std::uint32_t tiles = (n + tile - 1) / tile;
        std::vector<std::uint32_t> offsets(tiles + 1, 0);
        for (std::uint32_t t = 0; t < tiles; ++t) {
          offsets[t + 1] = offsets[t] + count_fired(fired.data(), t * tile,
                                                    std::min(n, (t + 1) * tile));
        }
        std::vector<Step> steps(offsets[tiles], -1);
        std::vector<std::uint32_t> ids(offsets[tiles], 0);
        for (std::uint32_t t = tiles; t-- > 0;) {  // any order of the tiles
          const std::uint32_t written =
              write_fired(fired.data(), t * tile, std::min(n, (t + 1) * tile), 42,
                          steps.data() + offsets[t], ids.data() + offsets[t]);
          CHECK(written == offsets[t + 1] - offsets[t]);
        }
        INFO("n = " << n << ", p = " << p << ", tile = " << tile);
        CHECK(ids == expected);
        CHECK(std::all_of(steps.begin(), steps.end(), [](Step s) { return s == 42; }));
      }
    }
  }
}

TEST_CASE("mark_replayed sets exactly the flags of the window's stamp, per range") {
  // Stamps 10..13: {2, 5, 9}, {}, {0, 1, 2, 3, 15}, {7}.
  const std::vector<std::uint64_t> offsets{0, 3, 3, 8, 9};
  const std::vector<std::uint32_t> neurons{2, 5, 9, 0, 1, 2, 3, 15, 7};
  const Step first = 10;
  for (Step u = 5; u < 16; ++u) {
    std::vector<std::uint8_t> whole(16, 9), ranges(16, 9);
    mark_replayed(offsets.data(), offsets.size(), neurons.data(), first, u, whole.data(), 0, 16);
    for (std::uint32_t i0 = 0; i0 < 16; i0 += 5) {
      mark_replayed(offsets.data(), offsets.size(), neurons.data(), first, u, ranges.data(), i0,
                    std::min(16u, i0 + 5));
    }
    std::vector<std::uint8_t> expected(16, 0);
    const Step k = u + 1 - first;
    if (k >= 0 && k + 1 < static_cast<Step>(offsets.size())) {
      for (std::uint64_t e = offsets[k]; e < offsets[k + 1]; ++e) expected[neurons[e]] = 1;
    }
    INFO("u = " << u);
    CHECK(whole == expected);
    CHECK(ranges == expected);
  }
}
