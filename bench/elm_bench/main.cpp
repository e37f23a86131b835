// spikeq_elm_bench: ELM neurons per second, in two settings.
//   kernel:  the model's step alone on a block of n neurons fed pre-drawn binary input,
//            the same work as a PyTorch forward pass over a batch (bench/peers/elm_torch.py);
//   network: n ELM neurons in a network on the serial or threaded backend, reading a pool
//            of 8 x 1278 Poisson inputs through delayed synapses (1-5 ms): neuron i's
//            input k comes from pool input (i mod 8) 1278 + k. The same work plus spike
//            sources, delivery and ring buffers.
// One JSON object per line: wall time, steps/s, neuron-steps/s, input events/s, bytes per
// synapse. bench/elm.py runs it beside the PyTorch peer and tabulates both.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "spike_digest.hpp"
#include "spikeq/io/elm_weights.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string weights;
  std::string mode = "kernel";
  std::string backend = "serial";
  std::string precision = "float32";
  std::string version = "v1";
  std::vector<std::uint32_t> sizes{1, 100, 1000};
  int threads = 0;
  int steps = 1000;
  double rate = 3.0;  // Hz per input: p = 0.003 per 1 ms step, as elm_torch.py
  std::uint64_t seed = 1;
};

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

template <typename T>
void kernel(const neurons::ElmWeights& w, const Options& o, std::uint32_t n) {
  const auto version = o.version == "v2" ? neurons::ElmVersion::v2 : neurons::ElmVersion::v1;
  const auto tables = neurons::make_elm_tables<T>(w, version);
  neurons::ElmState<T> state(tables, n);
  const std::uint32_t N = w.num_input;
  // Input drawn beforehand (events as (step, slot) lists), so only the step is timed.
  std::mt19937_64 rng(o.seed);
  std::bernoulli_distribution spike(o.rate * 1e-3);
  std::vector<std::vector<std::uint32_t>> events(static_cast<std::size_t>(o.steps));
  std::uint64_t total = 0;
  for (auto& e : events) {
    for (std::uint64_t s = 0; s < std::uint64_t{n} * N; ++s) {
      if (spike(rng)) e.push_back(static_cast<std::uint32_t>(s));
    }
    total += e.size();
  }
  std::vector<detail::Accum> in(std::size_t{n} * N, 0);
  std::vector<double> y0(n), y1(n);
  std::vector<T> scratch;
  const detail::Accum one = detail::to_fixed(1.0f);
  const auto t0 = Clock::now();
  for (const auto& e : events) {
    for (std::uint32_t s : e) in[s] += one;
    neurons::elm_step(tables, state, 0, n, in.data(), y0.data(), y1.data(), scratch);
  }
  const double wall = since(t0);
  std::printf(
      "{\"program\":\"spikeq\",\"mode\":\"kernel\",\"backend\":\"serial\",\"threads\":1,"
      "\"precision\":\"%s\",\"version\":\"%s\",\"neurons\":%u,\"steps\":%d,\"wall_s\":%.6f,"
      "\"steps_per_s\":%.3f,\"neuron_steps_per_s\":%.1f,\"events_per_s\":%.1f,"
      "\"check\":%.9g}\n",
      o.precision.c_str(), o.version.c_str(), n, o.steps, wall, o.steps / wall,
      static_cast<double>(n) * o.steps / wall, static_cast<double>(total) / wall, y0[0] + y1[n - 1]);
}

void network(const std::shared_ptr<const neurons::ElmWeights>& w, const Options& o,
             std::uint32_t n) {
  const std::uint32_t N = w->num_input;
  Network net(w->delta_t);
  neurons::elm::params p;
  p.weights = w;
  p.precision = o.precision == "float64" ? neurons::elm::Precision::float64
                                         : neurons::elm::Precision::float32;
  p.version = o.version == "v2" ? neurons::ElmVersion::v2 : neurons::ElmVersion::v1;
  p.spike_mode = neurons::elm::SpikeMode::bernoulli;
  constexpr std::uint32_t groups = 8;
  const std::uint32_t pool = std::min(n, groups) * N;
  const auto inputs = net.add_population("inputs", pool, neurons::poisson_source::params{.rate = o.rate});
  const auto elm = net.add_population("elm", n, p);
  std::vector<std::uint32_t> from, to;
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t k = 0; k < N; ++k) {
      from.push_back(i % groups * N + k);
      to.push_back(i * N + k);
    }
  }
  net.connect(inputs, elm, connect::Explicit{std::move(from), std::move(to)},
              {.weight = 1.0, .delay = Uniform{1.0, 5.0}});
  net.record_spikes(elm);
  const auto b0 = Clock::now();
  Simulation sim(net, {.seed = o.seed, .backend = o.backend, .threads = o.threads});
  const double build = since(b0);
  const auto t0 = Clock::now();
  sim.run(o.steps * w->delta_t);
  const double wall = since(t0);
  const MemoryReport mem = sim.memory();
  std::printf(
      "{\"program\":\"spikeq\",\"mode\":\"network\",\"backend\":\"%s\",\"threads\":%d,"
      "\"precision\":\"%s\",\"version\":\"%s\",\"neurons\":%u,\"steps\":%d,\"wall_s\":%.6f,"
      "\"build_s\":%.3f,\"steps_per_s\":%.3f,\"neuron_steps_per_s\":%.1f,"
      "\"bytes_per_synapse\":%.2f,\"elm_spikes\":%zu,\"spike_digest\":\"%016llx\"}\n",
      o.backend.c_str(), sim.threads(), o.precision.c_str(), o.version.c_str(), n, o.steps, wall,
      build, o.steps / wall, static_cast<double>(n) * o.steps / wall,
      static_cast<double>(mem.synapse_bytes) / static_cast<double>(mem.synapses),
      sim.spikes(elm).size(),
      static_cast<unsigned long long>(spikeq_bench::spike_digest({&sim.spikes(elm)})));
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"ELM neuron throughput: the kernel alone, or ELM populations in a network"};
  app.add_option("--weights", o.weights, "ELM weight file (HDF5)")->required();
  app.add_option("--mode", o.mode, "kernel or network")->check(CLI::IsMember({"kernel", "network"}));
  app.add_option("--backend", o.backend, "network mode: one of this build's backends")
      ->check(CLI::IsMember(available_backends()));
  app.add_option("--threads", o.threads, "network mode: threads (0: backend default)");
  app.add_option("--precision", o.precision)->check(CLI::IsMember({"float32", "float64"}));
  app.add_option("--version", o.version)->check(CLI::IsMember({"v1", "v2"}));
  app.add_option("--neurons", o.sizes, "population sizes")->delimiter(',');
  app.add_option("--steps", o.steps, "1 ms steps timed");
  app.add_option("--rate", o.rate, "input rate per input (Hz)");
  app.add_option("--seed", o.seed);
  CLI11_PARSE(app, argc, argv);
  try {
    const auto w = io::read_elm_weights(o.weights);
    for (std::uint32_t n : o.sizes) {
      if (o.mode == "network") {
        network(w, o, n);
      } else if (o.precision == "float64") {
        kernel<double>(*w, o, n);
      } else {
        kernel<float>(*w, o, n);
      }
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spikeq_elm_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
