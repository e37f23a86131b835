// HLOP in the engine: a plastic projection that names a subspace of its source population
// (PlasticitySpec::projection) learns only outside it; the subspace's rows come from the
// weights of lateral neurons, consolidated at chosen times.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "spikeq/spikeq.hpp"

using namespace spikeq;
using namespace spikeq::plasticity;

namespace {

constexpr std::uint32_t kInputs = 8, kLateral = 3, kOut = 4;

/// Poisson inputs, lateral neurons whose initial weights give the subspace, and outputs
/// learning by `rule` from the inputs, through the subspace when `project` is set.
struct Hlop {
  Network net{0.5};
  PopulationId in, lat, out;
  ProjectionId lateral, learner;
  SubspaceId space;
};

Hlop hlop(const Rule& rule, bool project, std::vector<double> consolidate_at = {}) {
  Hlop h;
  h.in = h.net.add_population("in", kInputs, neurons::poisson_source::params{.rate = 40.0});
  neurons::lif_psc_delta::params lif;
  h.lat = h.net.add_population("lat", kLateral, lif);
  h.out = h.net.add_population("out", kOut, lif);
  h.net.add_input(h.out, PoissonInput{.rate = 3000.0, .weight = 2.0});
  h.net.add_input(h.lat, PoissonInput{.rate = 3000.0, .weight = 2.0});
  h.net.add_modulator(ModulatorSpec{.name = "goal", .baseline = 3.0});
  h.lateral = h.net.connect(
      h.in, h.lat, connect::AllToAll{},
      {.weight = Uniform{-1.0, 1.0}, .delay = 1.0,
       .plasticity = PlasticitySpec{.rule = OjaSubspaceRule{.eta = 0.02},
                                    .apply = Interval{.interval = 1.0}, .w_min = -5.0, .w_max = 5.0}});
  h.space = h.net.add_subspace(SubspaceSpec{.name = "space", .population = h.in,
                                            .learned_by = h.lateral,
                                            .consolidate_at = std::move(consolidate_at)});
  h.learner = h.net.connect(h.in, h.out, connect::AllToAll{},
                            {.weight = Uniform{0.0, 1.0}, .delay = 1.0,
                             .plasticity = PlasticitySpec{.rule = rule, .w_min = -50.0, .w_max = 50.0,
                                                          .projection = project ? "space" : ""}});
  return h;
}

/// The largest |H Δw_i| / |Δw_i| over the learning targets i: 0 when every change lies
/// outside the subspace.
double inside_fraction(const std::vector<double>& H, const SynapseList& start,
                       const std::vector<float>& end) {
  const std::size_t rows = H.size() / kInputs;
  std::vector<std::vector<double>> dw(kOut, std::vector<double>(kInputs, 0.0));
  for (std::size_t k = 0; k < end.size(); ++k) {
    dw[start.targets[k]][start.sources[k]] += double{end[k]} - double{start.weights[k]};
  }
  double worst = 0.0;
  for (const auto& d : dw) {
    double norm = 0.0, inside = 0.0;
    for (double v : d) norm += v * v;
    for (std::size_t q = 0; q < rows; ++q) {
      double c = 0.0;
      for (std::size_t j = 0; j < kInputs; ++j) c += H[q * kInputs + j] * d[j];
      inside += c * c;
    }
    REQUIRE(norm > 1e-6);  // it learned
    worst = std::max(worst, std::sqrt(inside / norm));
  }
  return worst;
}

double learn_and_measure(const Rule& rule, bool project) {
  Hlop h = hlop(rule, project);
  Simulation sim(h.net, {.seed = 5});
  sim.consolidate(h.space);  // the lateral neurons' initial weights span it
  const std::vector<double> H = sim.subspace_rows(h.space);
  REQUIRE(H.size() == kLateral * kInputs);
  const SynapseList start = sim.synapses(h.learner);
  sim.run(300.0);
  return inside_fraction(H, start, sim.weights(h.learner));
}

}  // namespace

TEST_CASE("HLOP: the error rule learns only outside the subspace it names") {
  const Rule error = ErrorRule{.eta = 0.002, .target = "goal"};
  CHECK(learn_and_measure(error, true) < 1e-4);
  CHECK(learn_and_measure(error, false) > 0.1);  // the same rule, unprojected
}

TEST_CASE("HLOP: STDP's potentiation learns only outside the subspace it names") {
  const Rule potentiation = Stdp{.A_plus = 0.01, .A_minus = 0.0};
  CHECK(learn_and_measure(potentiation, true) < 1e-4);
  CHECK(learn_and_measure(potentiation, false) > 0.1);
}

