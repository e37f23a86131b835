// Oja's subspace rule and Sanger's rule as event-driven plasticity: each synapse j -> i
// moves by eta dt y_i (scale x_j - x̂_j), the reconstruction x̂_j summed over the targets
// of source j (all of them, or those up to i in the target population's id order).
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "covariance.hpp"
#include "spikeq/plasticity/detail/learner.hpp"
#include "spikeq/plasticity/subspace.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using namespace spikeq::plasticity;

namespace {

constexpr double kEta = 0.05, kTauPre = 20.0, kTauPost = 10.0, kScale = 2.0;

/// Two sources (spikes at 10 and 12 ms) onto three targets, all to all, each target made
/// to fire once (at about 20, 24 and 27 ms); dt = 1 ms, every delay 1 ms.
struct Lateral {
  Network net{1.0};
  PopulationId pre, out;
  ProjectionId plastic;
};

Lateral lateral(const Rule& rule) {
  Lateral l;
  l.pre = l.net.add_population("pre", 2, neurons::spike_source_array::params{.times = {{10.0}, {12.0}}});
  const auto kick = l.net.add_population(
      "kick", 3, neurons::spike_source_array::params{.times = {{20.0}, {24.0}, {27.0}}});
  neurons::lif_psc_delta::params lif;
  lif.t_ref = 50.0;  // one postsynaptic spike each
  l.out = l.net.add_population("out", 3, lif);
  l.net.connect(kick, l.out, connect::OneToOne{}, {.weight = 100.0, .delay = 1.0});
  l.plastic = l.net.connect(
      l.pre, l.out, connect::AllToAll{},
      {.weight = Uniform{0.2, 0.9}, .delay = 1.0,
       .plasticity = PlasticitySpec{.rule = rule, .w_min = -5.0, .w_max = 5.0}});
  l.net.record_spikes(l.out);
  return l;
}

/// The weights after 40 ms, by (source, target), as the rule's formula gives them from
/// the initial weights and the spike times the engine produced.
std::map<std::pair<std::uint32_t, std::uint32_t>, double> expected(const SynapseList& start,
                                                                   const SpikeRecord& posts,
                                                                   bool sanger) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> w;
  for (std::size_t k = 0; k < start.sources.size(); ++k) w[{start.sources[k], start.targets[k]}] = start.weights[k];
  std::vector<double> q(3, 1e9);
  for (std::size_t k = 0; k < posts.steps.size(); ++k) q[posts.neurons[k]] = posts.time(k);
  const double arrival[2] = {11.0, 13.0};  // presynaptic spikes reach the synapses
  for (double t = 1.0; t <= 40.0; t += 1.0) {
    for (std::uint32_t s = 0; s < 2; ++s) {
      const double x = t >= arrival[s] ? std::exp(-(t - arrival[s]) / kTauPre) : 0.0;
      std::vector<double> y(3);
      for (std::uint32_t i = 0; i < 3; ++i) y[i] = t >= q[i] ? std::exp(-(t - q[i]) / kTauPost) : 0.0;
      double recon = 0.0;
      if (!sanger) {
        for (std::uint32_t i = 0; i < 3; ++i) recon += w[{s, i}] * y[i];
      }
      for (std::uint32_t i = 0; i < 3; ++i) {
        if (sanger) recon += w[{s, i}] * y[i];
        w[{s, i}] += kEta * y[i] * (kScale * x - recon);
      }
    }
  }
  return w;
}

void check_rule(const Rule& rule, bool sanger) {
  Lateral l = lateral(rule);
  Simulation sim(l.net);
  const SynapseList start = sim.synapses(l.plastic);
  REQUIRE(start.sources.size() == 6);
  sim.run(40.0);
  REQUIRE(sim.spikes(l.out).steps.size() == 3);
  const auto want = expected(start, sim.spikes(l.out), sanger);
  const std::vector<float> got = sim.weights(l.plastic);
  for (std::size_t k = 0; k < got.size(); ++k) {
    CAPTURE(k);
    CHECK(got[k] == doctest::Approx(want.at({start.sources[k], start.targets[k]})).epsilon(1e-5));
    CHECK(got[k] != doctest::Approx(start.weights[k]));
  }
}

}  // namespace

TEST_CASE("Oja's subspace rule: dw_ij = eta dt y_i (scale x_j - sum_k w_kj y_k), every step") {
  check_rule(OjaSubspaceRule{.eta = kEta, .tau_pre = kTauPre, .tau_post = kTauPost, .scale = kScale},
             false);
}

TEST_CASE("Sanger's rule: dw_ij = eta dt y_i (scale x_j - sum_{k<=i} w_kj y_k), every step") {
  check_rule(SangerRule{.eta = kEta, .tau_pre = kTauPre, .tau_post = kTauPost, .scale = kScale}, true);
}

