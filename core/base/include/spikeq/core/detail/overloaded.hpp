#pragma once
// The usual visitor of lambdas for std::visit: overloaded{[](A) {...}, [](B) {...}}.

namespace spikeq::detail {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
// Clang 14 does not deduce an aggregate's template arguments (C++20) without a guide.
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace spikeq::detail
