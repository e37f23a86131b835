// The backend registry: the backends this build has, what they answer, and the errors
// that name them (engine options, YAML `backend:`), all read from the one table.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "spikeq/backends/registry.hpp"
#include "spikeq/io/model_file.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

std::string joined(const std::vector<std::string>& names, const std::string& separator,
                   const std::string& quote = "") {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : separator) + quote + n + quote;
  return out;
}

Network small_network() {
  Network net(0.1);
  auto a = net.add_population("a", 20, neurons::lif_psc_exp::params{.I_e = 1000.0});
  net.connect(a, a, connect::FixedProbability{0.2}, SynapseSpec{.weight = 5.0, .delay = 1.0});
  net.record_spikes(a);
  return net;
}

/// Whether the cuda backend can run here; prints why not.
bool cuda_device_found(const Network& net) {
  try {
    Simulation sim(net, {.backend = "cuda"});
    return true;
  } catch (const Error& e) {
    MESSAGE("skipped the cuda backend: " << e.what());
    return false;
  }
}

}  // namespace

TEST_CASE("backends: the registry lists serial and tbb, the reference first") {
  const std::vector<std::string> names = available_backends();
  REQUIRE(names.size() >= 2);
  CHECK(names[0] == "serial");
  CHECK(names[1] == "tbb");
  const auto registry = detail::backend_registry();
  REQUIRE(registry.size() == names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    CAPTURE(names[k]);
    CHECK(registry[k].name == names[k]);
    CHECK(!registry[k].description.empty());
    CHECK(static_cast<bool>(registry[k].make));
    CHECK(detail::find_backend(names[k]) == &registry[k]);
    CHECK_FALSE(detail::backend_not_built(names[k]));
  }
  CHECK_FALSE(detail::find_backend("serial")->threaded);
  CHECK(detail::find_backend("tbb")->threaded);
  // Every build has the device code paths, on the CPU.
  REQUIRE(detail::find_backend("cuda-emulated") != nullptr);
  CHECK(detail::find_backend("cuda-emulated")->device);
  CHECK_FALSE(detail::find_backend("cuda-emulated")->threaded);
  CHECK_FALSE(detail::find_backend("serial")->device);
  CHECK(detail::find_backend("gpu9000") == nullptr);
  CHECK(detail::find_backend("") == nullptr);
  CHECK_FALSE(detail::backend_not_built("gpu9000"));
  for (const char* other : {"cuda", "mpi"}) {
    CAPTURE(other);
    CHECK(detail::backend_not_built(other) == (detail::find_backend(other) == nullptr));
  }
}

TEST_CASE("backends: every registered backend builds and runs under its own name") {
  const Network net = small_network();
  std::vector<std::uint32_t> reference;
  for (const std::string& name : available_backends()) {
    CAPTURE(name);
    if (name == "cuda" && !cuda_device_found(net)) continue;  // built, but no GPU here
    Simulation sim(net, {.seed = 3, .backend = name, .threads = 1});
    sim.run(50.0);
    CHECK(sim.backend_name() == name);
    CHECK(sim.threads() == 1);
    const auto& spikes = sim.spikes(net.population("a")).neurons;
    CHECK(!spikes.empty());
    if (name == available_backends().front()) reference = spikes;
    CHECK(spikes == reference);
  }
  // Threads 0: one for the serial backend, every core the process may use for tbb.
  CHECK(Simulation(net, {.backend = "serial"}).threads() == 1);
  CHECK(Simulation(net, {.backend = "tbb"}).threads() >= 1);
}

TEST_CASE("backends: unknown or missing backends are errors naming the available ones") {
  const std::string available = joined(available_backends(), ", ");
  CHECK(available.rfind("serial, tbb", 0) == 0);
  const Network net = small_network();
  const std::string unknown = "simulation: unknown backend 'gpu9000' (available: " + available + ")";
  CHECK_THROWS_WITH_AS(check_options({.backend = "gpu9000"}), unknown.c_str(), InvalidParameter);
  CHECK_THROWS_WITH_AS(Simulation(net, {.backend = "gpu9000"}), unknown.c_str(), InvalidParameter);
  CHECK_THROWS_WITH_AS((void)validate(net, {.backend = "gpu9000"}), unknown.c_str(), InvalidParameter);
  for (const char* other : {"cuda", "mpi"}) {
    if (detail::find_backend(other) != nullptr) continue;
    CAPTURE(other);
    const std::string missing = std::string("simulation: backend '") + other +
                                "' is not compiled into this build (available: " + available + ")";
    CHECK_THROWS_WITH_AS(check_options({.backend = other}), missing.c_str(), InvalidParameter);
  }
  CHECK_THROWS_WITH_AS(
      check_options({.backend = "serial", .threads = 2}),
      "simulation: the serial backend runs on one thread (threads = 2 requested); use backend 'tbb'",
      InvalidParameter);
  for (const std::string& name : available_backends()) {
    CHECK_NOTHROW(check_options({.backend = name}));
    CHECK_NOTHROW(check_options({.backend = name, .threads = 1}));
  }
  CHECK_THROWS_WITH_AS(
      check_options({.backend = "tbb", .device = 1}),
      "simulation: the tbb backend runs on no device (device = 1 requested)", InvalidParameter);
  CHECK_THROWS_WITH_AS(check_options({.backend = "cuda-emulated", .device = -1}),
                       "simulation: device must be >= 0 (got -1)", InvalidParameter);
  CHECK_NOTHROW(check_options({.backend = "cuda-emulated", .device = 4}));
}

TEST_CASE("backends: YAML backend: takes the registry's names and lists them otherwise") {
  const std::string rest = "populations: [{name: a, model: lif_psc_exp, size: 2}]\n";
  for (const std::string& name : available_backends()) {
    CAPTURE(name);
    const io::LoadedModel m =
        io::load_model_text("simulation: {backend: " + name + "}\n" + rest, "b.yaml");
    CHECK(m.options.backend == name);
  }
  const std::string expected = "(expected one of " + joined(available_backends(), ", ", "'") + ")";
  CHECK(expected.find("'serial', 'tbb'") != std::string::npos);
  CHECK_THROWS_WITH_AS(
      io::load_model_text("simulation: {backend: nonsense}\n" + rest, "b.yaml"),
      doctest::Contains("simulation.backend: unknown value 'nonsense'"), io::ModelError);
  CHECK_THROWS_WITH_AS(io::load_model_text("simulation: {backend: nonsense}\n" + rest, "b.yaml"),
                       doctest::Contains(expected.c_str()), io::ModelError);
}
