// Values: constants, distributions and arrays, realised per element.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "spikeq/core/detail/realize.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/core/time.hpp"

using namespace spikeq;

TEST_CASE("per-element draws do not depend on how many elements are drawn") {
  const Value v = Normal{0.0, 1.0};
  const auto a = detail::realize_per_element(v, 10, 1, 2, "x");
  const auto b = detail::realize_per_element(v, 1000, 1, 2, "x");
  for (int k = 0; k < 10; ++k) CHECK(a[k] == b[k]);
  CHECK(detail::realize_per_element(v, 10, 2, 2, "x") != a);
}

TEST_CASE("ranges and descriptions") {
  CHECK(Value(3).range() == std::pair{3.0, 3.0});
  CHECK(Value(Uniform{1, 2}).range() == std::pair{1.0, 2.0});
  CHECK(Value(Normal{0, 1, -1, 4}).range() == std::pair{-1.0, 4.0});
  CHECK(std::isinf(Value(Normal{0, 1}).range().second));
  CHECK(Value(std::vector<double>{3, -1, 2}).range() == std::pair{-1.0, 3.0});
  CHECK(Value(Uniform{1, 2}).describe() == "uniform(1, 2)");
  CHECK(Value(Lognormal{0, 0.5}).describe() == "lognormal(mu 0, sigma 0.5)");
}

TEST_CASE("lognormal draws are positive with the right median") {
  const auto x = detail::realize_per_element(Lognormal{std::log(5.0), 0.3}, 20001, 7, 7, "x");
  int below = 0;
  for (double y : x) {
    CHECK(y > 0.0);
    below += y < 5.0;
  }
  CHECK(below / 20001.0 == doctest::Approx(0.5).epsilon(0.03));
}

TEST_CASE("invalid distributions are errors with the caller's prefix") {
  CHECK_THROWS_WITH_AS(detail::realize_per_element(Normal{0, -1}, 3, 1, 1, "population 'p': parameter 'x'"),
                       doctest::Contains("population 'p': parameter 'x': normal needs"), InvalidParameter);
  CHECK_THROWS_AS(detail::realize_per_element(std::numeric_limits<double>::quiet_NaN(), 3, 1, 1, "x"),
                  InvalidParameter);
}

TEST_CASE("durations convert to steps only when they are multiples of dt") {
  CHECK(duration_to_steps(1.0, 0.1, "t") == 10);
  CHECK(duration_to_steps(0.3, 0.1, "t") == 3);  // decimal round-off tolerated
  CHECK(duration_to_steps(1e6, 0.1, "t") == 10000000);
  CHECK_THROWS_AS(duration_to_steps(0.15, 0.1, "t"), InvalidParameter);
  CHECK_THROWS_AS(duration_to_steps(-1.0, 0.1, "t"), InvalidParameter);
}

TEST_CASE("a cycle gives element n values[(n / each) % size]") {
  const Cycle c{.values = {1.0, 2.0, 3.0}, .each = 2};
  CHECK(c.at(0) == 1.0);
  CHECK(c.at(1) == 1.0);
  CHECK(c.at(2) == 2.0);
  CHECK(c.at(5) == 3.0);
  CHECK(c.at(6) == 1.0);
  CHECK(c.at(6000000001ull) == 1.0);  // 64-bit element numbers: (n / 2) % 3 = 3000000000 % 3
  const Value v = c;
  CHECK(v.is_cycle());
  CHECK_FALSE(v.is_random());
  CHECK_FALSE(v.is_array());
  CHECK(v.cycle().each == 2);
  // No draws: the same numbers whatever the seed and stream.
  const auto a = detail::realize_per_element(v, 13, 1, 2, "x");
  CHECK(a == std::vector<double>{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 1});
  CHECK(detail::realize_per_element(v, 13, 99, 7, "x") == a);
  CHECK(detail::realize_per_element(Cycle{{4.0, 5.0}}, 5, 1, 2, "x") ==
        std::vector<double>{4, 5, 4, 5, 4});  // each defaults to 1
  CHECK(detail::realize_per_element(Cycle{{4.0, 5.0}, 10}, 3, 1, 2, "x") ==
        std::vector<double>{4, 4, 4});  // fewer elements than one period
}

TEST_CASE("a cycle's range and description") {
  CHECK(Value(Cycle{{3.0, -1.0, 2.0}}).range() == std::pair{-1.0, 3.0});
  CHECK(Value(Cycle{{7.5}, 4}).range() == std::pair{7.5, 7.5});
  CHECK(Value(Cycle{{1, 2, 3}, 5}).describe() == "cycle(1, 2, 3; 3 values, each 5)");
  CHECK(Value(Cycle{{1, 2, 3, 4}}).describe() == "cycle(1, 2, 3, 4; 4 values, each 1)");
  CHECK(Value(Cycle{{7.5}, 2}).describe() == "cycle(7.5; 1 value, each 2)");
  std::vector<double> ms(20);
  for (int k = 0; k < 20; ++k) ms[k] = k + 1;
  CHECK(Value(Cycle{ms, 5}).describe() == "cycle(1, 2, 3, ..., 20; 20 values, each 5)");
  CHECK(Value(Cycle{ms, 5}).range() == std::pair{1.0, 20.0});
}

TEST_CASE("invalid cycles are errors with the caller's prefix") {
  CHECK_THROWS_WITH_AS(detail::realize_per_element(Cycle{{}}, 3, 1, 1, "population 'p': parameter 'x'"),
                       doctest::Contains("population 'p': parameter 'x': a cycle needs at least one value"),
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(detail::realize_per_element(Cycle{{1.0}, 0}, 3, 1, 1, "x"),
                       doctest::Contains("x: a cycle needs each >= 1"), InvalidParameter);
  CHECK_THROWS_WITH_AS(
      detail::realize_per_element(Cycle{{1.0, std::numeric_limits<double>::infinity()}}, 3, 1, 1, "x"),
      doctest::Contains("cycle value 1 is not finite"), InvalidParameter);
}
