// ELM populations inside networks: input through spike delivery reproduces the
// reference, serial and threaded backends agree bit for bit, spikes follow the documented
// rules, and misuse fails with messages that name the population or field.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <string>

#include "elm_reference.hpp"
#include "elm_synthetic.hpp"
#include "spikeq/io/elm_weights.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using neurons::elm;

namespace {

/// Sources that replay /test/input: source b N + k fires at t + 1 ms when input k of
/// sequence b spikes in step t, and reaches input slot k of ELM neuron b after 1 ms, so
/// update t + 1 consumes what the reference's step t consumed.
struct ReplayNetwork {
  Network net{1.0};
  PopulationId elm_pop{};
  RecorderId p{}, v{}, y0{}, y1{};
};

ReplayNetwork replay(const std::string& file, elm::Precision precision, hsize_t& steps) {
  const auto input = test::read_reference(file, "/test/input");
  const hsize_t batch = input.shape[0], N = input.shape[2];
  steps = input.shape[1];
  neurons::spike_source_array::params src;
  src.times.resize(batch * N);
  for (hsize_t b = 0; b < batch; ++b) {
    for (hsize_t t = 0; t < steps; ++t) {
      for (hsize_t k = 0; k < N; ++k) {
        if (input.at(b, t, k) != 0.0) src.times[b * N + k].push_back(static_cast<double>(t) + 1.0);
      }
    }
  }
  ReplayNetwork r;
  elm::params p;
  p.weights = io::read_elm_weights(file);
  p.precision = precision;
  const auto sources = r.net.add_population("inputs", static_cast<std::uint32_t>(batch * N), src);
  r.elm_pop = r.net.add_population("elm", static_cast<std::uint32_t>(batch), p);
  r.net.connect(sources, r.elm_pop, connect::OneToOne{}, {.weight = 1.0, .delay = 1.0});
  r.p = r.net.record_state(r.elm_pop, "p_spike", {}, 1.0);
  r.v = r.net.record_state(r.elm_pop, "V_m", {}, 1.0);
  r.y0 = r.net.record_state(r.elm_pop, "y0", {}, 1.0);
  r.y1 = r.net.record_state(r.elm_pop, "y1", {}, 1.0);
  return r;
}

std::shared_ptr<const neurons::ElmWeights> weights_for_backends() {
  return io::read_elm_weights(test::elm_reference("best_elm_neuron"));
}

/// The kernel driven directly with `input` after `lead` empty steps: y0, y1 per step and
/// sequence.
template <typename T>
std::vector<double> direct(const std::string& file, const test::RefArray& input, hsize_t lead) {
  const auto w = io::read_elm_weights(file);
  const auto tables = neurons::make_elm_tables<T>(*w, neurons::ElmVersion::v1);
  const hsize_t batch = input.shape[0], steps = input.shape[1], N = input.shape[2];
  neurons::ElmState<T> state(tables, static_cast<std::uint32_t>(batch));
  std::vector<detail::Accum> in(batch * N);
  std::vector<double> y0(batch), y1(batch), out;
  std::vector<T> scratch;
  for (hsize_t t = 0; t < steps + lead; ++t) {
    for (hsize_t n = 0; n < batch; ++n) {
      for (hsize_t k = 0; k < N; ++k) {
        in[n * N + k] = t < lead ? 0 : detail::to_fixed(static_cast<float>(input.at(n, t - lead, k)));
      }
    }
    neurons::elm_step(tables, state, 0, static_cast<std::uint32_t>(batch), in.data(), y0.data(),
                      y1.data(), scratch);
    for (hsize_t n = 0; n < batch; ++n) {
      out.push_back(y0[n]);
      out.push_back(y1[n]);
    }
  }
  return out;
}

}  // namespace

