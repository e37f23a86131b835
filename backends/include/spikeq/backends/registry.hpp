#pragma once
// The backends compiled into this build, in one constant table (backends/registry.cpp).
// Everything that names a backend reads it: SimulationOptions validation, the thread
// count, the factory, the YAML `backend:` key, the command line's --backend and
// --version, the benchmarks. Adding a backend is one entry here, guarded by the CMake
// definition that compiles it in, plus its folder. There is no self-registration and no
// mutable global: the table is fixed when spikeq is compiled.
#include <memory>
#include <span>
#include <string_view>

#include "spikeq/backends/backend.hpp"

namespace spikeq::detail {

/// What a backend is made with besides its network.
struct BackendSettings {
  int threads = 1;  ///< the resolved count (>= 1; always 1 for a backend that is not threaded)
  int device = 0;   ///< SimulationOptions::device (device backends only)
};

/// Makes a backend that owns `network`.
using BackendFactory = std::unique_ptr<Backend> (*)(BuiltNetwork network,
                                                    const BackendSettings& settings);

struct BackendEntry {
  std::string_view name;         ///< SimulationOptions::backend, YAML `backend:`, --backend
  std::string_view description;  ///< one line, for help texts
  /// Runs on SimulationOptions::threads threads (0: every core the process may use);
  /// false: on one thread, and more is an error.
  bool threaded;
  /// Runs on a device chosen by SimulationOptions::device (--device N).
  bool device;
  BackendFactory make;
};

/// The backends of this build, the reference (serial) first.
[[nodiscard]] std::span<const BackendEntry> backend_registry() noexcept;

/// The entry named `name`, or nullptr when this build has none.
[[nodiscard]] const BackendEntry* find_backend(std::string_view name) noexcept;

/// True for the name of a backend that spikeq has but this build lacks (cuda, mpi), so
/// that asking for it can say "not compiled into this build" rather than "unknown".
[[nodiscard]] bool backend_not_built(std::string_view name) noexcept;

}  // namespace spikeq::detail
