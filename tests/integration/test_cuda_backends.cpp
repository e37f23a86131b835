// The backend-equivalence suite (backend_suite.hpp) on a GPU: the cuda backend against the
// serial reference, byte for byte. Run as one CTest test; on a machine without a CUDA
// device it prints why and exits 77, which CTest reports as skipped.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdint>

#include "spikeq/spikeq.hpp"

namespace backend_suite {

struct Cuda {
  static spikeq::SimulationOptions options(std::uint64_t seed) {
    return {.seed = seed, .backend = "cuda"};
  }
};

}  // namespace backend_suite

#define SPIKEQ_SUITE_ALL Cuda
#include "backend_suite.hpp"

namespace {

/// Empty when a cuda simulation can be made here, else the reason it cannot.
std::string why_no_gpu() {
  spikeq::Network net(0.1);
  net.add_population("n", 1, spikeq::neurons::lif_psc_exp::params{});
  try {
    spikeq::Simulation sim(net, backend_suite::Cuda::options(1));
  } catch (const spikeq::Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  if (!context.shouldExit()) {
    const std::string why = why_no_gpu();
    if (!why.empty()) {
      std::printf("skipped: %s\n", why.c_str());
      return 77;
    }
  }
  return context.run();
}
