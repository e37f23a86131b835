#include "expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <charconv>
#include <cstdlib>

#include "suggest.hpp"

namespace spikeq::io::yaml {
namespace {

constexpr std::array<std::string_view, 9> kFunctions1{"exp", "log", "sqrt", "abs", "sin",
                                                      "cos", "floor", "ceil", "round"};
constexpr std::array<std::string_view, 3> kFunctions2{"min", "max", "pow"};

double apply1(std::size_t f, double x) {
  switch (f) {
    case 0: return std::exp(x);
    case 1: return std::log(x);
    case 2: return std::sqrt(x);
    case 3: return std::fabs(x);
    case 4: return std::sin(x);
    case 5: return std::cos(x);
    case 6: return std::floor(x);
    case 7: return std::ceil(x);
    default: return std::round(x);  // halves away from zero
  }
}

double apply2(std::size_t f, double x, double y) {
  switch (f) {
    case 0: return std::min(x, y);
    case 1: return std::max(x, y);
    default: return std::pow(x, y);
  }
}

/// x^n by repeated multiplication, left to right: x^2 is exactly x * x.
double int_power(double x, long n) {
  const bool invert = n < 0;
  double r = 1.0;
  for (long k = 0; k < std::labs(n); ++k) r = k == 0 ? x : r * x;
  return invert ? 1.0 / r : r;
}

/// Recursive-descent parser emitting reverse Polish code.
class Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& names)
      : text_(text), names_(names) {}

  std::vector<Expression::Op> run() {
    if (text_.size() > kMaxExpressionLength) {
      fail("the expression has " + std::to_string(text_.size()) + " characters; at most " +
           std::to_string(kMaxExpressionLength) + " are read");
    }
    skip_space();
    if (pos_ == text_.size()) fail("the expression is empty");
    expr();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return std::move(code_);
  }

 private:
  using Code = Expression::Op::Code;

  [[noreturn]] void fail(const std::string& message) const {
    throw ExpressionError{pos_ + 1, message};
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }

  void expr() {
    term();
    for (;;) {
      if (accept('+')) { term(); emit(Code::add); }
      else if (accept('-')) { term(); emit(Code::sub); }
      else return;
    }
  }
  void term() {
    unary();
    for (;;) {
      if (accept('*')) { unary(); emit(Code::mul); }
      else if (accept('/')) { unary(); emit(Code::div); }
      else return;
    }
  }
  // Unary minus binds looser than ^, as in mathematics: -2^2 = -4, 2^-1 = 0.5. Every
  // recursion of the grammar passes through here, so the depth is bounded here.
  void unary() {
    if (++depth_ > kMaxExpressionDepth) {
      fail("the expression nests deeper than " + std::to_string(kMaxExpressionDepth) +
           " levels (parentheses, signs and powers)");
    }
    if (accept('-')) { unary(); emit(Code::neg); }
    else if (accept('+')) { unary(); }
    else { power(); }
    --depth_;
  }
  void power() {
    primary();
    if (accept('^')) {
      const std::size_t before = code_.size();
      unary();  // right-associative: 2^3^2 = 2^9
      const bool constant_exponent =
          code_.size() == before + 1 && code_.back().code == Code::constant;
      const double e = constant_exponent ? code_.back().value : 0.0;
      if (constant_exponent && e == std::nearbyint(e) && std::fabs(e) <= 64) {
        code_.back() = Expression::Op{Code::ipow, e, 0};
      } else {
        emit(Code::pow);
      }
    }
  }
  void primary() {
    skip_space();
    if (accept('(')) {
      expr();
      expect(')');
      return;
    }
    if (pos_ >= text_.size()) fail("expected a number, a name or '('");
    const char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      // In place, without copying the rest of the text: parsing stays linear.
      double v = 0.0;
      const char* first = text_.data() + pos_;
      const auto [end, error] = std::from_chars(first, text_.data() + text_.size(), v);
      if (end == first) fail("malformed number");
      if (error == std::errc::result_out_of_range) {
        fail("the number '" + std::string(first, end) + "' is out of range");
      }
      pos_ += static_cast<std::size_t>(end - first);
      code_.push_back({Code::constant, v, 0});
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                     text_[pos_] == '_')) {
        ++pos_;
      }
      const std::string name(text_.substr(start, pos_ - start));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == '(') {
        call(name, start);
        return;
      }
      const auto it = std::find(names_.begin(), names_.end(), name);
      if (it == names_.end()) {
        pos_ = start;
        fail("unknown name '" + name + "'" + did_you_mean(name, names_) +
             (names_.empty() ? std::string(" (no names are defined here)")
                             : " (names defined here: " + quoted_list(names_) + ")"));
      }
      code_.push_back({Code::slot, 0.0, static_cast<std::size_t>(it - names_.begin())});
      return;
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }
  void call(const std::string& name, std::size_t start) {
    expect('(');
    for (std::size_t f = 0; f < kFunctions1.size(); ++f) {
      if (kFunctions1[f] == name) {
        expr();
        expect(')');
        code_.push_back({Code::fn1, 0.0, f});
        return;
      }
    }
    for (std::size_t f = 0; f < kFunctions2.size(); ++f) {
      if (kFunctions2[f] == name) {
        expr();
        expect(',');
        expr();
        expect(')');
        code_.push_back({Code::fn2, 0.0, f});
        return;
      }
    }
    pos_ = start;
    std::vector<std::string> all(kFunctions1.begin(), kFunctions1.end());
    all.insert(all.end(), kFunctions2.begin(), kFunctions2.end());
    fail("unknown function '" + name + "'" + did_you_mean(name, all));
  }
  void emit(Code c) { code_.push_back({c, 0.0, 0}); }

  std::string_view text_;
  const std::vector<std::string>& names_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::vector<Expression::Op> code_;
};

}  // namespace

Expression Expression::compile(std::string_view text, const std::vector<std::string>& names) {
  Expression e;
  e.code_ = Parser(text, names).run();
  return e;
}

double Expression::evaluate(const double* slots) const {
  std::vector<double> stack;
  stack.reserve(code_.size());
  auto pop = [&] {
    const double v = stack.back();
    stack.pop_back();
    return v;
  };
  for (const Op& op : code_) {
    switch (op.code) {
      case Op::Code::constant: stack.push_back(op.value); break;
      case Op::Code::slot: stack.push_back(slots[op.index]); break;
      case Op::Code::neg: stack.back() = -stack.back(); break;
      case Op::Code::fn1: stack.back() = apply1(op.index, stack.back()); break;
      case Op::Code::ipow: stack.back() = int_power(stack.back(), static_cast<long>(op.value)); break;
      default: {
        const double b = pop();
        const double a = pop();
        switch (op.code) {
          case Op::Code::add: stack.push_back(a + b); break;
          case Op::Code::sub: stack.push_back(a - b); break;
          case Op::Code::mul: stack.push_back(a * b); break;
          case Op::Code::div: stack.push_back(a / b); break;
          case Op::Code::pow: stack.push_back(std::pow(a, b)); break;
          default: stack.push_back(apply2(op.index, a, b)); break;
        }
      }
    }
  }
  return stack.back();
}

bool Expression::uses(std::size_t slot) const {
  return std::any_of(code_.begin(), code_.end(),
                     [&](const Op& op) { return op.code == Op::Code::slot && op.index == slot; });
}

}  // namespace spikeq::io::yaml

namespace spikeq::io::yaml {

std::optional<std::size_t> Expression::single_name() const {
  if (code_.size() == 1 && code_[0].code == Op::Code::slot) return code_[0].index;
  return std::nullopt;
}

}  // namespace spikeq::io::yaml