TEST_CASE("Sanger's rule with a single target is Oja's rule, bit for bit") {
  auto run = [](const Rule& rule) {
    Network net(1.0);
    const auto pre = net.add_population("pre", 4, neurons::poisson_source::params{.rate = 80.0});
    const auto out = net.add_population("out", 1, neurons::lif_psc_delta::params{});
    net.add_input(out, PoissonInput{.rate = 3000.0, .weight = 2.0});
    const auto proj = net.connect(
        pre, out, connect::AllToAll{},
        {.weight = Uniform{0.1, 0.6}, .delay = 1.0,
         .plasticity = PlasticitySpec{.rule = rule, .apply = Interval{.interval = 2.0},
                                      .w_min = -5.0, .w_max = 5.0}});
    Simulation sim(net, {.seed = 3});
    sim.run(300.0);
    return sim.weights(proj);
  };
  const auto oja = run(OjaRule{.eta = 0.01, .scale = 1.5});
  CHECK(oja != run(OjaRule{.eta = 0.0, .scale = 1.5}));
  CHECK(run(SangerRule{.eta = 0.01, .scale = 1.5}) == oja);
  CHECK(run(OjaSubspaceRule{.eta = 0.01, .scale = 1.5}) == oja);
}

TEST_CASE("a population learning by a subspace rule is one tile, of at most 65536 neurons") {
  auto build = [](std::uint32_t n) {
    Network net(0.1);
    const auto pre = net.add_population("pre", 3, neurons::poisson_source::params{.rate = 10.0});
    const auto lat = net.add_population("lateral", n, neurons::lif_psc_delta::params{});
    net.connect(pre, lat, connect::FixedIndegree{1},
                {.weight = 0.5, .delay = 1.0,
                 .plasticity = PlasticitySpec{.rule = SangerRule{}, .w_min = -1.0, .w_max = 1.0}});
    Simulation sim(net);
    sim.run(5.0);
    return sim.weights(ProjectionId{0}).size();
  };
  CHECK(build(5000) == 5000);  // several tiles' worth without the rule
  try {
    (void)build(70000);
    FAIL("a 70000-neuron Sanger population was built");
  } catch (const CapacityError& e) {
    CHECK(std::string(e.what()).find("population 'lateral' learns by Oja's subspace or Sanger's rule") !=
          std::string::npos);
    CHECK(std::string(e.what()).find("70000") != std::string::npos);
  }
}

TEST_CASE("Sanger's order is the population's neuron ids, whatever order the engine keeps") {
  auto run = [](Reordering order) {
    Network net(0.5);
    const auto pre = net.add_population("pre", 12, neurons::poisson_source::params{.rate = 60.0});
    const auto lat = net.add_population("lateral", 60, neurons::lif_psc_delta::params{});
    net.add_input(lat, PoissonInput{.rate = 4000.0, .weight = 2.0});
    net.connect(lat, lat, connect::FixedProbability{0.1}, {.weight = 0.3, .delay = 1.5});
    const auto proj = net.connect(
        pre, lat, connect::FixedProbability{0.5},
        {.weight = Uniform{0.1, 0.6}, .delay = 1.0,
         .plasticity = PlasticitySpec{.rule = SangerRule{.eta = 0.02}, .w_min = -5.0, .w_max = 5.0}});
    net.set_reordering(lat, order);
    Simulation sim(net, {.seed = 11});
    sim.run(200.0);
    const SynapseList s = sim.synapses(proj);
    std::map<std::pair<std::uint32_t, std::uint32_t>, float> by_pair;
    for (std::size_t k = 0; k < s.sources.size(); ++k) by_pair[{s.sources[k], s.targets[k]}] = s.weights[k];
    return by_pair;
  };
  const auto plain = run(Reordering::none);
  const auto reordered = run(Reordering::cuthill_mckee);
  CHECK(plain == reordered);
}

namespace {

/// The engine's update (Learner::subspace_update, what every backend runs) fed samples of
/// a known covariance: m targets all-to-all from n = kN sources; before each update the
/// presynaptic traces hold the sample x and the postsynaptic ones y = W x.
struct LearnerHarness {
  std::size_t m;
  std::vector<spikeq::detail::PlasticProjection::Trace> traces;
  std::vector<std::uint32_t> position, post_syn, src_pos, src_target;
  std::vector<std::uint64_t> post_ptr, src_ptr;
  std::vector<double> x_post;
  std::vector<spikeq::Step> post_last;
  std::vector<float> w;
  spikeq::detail::Decay unit{1.0, 1.0};  // read at lag 0 only: factor 1
  spikeq::detail::Learner learner;

