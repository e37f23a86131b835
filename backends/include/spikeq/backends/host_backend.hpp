#pragma once
// What every backend that keeps the network in host memory shares: it owns the
// BuiltNetwork, binds the model tables to it once it has settled there, and answers the
// state, memory and replay calls from it. The serial and oneTBB backends derive from it
// and add only their schedule (advance) and their modulator replicas.
#include <cstdint>

#include "spikeq/backends/backend.hpp"

namespace spikeq::detail {

class HostBackend : public Backend {
 public:
  [[nodiscard]] const BuiltNetwork& state() const final { return net_; }
  [[nodiscard]] BuiltNetwork& mutable_state() final { return net_; }
  [[nodiscard]] MemoryReport memory() const final;
  void set_replay(std::uint32_t population, ReplayWindow window) final;

 protected:
  /// Takes the network and points its model tables at their storage (bind_tables).
  explicit HostBackend(BuiltNetwork net);

  /// The network state; the derived backend's schedule advances it.
  BuiltNetwork net_;
};

}  // namespace spikeq::detail
