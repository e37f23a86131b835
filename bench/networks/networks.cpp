#include "networks.hpp"

#include <array>

namespace spikeq_bench {
namespace {

constexpr std::array<NetworkKind, 10> kNetworks{{
    {"cuba", 4000, [](std::uint32_t n, std::uint64_t) { return make_cuba(n); }},
    {"coba", 4000, [](std::uint32_t n, std::uint64_t) { return make_coba(n); }},
    {"izhikevich2003", 1000, make_izhikevich2003},
    {"brunel2000", 10000, [](std::uint32_t n, std::uint64_t) { return make_brunel2000(n); }},
    // --size is NE; the in-degrees stay those of NE = 10000 (bench/gpu.sh scales it).
    {"brunel2000_scaled", 10000,
     [](std::uint32_t n, std::uint64_t) { return make_brunel2000_scaled(n); }},
    // Delays uniform in 1-20 ms instead of 1.5 ms (bench/peers/brunel2000_hetero.py).
    {"brunel2000_hetero", 10000,
     [](std::uint32_t n, std::uint64_t) { return make_brunel2000_hetero(n); }},
    // --size is the total of the full model; other sizes scale every population.
    {"potjans_diesmann", 77169,
     [](std::uint32_t n, std::uint64_t) { return make_potjans_diesmann(n / 77169.0); }},
    {"polychronization", 1000,
     [](std::uint32_t n, std::uint64_t) { return make_polychronization(n, true); }},
    // The same network without plasticity: what learning costs.
    {"polychronization_static", 1000,
     [](std::uint32_t n, std::uint64_t) { return make_polychronization(n, false); }},
    {"dastdp", 1000, [](std::uint32_t n, std::uint64_t) { return make_dastdp(n); }},
}};

}  // namespace

const NetworkKind* find_network(std::string_view flag) {
  for (const NetworkKind& k : kNetworks) {
    if (k.flag == flag) return &k;
  }
  return nullptr;
}

std::string network_names() {
  std::string names;
  for (const NetworkKind& k : kNetworks) {
    if (!names.empty()) names += ", ";
    names += k.flag;
  }
  return names;
}

}  // namespace spikeq_bench