  LearnerHarness(hebbian::HebbianRule form, const std::vector<double>& start, std::size_t rows)
      : m(rows), learner{} {
    namespace cov = spikeq_test::covariance;
    const std::size_t n = cov::kN;
    traces.resize(m * n);
    w.assign(start.begin(), start.end());  // synapse k = i n + s: row i, column s
    for (std::uint32_t k = 0; k < m * n; ++k) {
      position.push_back(k);
      post_syn.push_back(k);
    }
    for (std::size_t i = 0; i <= m; ++i) post_ptr.push_back(i * n);
    for (std::size_t s = 0; s <= n; ++s) src_ptr.push_back(s * m);
    for (std::uint32_t s = 0; s < n; ++s) {
      for (std::uint32_t i = 0; i < m; ++i) {
        src_pos.push_back(static_cast<std::uint32_t>(i * n + s));
        src_target.push_back(i);
      }
    }
    x_post.assign(m, 0.0);
    post_last.assign(m, 0);
    learner.r = spikeq::detail::PlasticRule{};
    learner.r.kind = spikeq::detail::PlasticProjection::Kind::hebbian;
    learner.r.form = form;
    learner.r.w_min = -1e30;
    learner.r.w_max = 1e30;
    learner.r.scale = 1.0;
    learner.r.pre_decay = learner.r.post_decay = unit.view();
    learner.a = spikeq::detail::PlasticArrays{traces.data(), position.data(), post_ptr.data(),
                                              post_syn.data(), x_post.data(), post_last.data(),
                                              w.data(), src_ptr.data(), src_pos.data(),
                                              src_target.data(), nullptr, 0, nullptr, nullptr};
  }

  /// One sample x at step t with learning rate eta.
  void step(const double* x, double eta, spikeq::Step t) {
    const std::size_t n = spikeq_test::covariance::kN;
    for (std::size_t i = 0; i < m; ++i) {
      double y = 0.0;
      for (std::size_t s = 0; s < n; ++s) y += double{w[i * n + s]} * x[s];
      x_post[i] = y;
      post_last[i] = t;
    }
    for (std::size_t k = 0; k < m * n; ++k) traces[k] = {static_cast<float>(x[k % n]), 0.0f, t};
    learner.r.eta_step = eta;
    if (learner.r.form == hebbian::HebbianRule::oja) {
      for (std::uint32_t i = 0; i < m; ++i) learner.oja_update(i, t);
      return;
    }
    for (std::uint32_t s = 0; s < n; ++s) learner.subspace_update(s, t);
  }

  [[nodiscard]] std::vector<double> rows() const { return {w.begin(), w.end()}; }
};

/// Runs the documented schedule of test_hebbian.cpp through the engine's update.
std::vector<double> learn_through_engine(hebbian::HebbianRule form, std::size_t samples,
                                         const spikeq_test::covariance::Source& src,
                                         std::uint64_t seed, std::size_t rows = 3) {
  namespace cov = spikeq_test::covariance;
  cov::Normals z(seed);
  LearnerHarness h(form, cov::small_rows(rows, z), rows);
  std::vector<double> x(cov::kN);
  for (std::size_t t = 0; t < samples; ++t) {
    src.draw(z, x.data());
    h.step(x.data(), cov::kEta0 / (1.0 + static_cast<double>(t) / cov::kT0), static_cast<spikeq::Step>(t + 1));
  }
  return h.rows();
}

}  // namespace

TEST_CASE("the engine's Hebbian rules find the principal subspace of a known covariance") {
  namespace cov = spikeq_test::covariance;
  struct Case {
    hebbian::HebbianRule form;
    std::size_t samples, rows;
    std::uint64_t seed;  // of the source; the rows' draws use seed + 1
  };
  for (const Case& c : {Case{hebbian::HebbianRule::oja, cov::kOjaSamples, 1, 11},
                        Case{hebbian::HebbianRule::oja_subspace, cov::kSubspaceSamples, 3, 21},
                        Case{hebbian::HebbianRule::sanger, cov::kSangerSamples, 3, 31}}) {
    const cov::Source src = cov::spectrum_source(c.seed);
    const auto h = learn_through_engine(c.form, c.samples, src, c.seed + 1, c.rows);
    const double angle = principal_angle_degrees(h.data(), c.rows, src.rows(0), c.rows, cov::kN);
    MESSAGE("engine " << hebbian_names[static_cast<std::size_t>(c.form)].name
                      << ": largest principal angle " << angle << " deg after " << c.samples << " samples");
    CHECK(angle < 1.0);
    if (c.form != hebbian::HebbianRule::sanger) continue;
    for (std::size_t i = 0; i < c.rows; ++i) {
      CHECK(cov::line_angle(h.data() + i * cov::kN, src.rows(i), cov::kN) < 3.0);  // in order
    }
  }
}
