// LIF models against closed-form solutions (models.md V12, V13) and NEST's semantics.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "../support/single_neuron.hpp"

using namespace spikeq;
using Exp = neurons::lif_psc_exp;
using Alpha = neurons::lif_psc_alpha;
using Delta = neurons::lif_psc_delta;
using Cond = neurons::lif_cond_exp;

namespace {

constexpr double dt = 0.1;

/// V of neuron 0 sampled every step for `ms`, after one input spike of weight w at
/// `spike_ms` with delay `delay_ms` (no spike if w == 0).
template <typename Params>
StateTrace membrane_trace(const Params& p, double ms, double w = 0.0, double spike_ms = 1.0,
                          double delay_ms = 1.0, const std::string& var = "V",
                          const std::string& receptor = "") {
  Network net(dt);
  auto n = net.add_population("n", 1, p);
  if (w != 0.0) {
    auto src = net.add_population("src", 1, neurons::spike_source_array::params{{{spike_ms}}});
    net.connect(src, n, connect::OneToOne{}, {.weight = w, .delay = delay_ms, .receptor = receptor});
  }
  auto rec = net.record_state(n, var, {0}, dt);
  Simulation sim(net);
  sim.run(ms);
  // One sample per step: the tests' loops over samples cannot pass vacuously.
  StateTrace trace = sim.trace(rec);
  REQUIRE(trace.samples() == static_cast<std::size_t>(std::llround(ms / dt)));
  REQUIRE(trace.neurons.size() == 1);
  return trace;
}

void check_relative(double got, double want, double tol) {
  CAPTURE(got);
  CAPTURE(want);
  CHECK(std::fabs(got - want) <= tol * std::fabs(want) + 1e-300);
}

}  // namespace

TEST_CASE("lif_psc_exp: constant current follows the closed form to 1e-10 (V12)") {
  Exp::params p;
  p.I_e = 300.0;  // below rheobase (375 pA): no spike
  const auto tr = membrane_trace(p, 200.0);
  REQUIRE(tr.samples() == 2000);
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    const double t = static_cast<double>(tr.steps[k]) * dt;
    const double want = 300.0 * p.tau_m / p.C_m * (1.0 - std::exp(-t / p.tau_m));
    check_relative(tr.at(k, 0) - p.E_L, want, 1e-10);
  }
}

TEST_CASE("lif_psc_exp: one exponential PSC follows the closed form to 1e-10 (V12)") {
  Exp::params p;  // tau_m = 10, tau_syn = 2, C = 250
  const double w = 100.0;
  // Spike at 1.0 ms (stamp 10) with 1.0 ms delay: the current jumps at 2.0 ms (NEST).
  const auto tr = membrane_trace(p, 60.0, w, 1.0, 1.0);
  const auto cur = membrane_trace(p, 60.0, w, 1.0, 1.0, "I_ex");
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    const double t = static_cast<double>(tr.steps[k]) * dt - 2.0;
    const double v = tr.at(k, 0) - p.E_L;
    if (t < 1e-9) {
      CHECK(v == 0.0);
      if (t > -1e-9) CHECK(cur.at(k, 0) == doctest::Approx(w));
      continue;
    }
    const double ts = p.tau_syn_ex, tm = p.tau_m;
    const double want = w * ts * tm / (p.C_m * (tm - ts)) * (std::exp(-t / tm) - std::exp(-t / ts));
    check_relative(v, want, 1e-10);
  }
}

TEST_CASE("lif_psc_exp: equal membrane and synaptic time constants use the exact limit") {
  Exp::params p;
  p.tau_syn_ex = p.tau_m;
  const double w = 50.0;
  const auto tr = membrane_trace(p, 60.0, w, 1.0, 1.0);
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    const double t = static_cast<double>(tr.steps[k]) * dt - 2.0;
    if (t < 1e-9) continue;
    const double want = w * t / p.C_m * std::exp(-t / p.tau_m);
    check_relative(tr.at(k, 0) - p.E_L, want, 1e-10);
  }
}

TEST_CASE("lif_psc_alpha: one alpha PSC follows the closed form to 1e-10") {
  Alpha::params p;  // tau_m = 10, tau_syn = 2, C = 250
  const double w = 80.0;
  const auto tr = membrane_trace(p, 60.0, w, 1.0, 1.0);
  const auto cur = membrane_trace(p, 60.0, w, 1.0, 1.0, "I_ex");
  const double ts = p.tau_syn_ex, tm = p.tau_m, k = 1.0 / ts - 1.0 / tm;
  for (std::size_t s = 0; s < tr.samples(); ++s) {
    const double t = static_cast<double>(tr.steps[s]) * dt - 2.0;
    if (t < 1e-9) {
      CHECK(tr.at(s, 0) - p.E_L == 0.0);
      continue;
    }
    const double want = w * std::numbers::e / (ts * p.C_m) * std::exp(-t / tm) *
                        (1.0 - std::exp(-k * t) * (1.0 + k * t)) / (k * k);
    check_relative(tr.at(s, 0) - p.E_L, want, 1e-10);
    // The current is w (e/tau) t e^{-t/tau}: peak w at t = tau_syn.
    check_relative(cur.at(s, 0), w * std::numbers::e / ts * t * std::exp(-t / ts), 1e-12);
  }
}