TEST_CASE("HLOP: consolidation adds the lateral weights' new directions, orthonormal") {
  Hlop h = hlop(ErrorRule{.eta = 0.002, .target = "goal"}, true, {100.0, 200.0});
  Simulation sim(h.net, {.seed = 2});
  CHECK(sim.subspace_rows(h.space).empty());
  sim.run(100.0);
  const std::vector<double> first = sim.subspace_rows(h.space);
  REQUIRE(first.size() == kLateral * kInputs);
  // Each lateral weight vector now lies in the span of the rows.
  const SynapseList lateral = sim.synapses(h.lateral);
  for (std::uint32_t i = 0; i < kLateral; ++i) {
    std::vector<double> w(kInputs, 0.0);
    for (std::size_t k = 0; k < lateral.sources.size(); ++k) {
      if (lateral.targets[k] == i) w[lateral.sources[k]] = lateral.weights[k];
    }
    std::vector<double> rest = w;
    for (std::uint32_t q = 0; q < kLateral; ++q) {
      double c = 0.0;
      for (std::size_t j = 0; j < kInputs; ++j) c += first[q * kInputs + j] * w[j];
      for (std::size_t j = 0; j < kInputs; ++j) rest[j] -= c * first[q * kInputs + j];
    }
    double r = 0.0, n = 0.0;
    for (std::size_t j = 0; j < kInputs; ++j) r += rest[j] * rest[j], n += w[j] * w[j];
    CHECK(std::sqrt(r / n) < 1e-9);
  }
  sim.run(150.0);  // the second consolidation, at 200 ms
  const std::vector<double> both = sim.subspace_rows(h.space);
  const std::size_t rows = both.size() / kInputs;
  CHECK(rows > kLateral);
  CHECK(rows <= 2 * kLateral);
  for (std::size_t a = 0; a < rows; ++a) {
    for (std::size_t b = 0; b < rows; ++b) {
      double g = 0.0;
      for (std::size_t j = 0; j < kInputs; ++j) g += both[a * kInputs + j] * both[b * kInputs + j];
      CHECK(std::abs(g - (a == b ? 1.0 : 0.0)) < 1e-12);
    }
  }
  // The first rows are kept bit for bit.
  CHECK(std::vector<double>(both.begin(), both.begin() + static_cast<std::ptrdiff_t>(first.size())) == first);
}

TEST_CASE("HLOP: a projection the rule cannot use is an error naming it") {
  auto build_with = [](const PlasticitySpec& spec, bool other_population) {
    Network net(0.5);
    const auto in = net.add_population("in", 4, neurons::poisson_source::params{.rate = 10.0});
    const auto other = net.add_population("other", 4, neurons::poisson_source::params{.rate = 10.0});
    const auto out = net.add_population("out", 2, neurons::lif_psc_delta::params{});
    net.add_subspace(SubspaceSpec{.name = "space", .population = other_population ? other : in});
    net.connect(in, out, connect::AllToAll{}, {.weight = 0.5, .delay = 1.0, .plasticity = spec}, "in->out");
    Simulation sim(net);
  };
  PlasticitySpec vogels{.rule = VogelsSprekeler{}, .w_min = 0.0, .w_max = 5.0, .projection = "space"};
  CHECK_THROWS_WITH_AS(build_with(vogels, false),
                       doctest::Contains("an HLOP projection ('space') applies to the rules with a "
                                         "presynaptic factor: stdp and error"),
                       InvalidParameter);
  PlasticitySpec stdp{.rule = Stdp{}, .w_min = 0.0, .w_max = 5.0, .projection = "spade"};
  CHECK_THROWS_WITH_AS(build_with(stdp, false),
                       doctest::Contains("projection 'spade' is not a subspace of this network "
                                         "(subspaces: 'space')"),
                       NotFound);
  stdp.projection = "space";
  CHECK_THROWS_WITH_AS(build_with(stdp, true),
                       doctest::Contains("is a subspace of population 'other', not of the "
                                         "projection's source 'in'"),
                       InvalidParameter);
  Network net(0.5);
  const auto in = net.add_population("in", 4, neurons::poisson_source::params{.rate = 10.0});
  CHECK_THROWS_WITH_AS(net.add_subspace(SubspaceSpec{.name = "s", .population = in,
                                                     .consolidate_at = {10.0}}),
                       doctest::Contains("consolidate_at needs learned_by"), InvalidParameter);
}

