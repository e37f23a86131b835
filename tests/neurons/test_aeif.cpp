// aeif_cond_exp (Brette & Gerstner 2005; NEST's aeif_cond_exp) against closed forms, a
// fine reference integration computed here, its published firing patterns (Naud et al.
// 2008), NEST's parameter checks and refractoriness, the YAML reader and the backends.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "spikeq/io/model_file.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;
using Aeif = neurons::aeif_cond_exp;

namespace {

// ---------------------------------------------------------------------------------------
// The reference: classical RK4 of (V, w, g_ex, g_in) with a fine step (1e-4 ms, 1000
// steps per 0.1 ms), V bounded by V_peak in the right-hand side as in NEST. A fine step
// that ends at V >= V_peak is bisected (40 halvings of its length) for the crossing, where
// V and w are reset, and the rest of the fine step is integrated from there. Nothing in it
// is shared with the model's integrator (no change of variable, no quadrature).

struct RefNeuron {
  double E_L, C_m, g_L, E_ex, E_in, tau_ex, tau_in, Delta_T, tau_w, V_peak;
  double V_th, V_reset, a, b, V_init = 0.0, w_init = 0.0;

  static RefNeuron of(const Aeif::params& p) {
    return {p.E_L,     p.C_m,   p.g_L,   p.E_ex,
            p.E_in,    p.tau_syn_ex,     p.tau_syn_in,
            p.Delta_T, p.tau_w, p.V_peak, p.V_th.constant(),
            p.V_reset.constant(), p.a.constant(), p.b.constant(),
            p.V_init.constant(),  p.w_init.constant()};
  }
};

struct Jump {
  double t;       // ms, on the grid
  double weight;  // nS
  int receptor;   // 0 ex, 1 in
};

struct RefResult {
  std::vector<double> spikes;   // crossing times (ms)
  std::vector<double> V, w;     // at t = k dt, k = 1 .. steps
};

/// Integrates `duration` ms; `current(t)` is the current (pA) of the step that starts at t;
/// the state is sampled every `sample_dt`.
RefResult reference(const RefNeuron& n, const std::function<double(double)>& current,
                    std::vector<Jump> jumps, double duration, double sample_dt) {
  constexpr double h = 1e-4;
  std::sort(jumps.begin(), jumps.end(), [](const Jump& x, const Jump& y) { return x.t < y.t; });
  const double spike_at = n.Delta_T > 0.0 ? n.V_peak : n.V_th;
  auto f = [&](const std::array<double, 4>& y, double I) {
    const double v = std::min(y[0], n.V_peak);
    const double e =
        n.Delta_T > 0.0 ? n.g_L * n.Delta_T * std::exp((v - n.V_th) / n.Delta_T) : 0.0;
    return std::array<double, 4>{
        (-n.g_L * (v - n.E_L) + e - y[2] * (v - n.E_ex) - y[3] * (v - n.E_in) - y[1] + I) /
            n.C_m,
        (n.a * (v - n.E_L) - y[1]) / n.tau_w, -y[2] / n.tau_ex, -y[3] / n.tau_in};
  };
  auto rk4 = [&](std::array<double, 4> y, double I, double len) {
    auto add = [](const std::array<double, 4>& a, const std::array<double, 4>& k, double c) {
      return std::array<double, 4>{a[0] + c * k[0], a[1] + c * k[1], a[2] + c * k[2],
                                   a[3] + c * k[3]};
    };
    const auto k1 = f(y, I);
    const auto k2 = f(add(y, k1, len / 2), I);
    const auto k3 = f(add(y, k2, len / 2), I);
    const auto k4 = f(add(y, k3, len), I);
    for (int c = 0; c < 4; ++c) y[c] += len / 6 * (k1[c] + 2 * k2[c] + 2 * k3[c] + k4[c]);
    return y;
  };
  RefResult r;
  std::array<double, 4> y{n.V_init, n.w_init, 0.0, 0.0};
  const auto steps = static_cast<std::int64_t>(std::llround(duration / h));
  const auto per_sample = static_cast<std::int64_t>(std::llround(sample_dt / h));
  std::size_t next_jump = 0;
  for (std::int64_t m = 0; m < steps; ++m) {
    const double t = static_cast<double>(m) * h;
    while (next_jump < jumps.size() && jumps[next_jump].t <= t + h / 2) {
      y[2 + jumps[next_jump].receptor] += jumps[next_jump].weight;
      ++next_jump;
    }
    const double I = current(t);
    auto y1 = rk4(y, I, h);
    if (y1[0] >= spike_at) {
      double lo = 0.0, hi = h;
      for (int k = 0; k < 40; ++k) {
        const double mid = 0.5 * (lo + hi);
        (rk4(y, I, mid)[0] >= spike_at ? hi : lo) = mid;
      }
      y1 = rk4(y, I, hi);
      r.spikes.push_back(t + hi);
      y1[0] = n.V_reset;
      y1[1] += n.b;
      y1 = rk4(y1, I, h - hi);
    }
    y = y1;
    if ((m + 1) % per_sample == 0) {
      r.V.push_back(y[0]);
      r.w.push_back(y[1]);
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------
// spikeq runs of one neuron.

struct Run {
  std::vector<double> spikes;  // stamp * dt (ms)
  StateTrace V, w;
};

Run run_one(const Aeif::params& p, double dt, double duration,
            const CurrentInput& current = CurrentInput::dc(0.0),
            const std::vector<std::pair<double, double>>& ex = {},  // (source time, nS)
            const std::vector<std::pair<double, double>>& in = {}) {
  Network net(dt);
  auto n = net.add_population("n", 1, p);
  net.add_input(n, current);
  auto add_train = [&](const std::vector<std::pair<double, double>>& train, const char* rec) {
    if (train.empty()) return;
    std::vector<double> times;
    for (const auto& spike : train) times.push_back(spike.first);
    auto s = net.add_population(std::string("src_") + rec, 1,
                                neurons::spike_source_array::params{{times}});
    // One synapse carries the whole train, so a train has one weight (its first).
    net.connect(s, n, connect::OneToOne{},
                {.weight = train[0].second, .delay = dt, .receptor = rec});
  };
  add_train(ex, "ex");
  add_train(in, "in");
  net.record_spikes(n);
  auto v = net.record_state(n, "V", {0}, dt);
  auto w = net.record_state(n, "w", {0}, dt);
  Simulation sim(net);
  sim.run(duration);
  Run r;
  for (Step s : sim.spikes(n).steps) r.spikes.push_back(static_cast<double>(s) * dt);
  r.V = sim.trace(v);
  r.w = sim.trace(w);
  return r;
}

std::vector<double> isis(const std::vector<double>& s) {
  std::vector<double> out;
  for (std::size_t k = 1; k < s.size(); ++k) out.push_back(s[k] - s[k - 1]);
  return out;
}

/// Every spikeq stamp lies in [t, t + dt] of the reference crossing t, up to `slack`:
/// a grid-constrained simulator can do no better.
void check_stamps(const std::vector<double>& got, const std::vector<double>& want, double dt,
                  double slack) {
  CAPTURE(dt);
  REQUIRE(got.size() == want.size());
  double lo = 1e9, hi = -1e9;
  for (std::size_t k = 0; k < got.size(); ++k) {
    lo = std::min(lo, got[k] - want[k]);
    hi = std::max(hi, got[k] - want[k]);
  }
  CAPTURE(lo);
  CAPTURE(hi);
  MESSAGE(got.size() << " spikes at dt = " << dt << " ms: stamp - reference in [" << lo << ", "
                     << hi << "] ms");
  CHECK(lo >= -slack);
  CHECK(hi <= dt + slack);
}

/// Naud, Marcille, Clopath & Gerstner (2008), Biol Cybern 99:335, Table 1 (V_peak 0 mV).
struct Pattern {
  const char* name;
  double C, g_L, E_L, V_T, Delta_T, a, tau_w, b, V_r, I;
};
constexpr Pattern kTonic{"tonic", 200, 10, -70, -50, 2, 2, 30, 0, -58, 500};
constexpr Pattern kAdapting{"adapting", 200, 12, -70, -50, 2, 2, 300, 60, -58, 500};
constexpr Pattern kInitialBurst{"initial burst", 130, 18, -58, -50, 2, 4, 150, 120, -50, 400};
constexpr Pattern kBursting{"regular bursting", 200, 10, -58, -50, 2, 2, 120, 100, -46, 210};

Aeif::params params_of(const Pattern& q) {
  Aeif::params p;
  p.C_m = q.C;
  p.g_L = q.g_L;
  p.E_L = q.E_L;
  p.V_th = q.V_T;
  p.Delta_T = q.Delta_T;
  p.a = q.a;
  p.tau_w = q.tau_w;
  p.b = q.b;
  p.V_reset = q.V_r;
  p.I_e = q.I;
  p.V_init = q.E_L;
  return p;
}

double zero(double) { return 0.0; }

}  // namespace

TEST_CASE("aeif_cond_exp: NEST's defaults, receptors and recordables with their units") {
  const Aeif::params p;
  CHECK(p.C_m == 281.0);
  CHECK(p.g_L == 30.0);
  CHECK(p.E_L == -70.6);
  CHECK(p.V_th.constant() == -50.4);
  CHECK(p.Delta_T == 2.0);
  CHECK(p.tau_w == 144.0);
  CHECK(p.a.constant() == 4.0);
  CHECK(p.b.constant() == 80.5);
  CHECK(p.V_peak == 0.0);
  CHECK(p.V_reset.constant() == -60.0);
  CHECK(p.t_ref == 0.0);
  CHECK(p.E_ex == 0.0);
  CHECK(p.E_in == -85.0);
  CHECK(p.tau_syn_ex == 0.2);
  CHECK(p.tau_syn_in == 2.0);
  CHECK(p.I_e.constant() == 0.0);
  CHECK(p.V_init.constant() == -70.6);  // NEST starts at E_L
  CHECK(std::find(neurons::model_names.begin(), neurons::model_names.end(), "aeif_cond_exp") !=
        neurons::model_names.end());
  auto unit = [](std::string_view var) {
    for (const auto& r : Aeif::recordables) {
      if (r.name == var) return std::string(r.unit);
    }
    return std::string("?");
  };
  CHECK(unit("V") == "mV");
  CHECK(unit("w") == "pA");
  CHECK(unit("g_ex") == "nS");
  CHECK(unit("g_in") == "nS");
  REQUIRE(Aeif::receptors.size() == 2);
  CHECK(Aeif::receptors[0].name == "ex");
  CHECK(Aeif::receptors[1].weight_unit == "nS");
}

TEST_CASE("aeif_cond_exp: with a = 0 and Delta_T -> 0 the membrane is passive (closed form)") {
  for (double delta : {0.0, 0.5}) {
    CAPTURE(delta);
    Aeif::params p;
    p.a = 0.0;
    p.b = 0.0;
    p.Delta_T = delta;  // V stays 27 Delta_T below V_th: e^-27, far below round-off
    p.I_e = 200.0;
    const Run r = run_one(p, 0.1, 200.0);
    CHECK(r.spikes.empty());
    const double tau_m = p.C_m / p.g_L, v_inf = p.I_e.constant() / p.g_L;
    double worst = 0.0;
    for (std::size_t k = 0; k < r.V.samples(); ++k) {
      const double t = static_cast<double>(r.V.steps[k]) * 0.1;
      const double want = p.E_L + v_inf * (1.0 - std::exp(-t / tau_m));
      worst = std::max(worst, std::fabs(r.V.at(k, 0) - want));
      CHECK(r.w.at(k, 0) == 0.0);
    }
    CAPTURE(worst);
    CHECK(worst < 1e-10);  // mV
  }
}

TEST_CASE("aeif_cond_exp: subthreshold V and w with adaptation and the exponential term match "
          "a fine reference") {
  Aeif::params p;  // NEST defaults; 450 pA stays below rheobase
  p.I_e = 450.0;
  for (double dt : {0.1, 0.01}) {
    CAPTURE(dt);
    const Run r = run_one(p, dt, 300.0);
    const RefResult ref = reference(RefNeuron::of(p), [](double) { return 450.0; }, {}, 300.0, dt);
    CHECK(r.spikes.empty());
    CHECK(ref.spikes.empty());
    REQUIRE(ref.V.size() == r.V.samples());
    double ev = 0.0, ew = 0.0;
    for (std::size_t k = 0; k < ref.V.size(); ++k) {
      ev = std::max(ev, std::fabs(r.V.at(k, 0) - ref.V[k]));
      ew = std::max(ew, std::fabs(r.w.at(k, 0) - ref.w[k]));
    }
    CAPTURE(ev);
    CAPTURE(ew);
    CHECK(ev < 1e-7);  // mV
    CHECK(ew < 1e-7);  // pA
    CHECK(r.V.at(r.V.samples() - 1, 0) > -60.0);  // it did climb towards V_th
  }
}

TEST_CASE("aeif_cond_exp: firing patterns of Naud et al. 2008, spike times within the step of "
          "a fine reference") {
  for (const Pattern& q : {kTonic, kAdapting, kInitialBurst, kBursting}) {
    const std::string name = q.name;
    CAPTURE(name);
    const Aeif::params p = params_of(q);
    const RefResult ref = reference(RefNeuron::of(p), [&](double) { return q.I; }, {}, 500.0, 0.1);
    for (double dt : {0.1, 0.01}) {
      const Run r = run_one(p, dt, 500.0);
      check_stamps(r.spikes, ref.spikes, dt, 2e-3);
    }
    const auto isi = isis(ref.spikes);
    REQUIRE(isi.size() >= 5);
    MESSAGE(name << ": " << ref.spikes.size() << " spikes in 500 ms, first ISIs " << isi[0]
                   << ", " << isi[1] << ", " << isi[2] << " ms, last " << isi.back() << " ms");
    if (name == "tonic") {
      // Regular firing: the intervals change by less than 10% after the first.
      CHECK(isi.back() < 1.1 * isi[1]);
      CHECK(isi.back() > isi[0]);
    } else if (name == "adapting") {
      // Intervals grow monotonically and settle.
      for (std::size_t k = 1; k < isi.size(); ++k) CHECK(isi[k] >= isi[k - 1] - 1e-9);
      CHECK(isi.back() > 3.0 * isi[0]);
    } else if (name == "initial burst") {
      // A burst of short intervals, then regular long ones.
      CHECK(isi[0] < 10.0);
      CHECK(isi[1] < 10.0);
      CHECK(isi.back() > 40.0);
    } else {
      // Bursts: short intervals inside, long ones between, repeatedly.
      const auto longs = std::count_if(isi.begin(), isi.end(), [](double x) { return x > 50.0; });
      const auto shorts = std::count_if(isi.begin(), isi.end(), [](double x) { return x < 10.0; });
      CHECK(isi[0] < 10.0);
      CHECK(isi[1] < 10.0);
      CHECK(longs >= 2);
      CHECK(shorts >= longs);
    }
  }
}

TEST_CASE("aeif_cond_exp: spike-frequency adaptation under a current step (Brette & Gerstner "
          "2005)") {
  const Aeif::params p;  // NEST defaults
  const auto step = CurrentInput::steps({100.0}, {800.0});
  const Run r = run_one(p, 0.1, 1000.0, step);
  const RefResult ref = reference(
      RefNeuron::of(p), [](double t) { return t >= 100.0 - 1e-9 ? 800.0 : 0.0; }, {}, 1000.0, 0.1);
  check_stamps(r.spikes, ref.spikes, 0.1, 2e-3);
  REQUIRE(r.spikes.size() >= 8);
  CHECK(r.spikes[0] > 100.0);
  CHECK(r.spikes[0] < 120.0);
  const auto isi = isis(r.spikes);
  // The intervals grow (to within a step, the stamps' resolution) and converge.
  for (std::size_t k = 1; k < isi.size(); ++k) CHECK(isi[k] >= isi[k - 1] - 0.1 - 1e-9);
  CHECK(isi.back() > 2.5 * isi[0]);
  const std::size_t n = isi.size();
  CHECK(std::fabs(isi[n - 1] - isi[n - 2]) <= 0.2 + 1e-9);
  CHECK(std::fabs(isi[n - 2] - isi[n - 3]) <= 0.2 + 1e-9);
  MESSAGE("Brette-Gerstner defaults, 800 pA step at 100 ms: " << r.spikes.size()
          << " spikes, first at " << r.spikes[0] << " ms, ISIs " << isi[0] << ", " << isi[1]
          << ", " << isi[2] << " ... " << isi.back() << " ms");
  // w jumps by b at every spike and decays in between: it ends well above its start.
  CHECK(r.w.at(r.w.samples() - 1, 0) > 2.0 * p.b.constant());
}

TEST_CASE("aeif_cond_exp: the rheobase current (Touboul 2008)") {
  SUBCASE("a = 0: I_rh = g_L (V_th - E_L - Delta_T)") {
    Aeif::params p;
    p.a = 0.0;
    p.b = 0.0;
    const double rh = p.g_L * (p.V_th.constant() - p.E_L - p.Delta_T);  // 546 pA
    p.I_e = 0.99 * rh;
    CHECK(run_one(p, 0.1, 2000.0).spikes.empty());
    p.I_e = 1.01 * rh;
    CHECK(run_one(p, 0.1, 2000.0).spikes.size() >= 3);
  }
  SUBCASE("saddle-node case, a/g_L < tau_m/tau_w: I_rh = (g_L + a)(V_th - E_L - Delta_T + "
          "Delta_T ln(1 + a/g_L))") {
    Aeif::params p;
    p.a = 1.0;
    p.b = 0.0;
    const double g = p.g_L, a = 1.0, dT = p.Delta_T, el = p.E_L, vt = p.V_th.constant();
    REQUIRE(a / g < (p.C_m / g) / p.tau_w);
    const double rh = (g + a) * (vt - el - dT + dT * std::log(1.0 + a / g));
    // Start at the resting state of 0.99 I_rh (the lower root of the V nullcline with
    // w = a (V - E_L)), so that slow adaptation cannot lag behind a fast rise of V.
    auto rest = [&](double I) {
      double lo = el - 10.0, hi = vt - dT * std::log(1.0 + a / g);  // the nullcline's minimum
      for (int k = 0; k < 200; ++k) {
        const double v = 0.5 * (lo + hi);
        const double net = -(g + a) * (v - el) + g * dT * std::exp((v - vt) / dT) + I;
        (net > 0.0 ? lo : hi) = v;
      }
      return 0.5 * (lo + hi);
    };
    const double v0 = rest(0.99 * rh);
    p.V_init = v0;
    p.w_init = a * (v0 - el);
    p.I_e = 0.99 * rh;
    CHECK(run_one(p, 0.1, 2000.0).spikes.empty());
    p.I_e = 1.01 * rh;
    CHECK(run_one(p, 0.1, 2000.0).spikes.size() >= 3);
  }
}

TEST_CASE("aeif_cond_exp: Delta_T = 0 is the LIF limit, with the LIF's intervals") {
  Aeif::params p;
  p.Delta_T = 0.0;
  p.a = 0.0;
  p.b = 0.0;
  p.I_e = 1000.0;
  const Run r = run_one(p, 0.1, 300.0);
  const double tau_m = p.C_m / p.g_L, v_inf = p.E_L + 1000.0 / p.g_L;
  const double vt = p.V_th.constant(), vr = p.V_reset.constant();
  const double first = tau_m * std::log((v_inf - p.E_L) / (v_inf - vt));
  const double isi = tau_m * std::log((v_inf - vr) / (v_inf - vt));
  REQUIRE(r.spikes.size() >= 10);
  std::vector<double> want;
  for (std::size_t k = 0; k < r.spikes.size(); ++k) want.push_back(first + k * isi);
  check_stamps(r.spikes, want, 0.1, 1e-6);
  // V never exceeds V_th in a sample: the spike is V >= V_th.
  for (std::size_t k = 0; k < r.V.samples(); ++k) CHECK(r.V.at(k, 0) < vt);
}

TEST_CASE("aeif_cond_exp: refractoriness clamps V at V_reset while w relaxes, input still "
          "charges g") {
  Aeif::params p;
  p.t_ref = 2.0;  // 20 steps
  p.I_e = 2000.0;
  const double dt = 0.1;
  const Run r = run_one(p, dt, 100.0);
  REQUIRE(r.spikes.size() >= 3);
  const double vr = p.V_reset.constant();
  const double w_inf = p.a.constant() * (vr - p.E_L);
  for (std::size_t s = 0; s + 1 < r.spikes.size(); ++s) {
    const auto first = static_cast<std::size_t>(std::llround(r.spikes[s] / dt)) - 1;  // sample
    CHECK(r.V.at(first, 0) == vr);  // reset inside the spiking step, clamped to its end
    for (std::size_t j = 1; j <= 20; ++j) {
      CHECK(r.V.at(first + j, 0) == vr);
      const double want = w_inf + (r.w.at(first, 0) - w_inf) * std::exp(-double(j) * dt / p.tau_w);
      CHECK(r.w.at(first + j, 0) == doctest::Approx(want).epsilon(1e-12));
    }
    CHECK(r.V.at(first + 21, 0) > vr);
    CHECK(std::llround((r.spikes[s + 1] - r.spikes[s]) / dt) > 21);
  }

  // A conductance arriving while refractory: g jumps, V stays clamped.
  Aeif::params q;
  q.t_ref = 5.0;
  q.V_init = -1.0;  // above V_th: it fires in the first step
  Network net(dt);
  auto n = net.add_population("n", 1, q);
  auto src = net.add_population("src", 1, neurons::spike_source_array::params{{{0.95}}});
  net.connect(src, n, connect::OneToOne{}, {.weight = 10.0, .delay = 1.0, .receptor = "ex"});
  auto g = net.record_state(n, "g_ex", {0}, dt);
  auto v = net.record_state(n, "V", {0}, dt);
  net.record_spikes(n);
  Simulation sim(net);
  sim.run(10.0);
  REQUIRE(sim.spikes(n).size() >= 1);
  CHECK(sim.spikes(n).steps[0] == 1);
  const auto& G = sim.trace(g);
  const auto& V = sim.trace(v);
  // stamp 10 + 10 steps of delay: g_ex is 10 nS in the state at step 20 (sample 19)
  CHECK(G.at(18, 0) == 0.0);
  CHECK(G.at(19, 0) == 10.0);
  for (std::size_t k = 0; k <= 50; ++k) CHECK(V.at(k, 0) == q.V_reset.constant());
  CHECK(V.at(51, 0) < q.V_reset.constant());  // released: it relaxes towards E_L
}

TEST_CASE("aeif_cond_exp: a weight adds w nS to g, which decays with tau_syn, and conductance-driven "
          "spikes match the reference") {
  Aeif::params p;
  {
    Network net(0.1);
    auto n = net.add_population("n", 1, p);
    auto src = net.add_population("src", 1, neurons::spike_source_array::params{{{0.95}}});
    net.connect(src, n, connect::OneToOne{}, {.weight = 3.0, .delay = 1.0, .receptor = "in"});
    auto g = net.record_state(n, "g_in", {0}, 0.1);
    Simulation sim(net);
    sim.run(10.0);
    const auto& G = sim.trace(g);
    for (std::size_t k = 0; k < G.samples(); ++k) {
      const double t = static_cast<double>(G.steps[k]) * 0.1 - 2.0;
      if (t < -1e-9) {
        CHECK(G.at(k, 0) == 0.0);
      } else {
        CHECK(G.at(k, 0) == doctest::Approx(3.0 * std::exp(-t / p.tau_syn_in)).epsilon(1e-12));
      }
    }
  }
  // Regular trains: 50 nS excitation every 0.5 ms, 6 nS inhibition every 3.7 ms. Source
  // times sit mid-step; with a delay of one step a spike at (S - 0.5) dt lands at (S + 1) dt.
  const double dt = 0.1;
  std::vector<std::pair<double, double>> ex, in;
  std::vector<Jump> jumps;
  for (int k = 0; k < 1000; ++k) {
    const double s = 5.0 * k + 5.0;  // stamps
    ex.push_back({(s - 0.5) * dt, 50.0});
    jumps.push_back({(s + 1.0) * dt, 50.0, 0});
  }
  for (int k = 0; k < 135; ++k) {
    const double s = 37.0 * k + 20.0;
    in.push_back({(s - 0.5) * dt, 6.0});
    jumps.push_back({(s + 1.0) * dt, 6.0, 1});
  }
  const Run r = run_one(p, dt, 500.0, CurrentInput::dc(0.0), ex, in);
  const RefResult ref = reference(RefNeuron::of(p), zero, jumps, 500.0, dt);
  MESSAGE("conductance input: " << ref.spikes.size() << " spikes in 500 ms");
  REQUIRE(ref.spikes.size() >= 5);
  check_stamps(r.spikes, ref.spikes, dt, 2e-3);
}

TEST_CASE("aeif_cond_exp: parameter checks name the population and the parameter") {
  auto fails = [](const Aeif::params& p, const std::string& text) {
    Network net(0.1);
    net.add_population("adex", 3, p);
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains(text.c_str()), InvalidParameter);
  };
  Aeif::params p;
  p.C_m = 0.0;
  fails(p, "population 'adex': parameter 'C_m' must be > 0");
  p = {};
  p.g_L = -1.0;
  fails(p, "population 'adex': parameter 'g_L' must be > 0");
  p = {};
  p.tau_w = 0.0;
  fails(p, "population 'adex': parameter 'tau_w' must be > 0");
  p = {};
  p.Delta_T = -0.5;
  fails(p, "population 'adex': parameter 'Delta_T' must be >= 0");
  p = {};
  p.tau_syn_ex = 0.0;
  fails(p, "population 'adex': parameter 'tau_syn_ex' must be > 0");
  p = {};
  p.t_ref = -1.0;
  fails(p, "population 'adex': parameter 't_ref' must be >= 0");
  p = {};
  p.max_substep = 0.0;
  fails(p, "population 'adex': parameter 'max_substep' must be > 0");
  p = {};
  p.max_substep = 1e-6;
  fails(p, "population 'adex': parameter 'max_substep' must split a step");
  p = {};
  p.V_reset = 0.0;  // = V_peak
  fails(p, "population 'adex': parameter 'V_reset' must be below 'V_peak' (neuron 0)");
  p = {};
  p.V_reset = std::vector<double>{-60.0, -60.0, 5.0};
  fails(p, "population 'adex': parameter 'V_reset' must be below 'V_peak' (neuron 2)");
  p = {};
  p.V_th = 10.0;
  fails(p, "population 'adex': parameter 'V_th' must not exceed 'V_peak'");
  p = {};
  p.Delta_T = 0.01;
  p.V_peak = 20.0;  // (20 + 50.4) / 0.01 = 7040 > 663
  fails(p, "population 'adex': parameter 'V_peak' must be within 663 Delta_T of 'V_th'");
  p = {};
  p.Delta_T = 0.0;
  p.V_reset = -45.0;  // above V_th: the LIF limit would fire at once
  fails(p, "population 'adex': parameter 'V_reset' must be below 'V_th' when Delta_T = 0");
  p = {};
  p.g_ex_init = -1.0;
  fails(p, "population 'adex': parameter 'g_ex_init' must be >= 0");
  // V_reset above V_th is legal with Delta_T > 0 (bursting, Naud et al. 2008).
  p = {};
  p.V_reset = -46.0;
  p.V_th = -50.0;
  Network ok(0.1);
  ok.add_population("adex", 1, p);
  CHECK_NOTHROW(Simulation{ok});
}

TEST_CASE("aeif_cond_exp: read from YAML, every key with units, and defaults otherwise") {
  const char* text = R"(
simulation: {dt: 0.1 ms, duration: 100 ms, seed: 3}
populations:
  - name: full
    model: aeif_cond_exp
    size: 4
    params:
      E_L: -65 mV
      C_m: 0.2 nF
      g_L: 10 nS
      t_ref: 1 ms
      E_ex: 5 mV
      E_in: -80 mV
      tau_syn_ex: 0.5 ms
      tau_syn_in: 3 ms
      Delta_T: 1.5 mV
      tau_w: 0.1 s
      V_peak: -10 mV
      max_substep: 0.025 ms
      V_th: {uniform: [-52 mV, -48 mV]}
      V_reset: -58 mV
      I_e: 0.5 nA
      V_init: -65 mV
      a: 2 nS
      b: [10 pA, 20 pA, 30 pA, 40 pA]
      w_init: 5 pA
      g_ex_init: 1 nS
      g_in_init: 2 nS
  - {name: plain, model: aeif_cond_exp, size: 2}
projections:
  - {name: fp, source: full, target: plain, rule: all_to_all, weight: 2 nS, delay: 1 ms, receptor: ex}
recorders:
  spikes: [full]
  state:
    - {population: full, variable: V, interval: 0.1 ms}
    - {population: full, variable: w, interval: 1 ms}
    - {population: plain, variable: g_ex, interval: 0.1 ms}
    - {population: plain, variable: g_in, interval: 0.1 ms}
)";
  const io::LoadedModel m = io::load_model_text(text, "aeif.yaml");
  const Network& net = m.network;
  const auto& p = std::get<Aeif::params>(net.spec(net.population("full")).model);
  CHECK(p.E_L == -65.0);
  CHECK(p.C_m == doctest::Approx(200.0));
  CHECK(p.g_L == 10.0);
  CHECK(p.t_ref == 1.0);
  CHECK(p.E_ex == 5.0);
  CHECK(p.E_in == -80.0);
  CHECK(p.tau_syn_ex == 0.5);
  CHECK(p.tau_syn_in == 3.0);
  CHECK(p.Delta_T == 1.5);
  CHECK(p.tau_w == doctest::Approx(100.0));
  CHECK(p.V_peak == -10.0);
  CHECK(p.max_substep == 0.025);
  CHECK(std::get<Uniform>(p.V_th.variant()).low == -52.0);
  CHECK(p.V_reset.constant() == -58.0);
  CHECK(p.I_e.constant() == doctest::Approx(500.0));
  CHECK(p.V_init.constant() == -65.0);
  CHECK(p.a.constant() == 2.0);
  CHECK(std::get<std::vector<double>>(p.b.variant()) == std::vector<double>{10, 20, 30, 40});
  CHECK(p.w_init.constant() == 5.0);
  CHECK(p.g_ex_init.constant() == 1.0);
  CHECK(p.g_in_init.constant() == 2.0);

  const auto& d = std::get<Aeif::params>(net.spec(net.population("plain")).model);
  const Aeif::params defaults;
  CHECK(d.C_m == defaults.C_m);
  CHECK(d.tau_w == defaults.tau_w);
  CHECK(d.b.constant() == defaults.b.constant());
  CHECK(d.max_substep == defaults.max_substep);

  REQUIRE(m.reports.size() == 4);
  CHECK(m.reports[0].units == "mV");
  CHECK(m.reports[1].units == "pA");
  CHECK(m.reports[2].units == "nS");
  CHECK(m.reports[3].units == "nS");

  // The receptor takes a conductance; a current is refused.
  CHECK_THROWS_AS(io::load_model_text(
                      "populations:\n  - {name: a, model: aeif_cond_exp, size: 2}\n"
                      "projections:\n  - {source: a, target: a, rule: all_to_all, weight: 2 pA, "
                      "receptor: ex}\n",
                      "bad.yaml"),
                  Error);
  // Unknown keys name the model's keys.
  CHECK_THROWS_WITH_AS(
      io::load_model_text("populations:\n  - {name: a, model: aeif_cond_exp, size: 2, "
                          "params: {tau_W: 100 ms}}\n",
                          "bad.yaml"),
      doctest::Contains("tau_w"), Error);

  Simulation sim(net, m.options);
  sim.run(*m.duration);
  CHECK(sim.spike_count(net.population("full")) > 0);
}

TEST_CASE("aeif_cond_exp: serial and tbb (2 threads) give byte-identical networks") {
  auto build = [] {
    Network net(0.1);
    Aeif::params p;
    p.I_e = Uniform{300.0, 900.0};
    p.V_init = Uniform{-70.0, -55.0};
    p.a = Uniform{0.0, 6.0};
    p.t_ref = 0.5;
    auto e = net.add_population("e", 80, p);
    Aeif::params q = p;
    q.b = 0.0;
    auto i = net.add_population("i", 20, q);
    net.connect(e, e, connect::FixedIndegree{10}, {.weight = 3.0, .delay = Uniform{0.5, 2.0}, .receptor = "ex"});
    net.connect(e, i, connect::FixedIndegree{10}, {.weight = 3.0, .delay = 1.0, .receptor = "ex"});
    net.connect(i, e, connect::FixedIndegree{5}, {.weight = 8.0, .delay = 0.8, .receptor = "in"});
    net.add_input(e, PoissonInput{.rate = 2000.0, .weight = 4.0, .receptor = "ex"});
    net.record_spikes(e);
    net.record_spikes(i);
    net.record_state(e, "V", {0, 7, 42}, 0.1);
    net.record_state(i, "w", {}, 1.0);
    return net;
  };
  struct Out {
    std::vector<SpikeRecord> spikes;
    std::vector<std::vector<double>> state;
    std::vector<StateTrace> traces;
  };
  auto run = [&](const SimulationOptions& o) {
    const Network net = build();
    Simulation sim(net, o);
    sim.run(100.0);
    sim.run(100.0);
    Out out;
    for (std::uint32_t k = 0; k < 2; ++k) {
      out.spikes.push_back(sim.spikes(PopulationId{k}));
      for (const char* v : {"V", "w", "g_ex", "g_in"}) out.state.push_back(sim.state(PopulationId{k}, v));
    }
    for (std::uint32_t r = 0; r < 2; ++r) out.traces.push_back(sim.trace(RecorderId{r}));
    return out;
  };
  auto same = [](const auto& x, const auto& y) {
    return x.size() == y.size() &&
           (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(x[0])) == 0);
  };
  const Out a = run({.seed = 5, .backend = "serial", .threads = 1});
  const Out b = run({.seed = 5, .backend = "tbb", .threads = 2, .oversubscribe = true});
  std::size_t spikes = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    spikes += a.spikes[k].size();
    CHECK(a.spikes[k].steps == b.spikes[k].steps);
    CHECK(a.spikes[k].neurons == b.spikes[k].neurons);
  }
  MESSAGE("aeif network: " << spikes << " spikes in 200 ms");
  CHECK(spikes > 200);
  for (std::size_t k = 0; k < a.state.size(); ++k) CHECK(same(a.state[k], b.state[k]));
  for (std::size_t k = 0; k < a.traces.size(); ++k) CHECK(same(a.traces[k].values, b.traces[k].values));
}
