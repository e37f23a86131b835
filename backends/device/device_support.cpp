#include "device_support.hpp"

#include <cstdlib>
#include <string_view>

#include "spikeq/backends/device/kernels.hpp"
#include "spikeq/core/errors.hpp"

namespace spikeq::detail::device {
namespace {

void check_population(const PopulationRuntime& pop, const std::string& backend) {
  if (pop.receptors > kMaxReceptors) {
    throw CapacityError("population '" + pop.name + "': " + std::to_string(pop.receptors) +
                        " receptors, but the " + backend + " backend's update kernel holds " +
                        std::to_string(kMaxReceptors));
  }
}

}  // namespace

void check_device_support(const BuiltNetwork& net, const std::string& backend, Step slice) {
  for (const PopulationRuntime& pop : net.populations) check_population(pop, backend);
  for (const PopulationRuntime& pop : net.populations) {
    if (std::uint64_t{pop.size} * static_cast<std::uint64_t>(slice) > 0xffffffffull) {
      throw CapacityError("population '" + pop.name + "': " + std::to_string(pop.size) +
                          " neurons x " + std::to_string(slice) +
                          " steps per slice pass the 2^32 spikes a device slice can list");
    }
  }
}

Step slice_steps(const BuiltNetwork& net) {
  if (!net.modulators.empty()) return net.min_delay;
  std::uint64_t neurons = 0;
  for (const PopulationRuntime& pop : net.populations) neurons += pop.size;
  const std::uint64_t per_step = neurons * (sizeof(Step) + sizeof(std::uint32_t));
  if (per_step == 0) return net.min_delay;
  const auto fits = static_cast<Step>(std::max<std::uint64_t>(1, kSpikeBufferBytes / per_step));
  return std::min(net.min_delay, fits);
}

DeliveryMode delivery_mode() {
  const char* v = std::getenv("SPIKEQ_DEVICE_DELIVERY");
  if (v == nullptr || std::string_view(v).empty() || std::string_view(v) == "auto") {
    return DeliveryMode::automatic;
  }
  if (std::string_view(v) == "row") return DeliveryMode::row;
  if (std::string_view(v) == "piece") return DeliveryMode::piece;
  throw InvalidParameter("SPIKEQ_DEVICE_DELIVERY must be auto, row or piece (got '" +
                         std::string(v) + "')");
}

}  // namespace spikeq::detail::device
