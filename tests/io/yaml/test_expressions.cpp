// Expressions and quantities of model files.
#include <doctest/doctest.h>

#include <cmath>

#include "yaml/expression.hpp"
#include "yaml/suggest.hpp"
#include "yaml/units.hpp"

using namespace spikeq::io::yaml;

namespace {
double eval(const std::string& text, std::vector<std::string> names = {},
            std::vector<double> values = {}) {
  return Expression::compile(text, names).evaluate(values.data());
}
}  // namespace

TEST_CASE("arithmetic follows the usual precedence") {
  CHECK(eval("1 + 2 * 3") == 7.0);
  CHECK(eval("(1 + 2) * 3") == 9.0);
  CHECK(eval("-2^2") == -4.0);
  CHECK(eval("2^3^2") == 512.0);
  CHECK(eval("2^-1") == 0.5);
  CHECK(eval("10 / 4 - 1") == 1.5);
  CHECK(eval("max(1, min(5, 3)) + abs(-2) + sqrt(16)") == 9.0);
  CHECK(eval("exp(0) + log(1) + floor(2.7) + ceil(0.2)") == 4.0);
  CHECK(eval("1e3 * 2.5e-3") == doctest::Approx(2.5));
}

TEST_CASE("r^2 is exactly r * r, so model files match C++ code bit for bit") {
  for (double r : {0.1, 0.3333333333333333, 0.7071, 0.999999}) {
    CHECK(eval("-65 + 15 * r^2", {"r"}, {r}) == -65.0 + 15.0 * (r * r));
    CHECK(eval("8 - 6 * r^2", {"r"}, {r}) == 8.0 - 6.0 * (r * r));
  }
}

TEST_CASE("names are slots, and unknown names are errors with a suggestion and a column") {
  const Expression e = Expression::compile("eta * nu_thr", {"eta", "nu_thr", "g"});
  const double v[] = {2.0, 10.0, 5.0};
  CHECK(e.evaluate(v) == 20.0);
  CHECK(e.uses(0));
  CHECK_FALSE(e.uses(2));
  try {
    (void)Expression::compile("eta * nu_tht", {"eta", "nu_thr"});
    FAIL("no error");
  } catch (const ExpressionError& err) {
    CHECK(err.column == 7);
    CHECK(err.message.find("unknown name 'nu_tht'; did you mean 'nu_thr'?") != std::string::npos);
  }
  CHECK_THROWS_AS((void)Expression::compile("1 +", {}), ExpressionError);
  CHECK_THROWS_AS((void)Expression::compile("(1 + 2", {}), ExpressionError);
  CHECK_THROWS_AS((void)Expression::compile("sqr(2)", {}), ExpressionError);
  CHECK_THROWS_AS((void)Expression::compile("2 $ 3", {}), ExpressionError);
}

TEST_CASE("quantities convert to internal units and know their dimension") {
  CHECK(parse_quantity("20 ms")->value == 20.0);
  CHECK(parse_quantity("1.5 s")->value == 1500.0);
  CHECK(parse_quantity("1.5s")->value == 1500.0);
  CHECK(parse_quantity("-65 mV")->dimension == Dimension::voltage);
  CHECK(parse_quantity("0.6 nS")->value == doctest::Approx(0.6));
  CHECK(parse_quantity("2 nA")->value == 2000.0);
  CHECK(parse_quantity("8 kHz")->value == 8000.0);
  CHECK(parse_quantity("250 pF")->dimension == Dimension::capacitance);
  CHECK(parse_quantity("42")->dimension == Dimension::none);
  CHECK_FALSE(parse_quantity("20 parsecs"));
  CHECK_FALSE(parse_quantity("fast"));
  CHECK_FALSE(parse_quantity("g * J"));
}

TEST_CASE("suggestions catch typos, not unrelated words") {
  const std::vector<std::string> keys{"tau_m", "tau_syn_ex", "V_th", "C_m"};
  CHECK(closest("tau_mm", keys) == "tau_m");
  CHECK(closest("v_th", keys) == "V_th");
  CHECK(closest("tau_syn_e", keys) == "tau_syn_ex");
  CHECK(closest("banana", keys).empty());
}