// A spike reaches the ELM one update after the reference step whose input it carries,
// so the network's neuron has run one step on empty input first. Its outputs equal, bit
// for bit, the kernel's on the reference input after one empty step; that kernel
// matches the reference itself (test_elm_reference.cpp). Without the empty step, the
// network's outputs from step t + 1 on match the reference's step t within the
// precision's tolerance once the first step's transient has been accounted for, which
// the bit-identity covers.
TEST_CASE("ELM input through spike delivery equals the kernel fed the reference input") {
  const std::string file = test::elm_reference("best_elm_neuron");
  const auto input = test::read_reference(file, "/test/input");
  for (auto precision : {elm::Precision::float64, elm::Precision::float32}) {
    hsize_t steps = 0;
    ReplayNetwork r = replay(file, precision, steps);
    Simulation sim(r.net);
    sim.run(static_cast<double>(steps + 1));
    const StateTrace& y0 = sim.trace(r.y0);
    const StateTrace& y1 = sim.trace(r.y1);
    REQUIRE(y0.samples() == steps + 1);
    const std::vector<double> want = precision == elm::Precision::float64
                                         ? direct<double>(file, input, 1)
                                         : direct<float>(file, input, 1);
    const std::size_t batch = y0.neurons.size();
    std::size_t differ = 0;
    for (hsize_t u = 0; u <= steps; ++u) {
      for (std::size_t b = 0; b < batch; ++b) {
        differ += y0.at(u, b) != want[(u * batch + b) * 2] ? 1 : 0;
        differ += y1.at(u, b) != want[(u * batch + b) * 2 + 1] ? 1 : 0;
      }
    }
    CHECK(differ == 0);
    // p and V_m are the documented functions of y0 and y1.
    const StateTrace& p = sim.trace(r.p);
    const StateTrace& v = sim.trace(r.v);
    const auto w = io::read_elm_weights(file);
    double dp = 0.0, dv = 0.0;
    for (std::size_t k = 0; k < y0.values.size(); ++k) {
      dp = std::max(dp, std::fabs(p.values[k] - 1.0 / (1.0 + std::exp(-y0.values[k]))));
      dv = std::max(dv, std::fabs(v.values[k] - (y1.values[k] / w->soma_scale + w->soma_bias)));
    }
    CHECK(dp <= 1e-15);
    CHECK(dv <= 1e-12);
  }
}

TEST_CASE("ELM outputs and spikes are bit-identical on serial, TBB and cuda-emulated for 64 neurons") {
  const auto weights = weights_for_backends();
  const std::uint32_t n = 64, N = weights->num_input;
  double threshold = 0.5;  // set below from the Bernoulli run's spike probabilities
  auto outcome = [&](SimulationOptions options, elm::SpikeMode mode) {
    Network net(1.0);
    // Every neuron its own Poisson inputs; the excitatory half fast enough to spike.
    const auto exc = net.add_population("exc", n * N / 2, neurons::poisson_source::params{.rate = 12.0});
    const auto inh = net.add_population("inh", n * N / 2, neurons::poisson_source::params{.rate = 3.0});
    elm::params p;
    p.weights = weights;
    p.spike_mode = mode;
    p.threshold = threshold;
    const auto e = net.add_population("elm", n, p);
    // Input slot i N + k: excitatory inputs are k < N/2, inhibitory k >= N/2.
    std::vector<std::uint32_t> src, tgt_e, tgt_i;
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t k = 0; k < N / 2; ++k) {
        src.push_back(i * (N / 2) + k);
        tgt_e.push_back(i * N + k);
        tgt_i.push_back(i * N + N / 2 + k);
      }
    }
    net.connect(exc, e, connect::Explicit{src, tgt_e},
                {.weight = 1.0, .delay = Uniform{1.0, 5.0}});
    net.connect(inh, e, connect::Explicit{src, tgt_i}, {.weight = 1.0, .delay = 2.0});
    // The ELM's spikes drive a LIF population, so its spike path is exercised too.
    const auto lif = net.add_population("lif", 10, neurons::lif_psc_exp::params{});
    net.connect(e, lif, connect::AllToAll{}, {.weight = 300.0, .delay = 3.0});
    net.record_spikes(e);
    net.record_spikes(lif);
    const auto rp = net.record_state(e, "p_spike", {}, 1.0);
    const auto rv = net.record_state(e, "V_m", {}, 5.0);
    Simulation sim(net, options);
    sim.run(150.0);
    sim.run(50.0);
    return std::tuple{sim.spikes(e), sim.spikes(lif), sim.trace(rp).values, sim.trace(rv).values};
  };
  for (elm::SpikeMode mode : {elm::SpikeMode::bernoulli, elm::SpikeMode::threshold}) {
    const auto ref = outcome({.seed = 5, .backend = "serial", .threads = 1}, mode);
    const auto& [elm_spikes, lif_spikes, p, v] = ref;
    double top = 0.0;
    for (double x : p) top = std::max(top, x);
    MESSAGE("ELM spikes " << elm_spikes.neurons.size() << ", LIF spikes "
                          << lif_spikes.neurons.size() << ", largest p " << top);
    // Half the largest probability: a threshold the trained weights cross now and then.
    threshold = top / 2.0;
    CHECK(elm_spikes.neurons.size() > 10);
    const SimulationOptions others[] = {
        {.seed = 5, .backend = "tbb", .threads = 1, .oversubscribe = true},
        {.seed = 5, .backend = "tbb", .threads = 2, .oversubscribe = true},
        {.seed = 5, .backend = "tbb", .threads = 3, .oversubscribe = true},
        {.seed = 5, .backend = "tbb", .threads = 8, .oversubscribe = true},
        // The device's one thread per neuron (elm_neuron_step), in two block orders.
        {.seed = 5, .backend = "cuda-emulated", .device = 0},
        {.seed = 5, .backend = "cuda-emulated", .device = 9}};
    for (const SimulationOptions& options : others) {
      CAPTURE(options.backend);
      CAPTURE(options.threads);
      const auto got = outcome(options, mode);
      CHECK(std::get<0>(got).neurons == elm_spikes.neurons);
      CHECK(std::get<0>(got).steps == elm_spikes.steps);
      CHECK(std::get<1>(got).neurons == lif_spikes.neurons);
      CHECK(std::memcmp(std::get<2>(got).data(), p.data(), p.size() * sizeof(double)) == 0);
      CHECK(std::memcmp(std::get<3>(got).data(), v.data(), v.size() * sizeof(double)) == 0);
    }
  }
}