namespace {

/// Two tasks on one readout neuron, each an input pattern: A (inputs 0-11) should make it
/// fire at ~75 Hz, then B (inputs 6-17, half of them A's) should silence it. Lateral
/// neurons learn A's input subspace during A, consolidated when B starts. Returns the
/// readout's rate to A at the end of A, to B at the end of B, and to A afterwards (learning
/// off), in Hz.
struct TwoTasks {
  double a_after_a, b_after_b, a_after_b;
};

TwoTasks two_tasks(bool hlop) {
  constexpr double kTask = 2000.0;  // ms
  constexpr std::uint32_t kN = 20;
  auto rates = [](int task) {
    std::vector<double> r(kN, 0.0);
    const std::uint32_t lo = task == 0 ? 0 : 6;
    for (std::uint32_t j = lo; j < lo + 12; ++j) r[j] = 20.0 + 5.0 * ((j * 7 + task * 3) % 9);
    return r;
  };
  neurons::spike_source_array::params regular;  // regular trains: A, B, then A to test
  regular.times.resize(kN);
  for (int phase = 0; phase < 3; ++phase) {
    const auto r = rates(phase % 2);
    const double end = phase == 2 ? 2 * kTask + 1000.0 : (phase + 1) * kTask;
    for (std::uint32_t j = 0; j < kN; ++j) {
      if (r[j] == 0.0) continue;
      const double isi = 1000.0 / r[j];
      for (double t = phase * kTask + 0.5 + std::fmod(j * 3.7, isi); t < end; t += isi) {
        regular.times[j].push_back(std::round(t * 2.0) / 2.0);
      }
    }
  }
  Network net(0.5);
  const auto in = net.add_population("in", kN, regular);
  const auto lat = net.add_population("lat", 4, neurons::lif_psc_delta::params{});
  const auto out = net.add_population("out", 1, neurons::lif_psc_delta::params{});
  net.add_input(lat, PoissonInput{.rate = 2000.0, .weight = 1.0});
  net.add_modulator(ModulatorSpec{.name = "learn", .sources = {modulation::Schedule{{0.0, 2 * kTask}, {1.0, -1.0}}}});
  net.add_modulator(ModulatorSpec{.name = "goal", .sources = {modulation::Schedule{{0.0, kTask}, {1.5, -1.5}}}});
  const auto lateral = net.connect(
      in, lat, connect::AllToAll{},
      {.weight = Uniform{0.0, 1.0}, .delay = 1.0,
       .plasticity = PlasticitySpec{.rule = OjaSubspaceRule{.eta = 0.002},
                                    .apply = Interval{.interval = 1.0}, .w_min = -10.0, .w_max = 10.0}});
  net.add_subspace(SubspaceSpec{.name = "seen", .population = in, .learned_by = lateral,
                                .consolidate_at = {kTask}});
  net.connect(in, out, connect::AllToAll{},
              {.weight = 0.5, .delay = 1.0,
               .plasticity = PlasticitySpec{.rule = ErrorRule{.eta = 0.01, .target = "goal", .gate = "learn"},
                                            .apply = Interval{.interval = 1.0}, .w_min = -20.0,
                                            .w_max = 20.0, .projection = hlop ? "seen" : ""}});
  net.record_spikes(out);
  Simulation sim(net, {.seed = 1});
  sim.run(2 * kTask + 1000.0);
  auto rate = [&](double from, double to) {
    const SpikeRecord& s = sim.spikes(out);
    std::size_t n = 0;
    for (std::size_t k = 0; k < s.size(); ++k) n += s.time(k) >= from && s.time(k) < to;
    return static_cast<double>(n) * 1000.0 / (to - from);
  };
  return {rate(kTask - 1000.0, kTask), rate(2 * kTask - 1000.0, 2 * kTask),
          rate(2 * kTask, 2 * kTask + 1000.0)};
}

}  // namespace

TEST_CASE("HLOP in the engine: learning a second task keeps the first one's response") {
  const TwoTasks with = two_tasks(true), without = two_tasks(false);
  MESSAGE("A at the end of A " << with.a_after_a << " Hz; B at the end of B " << with.b_after_b << " / "
                               << without.b_after_b << " Hz; A afterwards " << with.a_after_b
                               << " Hz with HLOP, " << without.a_after_b << " Hz without");
  CHECK(with.a_after_a == without.a_after_a);  // the projection starts with task B
  CHECK(with.a_after_a > 60.0);                // task A learned
  CHECK(with.b_after_b < 5.0);                 // task B learned, with and without
  CHECK(without.b_after_b < 5.0);
  CHECK(std::abs(with.a_after_b - with.a_after_a) < 4.0);  // A kept
  CHECK(without.a_after_a - without.a_after_b > 8.0);      // A forgotten in part
}
