#pragma once
// A device copy of a host vector, through any device runtime (emulated or CUDA).
#include <vector>

namespace spikeq::detail::device {

/// A buffer of the runtime holding v's values; `what` names it in allocation errors.
template <typename Runtime, typename T>
typename Runtime::template Buffer<T> copy_of(Runtime& rt, const std::vector<T>& v, const char* what) {
  auto b = rt.template allocate<T>(v.size(), what);
  rt.upload(b, v.data(), v.size());
  return b;
}

}  // namespace spikeq::detail::device