TEST_CASE("ELM: one neuron at a time (the device's form) gives elm_step's bits") {
  const auto weights = test::synthetic_elm(64, 8, 12, 10, 24, 3);
  auto check = [&](auto zero) {
    using T = decltype(zero);
    for (const bool per_synapse : {false, true}) {
      CAPTURE(per_synapse);
      const auto t = neurons::make_elm_tables<T>(*weights, neurons::ElmVersion::v1, per_synapse);
      const std::uint32_t n = 13, N = t.num_input;  // a full chunk of 8 and a short one
      neurons::ElmState<T> chunked(t, n), single(t, n);
      const auto layers = neurons::layer_views(t);
      const auto view = neurons::view_of(t, layers.data());
      std::vector<T> scratch(view.scratch());
      std::vector<T> work;
      std::mt19937 rng(7);
      std::vector<double> y0a(n), y1a(n), y0b(n), y1b(n);
      for (int step = 0; step < 40; ++step) {
        std::vector<detail::Accum> in(std::size_t{n} * N, 0);
        for (auto& x : in) x = rng() % 5 == 0 ? detail::to_fixed(0.5 * (rng() % 7)) : 0;
        std::vector<detail::Accum> in2 = in;
        neurons::elm_step(t, chunked, 0, n, in.data(), y0a.data(), y1a.data(), work);
        for (std::uint32_t i = 0; i < n; ++i) {
          neurons::elm_neuron_step(view, single.trace.data() + std::size_t{i} * t.trace_len,
                                   single.memory.data() + std::size_t{i} * t.num_memory,
                                   in2.data() + std::size_t{i} * N, scratch.data(), &y0b[i], &y1b[i]);
        }
        REQUIRE(std::memcmp(y0a.data(), y0b.data(), n * sizeof(double)) == 0);
        REQUIRE(std::memcmp(y1a.data(), y1b.data(), n * sizeof(double)) == 0);
        REQUIRE(in2 == in);  // both consumed every input
      }
      CHECK(std::memcmp(chunked.memory.data(), single.memory.data(), chunked.memory.size() * sizeof(T)) == 0);
      CHECK(std::memcmp(chunked.trace.data(), single.trace.data(), chunked.trace.size() * sizeof(T)) == 0);
    }
  };
  check(0.0f);
  check(0.0);
}

TEST_CASE("ELM threshold spikes mark upward crossings of the spike probability") {
  const auto weights = test::synthetic_elm(40, 4, 12, 6, 12, 3);
  Network net(1.0);
  // Excitatory inputs only: slots k < 20 of each neuron.
  const auto src = net.add_population("src", 60, neurons::poisson_source::params{.rate = 100.0});
  elm::params p;
  p.weights = weights;
  p.threshold = 0.12;
  p.precision = elm::Precision::float64;
  const auto e = net.add_population("elm", 3, p);
  std::vector<std::uint32_t> from, to;
  for (std::uint32_t i = 0; i < 3; ++i) {
    for (std::uint32_t k = 0; k < 20; ++k) {
      from.push_back(i * 20 + k);
      to.push_back(i * 40 + k);
    }
  }
  net.connect(src, e, connect::Explicit{from, to}, {.weight = 1.0, .delay = 1.0});
  net.record_spikes(e);
  const auto rp = net.record_state(e, "p_spike", {}, 1.0);
  Simulation sim(net);
  sim.run(300.0);
  const StateTrace& tr = sim.trace(rp);
  const SpikeRecord& s = sim.spikes(e);
  std::size_t expected = 0;
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    for (std::size_t j = 0; j < 3; ++j) {
      const double before = k == 0 ? 0.0 : tr.at(k - 1, j);
      if (tr.at(k, j) >= 0.12 && before < 0.12) ++expected;
    }
  }
  double top = 0.0;
  for (double x : tr.values) top = std::max(top, x);
  MESSAGE("crossings " << expected << ", largest p " << top);
  CHECK(expected > 0);
  CHECK(s.neurons.size() == expected);
}

