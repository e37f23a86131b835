#pragma once
// An ELM population's trained model on the device (backends/device): its tables in
// precision T, every neuron's traces and memory, and per-neuron scratch for the MLP.
#include <cstdint>
#include <vector>

#include "device_copy.hpp"
#include "spikeq/backends/host_state.hpp"
#include "spikeq/neurons/elm_kernel.hpp"

namespace spikeq::detail::device {

template <typename Runtime, typename T>
class DeviceElm {
  template <typename U>
  using Buffer = typename Runtime::template Buffer<U>;

 public:
  DeviceElm(Runtime& rt, const ElmEngine<T>& e, std::uint32_t n) {
    const neurons::ElmTables<T>& t = e.tables;
    kappa_trace_ = copy_of(rt, t.kappa_trace, "ELM tables");
    fan_ptr_ = copy_of(rt, t.fan_ptr, "ELM tables");
    fan_target_ = copy_of(rt, t.fan_target, "ELM tables");
    fan_weight_ = copy_of(rt, t.fan_weight, "ELM tables");
    kappa_m_ = copy_of(rt, t.kappa_m, "ELM tables");
    gain_ = copy_of(rt, t.gain, "ELM tables");
    readout_w_ = copy_of(rt, t.readout_w, "ELM tables");
    std::vector<neurons::ElmLayerView<T>> layers = neurons::layer_views(t);
    for (std::size_t l = 0; l < t.layers.size(); ++l) {
      weights_.push_back(copy_of(rt, t.layers[l].weight_t, "ELM tables"));
      biases_.push_back(copy_of(rt, t.layers[l].bias, "ELM tables"));
      layers[l].weight_t = weights_.back().data();
      layers[l].bias = biases_.back().data();
    }
    layers_ = copy_of(rt, layers, "ELM tables");
    view_ = neurons::view_of(t, layers_.data());
    view_.kappa_trace = kappa_trace_.data();
    view_.fan_ptr = fan_ptr_.data();
    view_.fan_target = fan_target_.data();
    view_.fan_weight = fan_weight_.data();
    view_.kappa_m = kappa_m_.data();
    view_.gain = gain_.data();
    view_.readout_w = readout_w_.data();
    trace_ = rt.template allocate<T>(e.state.trace.size(), "ELM state");
    memory_ = rt.template allocate<T>(e.state.memory.size(), "ELM state");
    scratch_ = rt.template allocate<T>(std::size_t{n} * view_.scratch(), "ELM scratch");
  }

  [[nodiscard]] const neurons::ElmTablesView<T>& view() const { return view_; }
  [[nodiscard]] T* trace() { return trace_.data(); }
  [[nodiscard]] T* memory() { return memory_.data(); }
  [[nodiscard]] T* scratch() { return scratch_.data(); }

  /// copy(host vector, device buffer) for the state a checkpoint holds.
  template <typename Copy>
  void for_each_state(ElmEngine<T>& e, Copy&& copy) {
    copy(e.state.trace, trace_);
    copy(e.state.memory, memory_);
  }

 private:
  Buffer<T> kappa_trace_, fan_weight_, kappa_m_, gain_, readout_w_;
  Buffer<std::uint32_t> fan_ptr_, fan_target_;
  std::vector<Buffer<T>> weights_, biases_;
  Buffer<neurons::ElmLayerView<T>> layers_;
  Buffer<T> trace_, memory_, scratch_;
  neurons::ElmTablesView<T> view_{};
};

}  // namespace spikeq::detail::device