TEST_CASE("lif_psc_exp: spike times match the analytic threshold crossing to one step (V13)") {
  Exp::params p;  // rheobase C (V_th - E_L) / tau_m = 375 pA
  SUBCASE("below rheobase: silent") {
    CHECK(test::spike_steps(Exp::params{.I_e = 370.0}, 0.0, dt, 10000).empty());
  }
  SUBCASE("above rheobase: first spike and every interval within one step") {
    for (double I : {400.0, 600.0, 1500.0}) {
      CAPTURE(I);
      p.I_e = I;
      const auto s = test::spike_steps(p, 0.0, dt, 5000);
      REQUIRE(s.size() >= 5);
      const double v_inf = I * p.tau_m / p.C_m;
      const double t_cross = p.tau_m * std::log(v_inf / (v_inf - 15.0));
      CHECK(std::fabs(static_cast<double>(s[0]) * dt - t_cross) <= dt);
      for (Step isi : test::intervals(s)) {
        CHECK(std::fabs(static_cast<double>(isi) * dt - (p.t_ref + t_cross)) <= dt);
      }
    }
  }
}

TEST_CASE("refractoriness: V is clamped at V_reset for exactly t_ref, input still charges I_syn") {
  Exp::params p;
  p.I_e = 1000.0;
  Network net(dt);
  auto n = net.add_population("n", 1, p);
  auto v = net.record_state(n, "V", {0}, dt);
  net.record_spikes(n);
  Simulation sim(net);
  sim.run(100.0);
  const auto& tr = sim.trace(v);
  const auto& sp = sim.spikes(n);
  REQUIRE(sp.size() >= 3);
  for (std::size_t k = 0; k + 1 < sp.size(); ++k) {
    const auto first = static_cast<std::size_t>(sp.steps[k] - 1);  // sample index of stamp
    for (std::size_t j = 0; j <= 20; ++j) CHECK(tr.at(first + j, 0) == p.V_reset.constant());
    CHECK(tr.at(first + 21, 0) > p.V_reset.constant());
  }

  // A PSC arriving during refractoriness: the current jumps, V stays clamped.
  Exp::params q;
  q.I_e = 0.0;
  auto src_times = neurons::spike_source_array::params{{{0.5, 1.7}}};
  Network net2(dt);
  auto m = net2.add_population("m", 1, q);
  auto src = net2.add_population("src", 1, src_times);
  // Arrivals at 1.5 ms (fires at 1.6 ms, refractory until 3.6 ms) and 2.7 ms.
  net2.connect(src, m, connect::OneToOne{}, {.weight = 1e5, .delay = 1.0});
  auto iex = net2.record_state(m, "I_ex", {0}, dt);
  auto vm = net2.record_state(m, "V", {0}, dt);
  net2.record_spikes(m);
  Simulation sim2(net2);
  sim2.run(20.0);
  REQUIRE(sim2.spikes(m).size() >= 1);
  CHECK(sim2.spikes(m).steps[0] == 16);
  const auto& I = sim2.trace(iex);
  const auto& V = sim2.trace(vm);
  // sample k holds the state at step k + 1
  CHECK(I.at(26, 0) == doctest::Approx(I.at(25, 0) * std::exp(-dt / q.tau_syn_ex) + 1e5));
  CHECK(V.at(26, 0) == q.V_reset.constant());
  // The stored charge fires it again in the first update after t_ref (20 steps).
  REQUIRE(sim2.spikes(m).size() >= 2);
  CHECK(sim2.spikes(m).steps[1] == 16 + 20 + 1);
}

