#include <doctest/doctest.h>

#include <vector>

#include "spikeq/io/plot.hpp"

using spikeq::io::nice_tick_step;
using spikeq::io::nice_ticks;

TEST_CASE("nice tick steps are 1, 2 or 5 times a power of ten") {
  CHECK(nice_tick_step(1000.0, 5) == doctest::Approx(200.0));
  CHECK(nice_tick_step(1000.0, 7) == doctest::Approx(200.0));
  CHECK(nice_tick_step(1000.0, 10) == doctest::Approx(100.0));
  CHECK(nice_tick_step(50.0, 5) == doctest::Approx(10.0));
  CHECK(nice_tick_step(37.0, 4) == doctest::Approx(10.0));
  CHECK(nice_tick_step(1.0, 4) == doctest::Approx(0.5));
  CHECK(nice_tick_step(0.9, 5) == doctest::Approx(0.2));
  CHECK(nice_tick_step(2.5e6, 5) == doctest::Approx(5e5));
  CHECK(nice_tick_step(3.0e-3, 3) == doctest::Approx(1e-3));
}

TEST_CASE("nice tick steps of degenerate spans are 1") {
  CHECK(nice_tick_step(0.0, 5) == 1.0);
  CHECK(nice_tick_step(-3.0, 5) == 1.0);
  CHECK(nice_tick_step(10.0, 0) == doctest::Approx(10.0));
}

TEST_CASE("nice ticks are the step multiples within the range") {
  const std::vector<double> ms = nice_ticks(0.0, 1000.0, 5);
  REQUIRE(ms.size() == 6);
  for (std::size_t i = 0; i < ms.size(); ++i) CHECK(ms[i] == doctest::Approx(200.0 * i));

  const std::vector<double> hz = nice_ticks(3.0, 17.0, 5);
  REQUIRE(hz.size() == 3);
  CHECK(hz[0] == doctest::Approx(5.0));
  CHECK(hz[2] == doctest::Approx(15.0));

  // Multiples, not accumulated sums: 0.1 steps end exactly on 1.
  const std::vector<double> tenths = nice_ticks(0.0, 1.0, 10);
  REQUIRE(tenths.size() == 11);
  CHECK(tenths.back() == doctest::Approx(1.0));

  CHECK(nice_ticks(5.0, 1.0, 5).empty());
}