TEST_CASE("ELM routing in the weight files equals the NeuronIO formula") {
  for (const char* name : {"best_elm_neuron", "num_memory_10"}) {
    const std::string file = test::elm_reference(name);
    const auto w = io::read_elm_weights(file);
    neurons::ElmWeights formula = *w;
    test::neuronio_routing(formula);
    CHECK(w->synapse_input == formula.synapse_input);
    CHECK(w->synapse_valid == formula.synapse_valid);
    CHECK(w->input_sign == formula.input_sign);
    // Branches 41..44 of the trained models have 89, 60, 31 and 2 valid synapses.
    int valid_44 = 0;
    for (std::uint32_t q = 0; q < 100; ++q) valid_44 += w->synapse_valid[44 * 100 + q];
    CHECK(valid_44 == 2);
  }
}

TEST_CASE("ELM misuse fails loudly, naming what is wrong") {
  const auto weights = test::synthetic_elm(10, 2, 6, 3, 4);
  elm::params p;
  p.weights = weights;
  auto build = [&](double dt, auto&& extra) {
    Network net(dt);
    const auto e = net.add_population("brain", 2, p);
    extra(net, e);
    Simulation sim(net);
  };
  auto nothing = [](Network&, PopulationId) {};
  CHECK_THROWS_WITH_AS(build(0.1, nothing), doctest::Contains("'brain': parameter 'dt'"),
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(build(1.0, [](Network& net, PopulationId e) {
                         net.add_input(e, PoissonInput{.rate = 10.0, .weight = 1.0});
                       }),
                       doctest::Contains("only through projections onto its input slots"),
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(build(1.0, [](Network& net, PopulationId e) {
                         const auto s = net.add_population("s", 5, neurons::poisson_source::params{});
                         SynapseSpec syn;
                         syn.plasticity = plasticity::PlasticitySpec{};
                         net.connect(s, e, connect::AllToAll{}, syn);
                       }),
                       doctest::Contains("cannot be plastic"), InvalidConnection);
  CHECK_THROWS_WITH_AS(build(1.0, [](Network& net, PopulationId e) {
                         const auto s = net.add_population("s", 5, neurons::poisson_source::params{});
                         net.connect(s, e, connect::Explicit{{0}, {20}});
                       }),
                       doctest::Contains("20"), InvalidConnection);
  elm::params none;
  Network net(1.0);
  net.add_population("empty", 1, none);
  CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains("parameter 'weights' is missing"),
                       InvalidParameter);
  auto broken = std::make_shared<neurons::ElmWeights>(*weights);
  broken->w_s.pop_back();
  p.weights = broken;
  CHECK_THROWS_WITH_AS(build(1.0, nothing), doctest::Contains("w_s has 11 values, expected 12"),
                       InvalidParameter);
}

namespace {

/// An HDF5 file with the /config of a small ELM and only a proto_w_s of `n` values, each
/// `value`.
std::string partial_weight_file(hsize_t n, float value = 0.5f) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("spikeq_elm_partial_" + std::to_string(n) + ".h5")).string();
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t config = H5Gcreate2(f, "config", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (auto [name, value] : {std::pair{"num_input", 10}, std::pair{"num_branch", 2},
                             std::pair{"num_synapse_per_branch", 6}, std::pair{"num_memory", 3}}) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(config, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    const std::int64_t v = value;
    H5Awrite(a, H5T_NATIVE_INT64, &v);
    H5Aclose(a);
    H5Sclose(space);
  }
  const hid_t params = H5Gcreate2(f, "params", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t d = H5Dcreate2(params, "proto_w_s", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT);
  const std::vector<float> values(n, value);
  H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(d);
  H5Sclose(space);
  H5Gclose(params);
  H5Gclose(config);
  H5Fclose(f);
  return path;
}

}  // namespace

TEST_CASE("ELM weight files: a missing or mis-shaped dataset is an error naming it") {
  const std::string wrong = partial_weight_file(5);
  CHECK_THROWS_WITH_AS(io::read_elm_weights(wrong),
                       doctest::Contains("/params/proto_w_s: has shape (5), expected (12)"),
                       io::FileError);
  const std::string partial = partial_weight_file(12);
  CHECK_THROWS_WITH_AS(io::read_elm_weights(partial), doctest::Contains("/params/tau_s"),
                       io::FileError);
  const std::string nan = partial_weight_file(12, std::numeric_limits<float>::quiet_NaN());
  CHECK_THROWS_WITH_AS(io::read_elm_weights(nan),
                       doctest::Contains("/params/proto_w_s: holds nan at index 0; every value must be finite"),
                       io::FileError);
  std::filesystem::remove(wrong);
  std::filesystem::remove(partial);
  std::filesystem::remove(nan);
  CHECK_THROWS_WITH_AS(io::read_elm_weights("/nonexistent/elm.h5"),
                       doctest::Contains("/nonexistent/elm.h5"), io::FileError);
}