TEST_CASE("lif_psc_delta: a weight is a voltage jump at the arrival step and refractory input is lost") {
  Delta::params p;
  p.tau_m = 1e12;  // no leak: V keeps every jump
  p.V_th = 1e6;
  const auto tr = membrane_trace(p, 10.0, 2.5, 1.0, 1.5);
  for (std::size_t k = 0; k < tr.samples(); ++k) {
    const Step step = tr.steps[k];
    CHECK(tr.at(k, 0) - p.E_L == doctest::Approx(step >= 25 ? 2.5 : 0.0).epsilon(1e-9));
  }

  Delta::params q;  // threshold 15 mV above rest: a 20 mV kick fires, then t_ref = 2 ms
  Network net(dt);
  auto n = net.add_population("n", 1, q);
  auto src = net.add_population("src", 1, neurons::spike_source_array::params{{{1.0, 2.0, 4.0}}});
  net.connect(src, n, connect::OneToOne{}, {.weight = 20.0, .delay = 1.0});
  auto v = net.record_state(n, "V", {0}, dt);
  net.record_spikes(n);
  Simulation sim(net);
  sim.run(6.0);
  // Arrivals at 2.0 (fires), 3.0 (inside t_ref: discarded), 5.0 (fires again).
  const auto& s = sim.spikes(n);
  REQUIRE(s.size() == 2);
  CHECK(s.steps[0] == 20);
  CHECK(s.steps[1] == 50);
  CHECK(sim.trace(v).at(30, 0) == q.V_reset.constant());  // t = 3.1 ms: jump was dropped
}

namespace {

/// Reference solution of the COBA membrane with RK4 at a tiny step.
double cond_reference(const Cond::params& p, double ge0, double gi0, double T) {
  const double h = 1e-4;
  double v = p.V_init.constant(), ge = ge0, gi = gi0;
  auto f = [&](double vv, double gee, double gii) {
    return (-p.g_L * (vv - p.E_L) - gee * (vv - p.E_ex) - gii * (vv - p.E_in) + p.I_e.constant()) / p.C_m;
  };
  const auto n = static_cast<long>(std::llround(T / h));
  for (long k = 0; k < n; ++k) {
    const double e1 = std::exp(-0.5 * h / p.tau_syn_ex), e2 = std::exp(-h / p.tau_syn_ex);
    const double i1 = std::exp(-0.5 * h / p.tau_syn_in), i2 = std::exp(-h / p.tau_syn_in);
    const double k1 = f(v, ge, gi);
    const double k2 = f(v + 0.5 * h * k1, ge * e1, gi * i1);
    const double k3 = f(v + 0.5 * h * k2, ge * e1, gi * i1);
    const double k4 = f(v + h * k3, ge * e2, gi * i2);
    v += h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
    ge *= e2;
    gi *= i2;
  }
  return v;
}

double cond_error(Cond::params p, double step) {
  Network net(step);
  auto n = net.add_population("n", 1, p);
  Simulation sim(net);
  sim.run(20.0);
  return std::fabs(sim.state(n, "V")[0] -
                   cond_reference(p, p.g_ex_init.constant(), p.g_in_init.constant(), 20.0));
}

}  // namespace

TEST_CASE("lif_cond_exp: exponential integrator converges at second order, Euler at first") {
  Cond::params p;  // COBA membrane
  p.C_m = 200.0; p.g_L = 10.0; p.E_L = -60.0; p.E_ex = 0.0; p.E_in = -80.0;
  p.tau_syn_ex = 5.0; p.tau_syn_in = 10.0; p.I_e = 50.0; p.V_init = -60.0;
  p.V_th = 50.0; p.V_reset = -60.0;
  p.g_ex_init = 20.0; p.g_in_init = 40.0;

  const double e1 = cond_error(p, 0.1), e2 = cond_error(p, 0.05), e3 = cond_error(p, 0.025);
  CAPTURE(e1); CAPTURE(e2); CAPTURE(e3);
  CHECK(e1 < 2e-3);                  // mV, at the benchmark's dt
  CHECK(e1 / e2 > 3.5);              // second order: error / 4 per halving
  CHECK(e2 / e3 > 3.5);

  p.integrator = Cond::Integrator::euler;
  const double f1 = cond_error(p, 0.1), f2 = cond_error(p, 0.05);
  CAPTURE(f1); CAPTURE(f2);
  CHECK(f1 / f2 > 1.7);              // first order
  CHECK(f1 / f2 < 2.5);
  CHECK(f1 > e1);
}

TEST_CASE("lif_cond_exp: a conductance jump equals the weight in nS and decays with tau_syn") {
  Cond::params p;
  const auto g = membrane_trace(p, 10.0, 3.0, 1.0, 1.0, "g_ex");
  for (std::size_t k = 0; k < g.samples(); ++k) {
    const double t = static_cast<double>(g.steps[k]) * dt - 2.0;
    if (t < -1e-9) {
      CHECK(g.at(k, 0) == 0.0);
    } else {
      CHECK(g.at(k, 0) == doctest::Approx(3.0 * std::exp(-t / p.tau_syn_ex)).epsilon(1e-12));
    }
  }
}
