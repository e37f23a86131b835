// Cross-check against Brian2 2.5.1: a small deterministic network of current-based LIF
// neurons (lif_psc_exp) with exponential synaptic currents, constant drives I_e and an
// explicit list of excitatory and inhibitory synapses with heterogeneous delays, gives
// the same spikes (neuron and time, exactly) in spikeq and in Brian2, and the same
// membrane potentials and synaptic currents at every step up to round-off.
//
// This file is the single source of truth for the network: it writes it as JSON, and
// brian_lif_network.py builds the Brian2 network from that file (runtime mode, codegen
// target 'numpy', method 'exact'). The conventions that relate the two simulators are
// documented in the script; in short:
//   * spike time:  spikeq stamp S = Brian2 step u + 1 (spikeq time = Brian2 time + dt);
//   * delays:      no offset, a delay of d steps lands at the same absolute time;
//   * refractory:  Brian2 needs refractory = (round(t_ref/dt) + 1) dt to clamp V during
//                  the same round(t_ref/dt) updates as spikeq.
//
// The test is skipped (exit code 77, CTest SKIP_RETURN_CODE) when /usr/bin/python3 is
// missing or cannot import brian2.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "brian_runner.hpp"
#include "spikeq/spikeq.hpp"

#ifndef SPIKEQ_BRIAN2_PYTHON
#define SPIKEQ_BRIAN2_PYTHON ""
#endif

using namespace spikeq;
using Lif = neurons::lif_psc_exp;

namespace {

constexpr const char* kPython = SPIKEQ_BRIAN2_PYTHON;
constexpr const char* kScript = SPIKEQ_CROSSCHECK_SCRIPT;
constexpr const char* kWorkDir = SPIKEQ_CROSSCHECK_WORKDIR;

// ---------------------------------------------------------------------------------------
// The network.

constexpr double kDt = 0.1;          // ms
constexpr std::int64_t kSteps = 5000;  // 500 ms
constexpr std::uint32_t kN = 20;

Lif::params neuron_params() {
  Lif::params p;
  p.E_L = -70.0;
  p.C_m = 250.0;
  p.tau_m = 10.0;
  p.t_ref = 2.0;
  p.tau_syn_ex = 2.0;
  p.tau_syn_in = 5.0;
  p.V_th = -55.0;
  p.V_reset = -67.5;
  return p;
}

/// Constant drives (pA). Rheobase is C_m (V_th - E_L) / tau_m = 375 pA: neurons 0-7 fire
/// on their own, neurons 8-19 only with synaptic input.
constexpr std::array<double, kN> kIe{420, 480, 530, 610, 700, 760, 850, 950, 0,   100,
                                     150, 200, 250, 280, 300, 320, 340, 350, 360, 370};
constexpr double kRheobase = 375.0;

double v_init(std::uint32_t i) { return -70.0 + 0.5 * i; }

struct Syn {
  std::uint32_t source, target;
  double weight;  // pA; > 0: receptor "ex", < 0: receptor "in". Multiples of 0.5: exact in float.
  int delay;      // steps
};

// Drawn once at random (weights 300..1500 pA and -500..-2000 pA, delays 0.5..4 ms) and
// frozen. Includes multapses of both signs (9->13, 17->3, 2->7).
constexpr std::array<Syn, 69> kSynapses{{
    {9, 10, -552.0, 10}, {16, 18, 1342.5, 20}, {5, 16, 1072.5, 24}, {1, 0, -1756.5, 24},
    {16, 6, -685.5, 15}, {2, 9, 759.5, 19}, {18, 4, 323.5, 32}, {1, 5, 440.0, 40},
    {14, 19, -939.5, 24}, {18, 5, 687.0, 39}, {8, 10, 809.5, 27}, {9, 15, 1227.0, 38},
    {8, 0, 1346.5, 21}, {7, 1, 1224.0, 35}, {4, 11, 713.5, 35}, {11, 10, 1477.0, 32},
    {1, 2, -603.5, 29}, {17, 3, -1036.5, 11}, {9, 1, -1501.0, 36}, {16, 17, 1040.5, 14},
    {18, 0, 604.0, 30}, {8, 16, 864.0, 12}, {13, 12, -1965.0, 39}, {17, 3, 714.0, 37},
    {15, 8, 1369.0, 5}, {9, 13, -1925.5, 34}, {9, 17, 621.5, 13}, {13, 15, 1346.0, 34},
    {6, 1, -1190.5, 10}, {2, 7, 337.5, 29}, {14, 3, 901.0, 5}, {12, 5, 1031.5, 8},
    {7, 12, 329.0, 31}, {10, 13, 1360.0, 36}, {6, 12, -902.0, 17}, {19, 10, 1209.5, 40},
    {1, 4, 673.0, 7}, {17, 5, -758.5, 30}, {15, 2, 382.0, 20}, {9, 13, 564.0, 26},
    {9, 16, -1357.5, 18}, {5, 8, 475.5, 8}, {0, 4, 512.0, 16}, {14, 6, 465.0, 39},
    {17, 15, -1550.5, 32}, {14, 11, -1970.5, 29}, {7, 10, 406.5, 22}, {11, 4, 1399.5, 23},
    {5, 15, 1377.5, 32}, {15, 10, 405.0, 39}, {9, 8, 1064.5, 35}, {16, 2, -1547.0, 11},
    {18, 7, 412.0, 35}, {11, 7, -516.5, 27}, {16, 13, 940.0, 16}, {2, 7, -1944.0, 12},
    {0, 19, -1721.0, 17}, {17, 12, 712.0, 18}, {14, 10, 531.0, 22}, {11, 19, 916.5, 31},
    {17, 8, 851.5, 37}, {7, 0, 826.5, 40}, {7, 5, -821.5, 26}, {4, 16, 810.5, 18},
    {18, 15, 454.0, 21}, {9, 7, 1252.0, 9}, {7, 4, 469.0, 18}, {13, 15, 653.0, 36},
    {3, 14, 601.0, 15},
}};

/// Robustness required of the design: no neuron comes within this distance (mV) of
/// V_th at any step, so round-off differences (~1e-12 mV) cannot move a spike.
constexpr double kMinMargin = 1e-7;
/// Agreement of the traces: the two exact integrators differ only by round-off.
constexpr double kTolV = 1e-9;   // mV
constexpr double kTolI = 1e-9;   // pA, relative to max(1, |I|)

std::string network_json() {
  const Lif::params p = neuron_params();
  std::ostringstream o;
  o << std::setprecision(17);
  o << "{\n  \"dt_ms\": " << kDt << ",\n  \"steps\": " << kSteps << ",\n  \"n\": " << kN
    << ",\n  \"neuron\": {\"E_L_mV\": " << p.E_L << ", \"C_m_pF\": " << p.C_m
    << ", \"tau_m_ms\": " << p.tau_m << ", \"t_ref_ms\": " << p.t_ref
    << ", \"tau_syn_ex_ms\": " << p.tau_syn_ex << ", \"tau_syn_in_ms\": " << p.tau_syn_in
    << ", \"V_th_mV\": " << p.V_th.constant() << ", \"V_reset_mV\": " << p.V_reset.constant()
    << "},\n  \"I_e_pA\": [";
  for (std::uint32_t i = 0; i < kN; ++i) o << (i ? ", " : "") << kIe[i];
  o << "],\n  \"V_init_mV\": [";
  for (std::uint32_t i = 0; i < kN; ++i) o << (i ? ", " : "") << v_init(i);
  o << "],\n  \"synapses\": [\n";
  for (std::size_t k = 0; k < kSynapses.size(); ++k) {
    const Syn& s = kSynapses[k];
    o << "    [" << s.source << ", " << s.target << ", " << s.weight << ", " << s.delay << "]"
      << (k + 1 < kSynapses.size() ? ",\n" : "\n");
  }
  o << "  ]\n}\n";
  return o.str();
}

struct SpikeqNet {
  Network net{kDt};
  PopulationId pop{};
  ProjectionId ex{}, in{};
  RecorderId v{}, iex{}, iin{};
  std::vector<Syn> ex_syn, in_syn;
};

/// The network in spikeq. Without `coupled`, the same neurons without synapses.
SpikeqNet build_spikeq(bool coupled = true) {
  SpikeqNet s;
  Lif::params p = neuron_params();
  p.I_e = std::vector<double>(kIe.begin(), kIe.end());
  std::vector<double> v0(kN);
  for (std::uint32_t i = 0; i < kN; ++i) v0[i] = v_init(i);
  p.V_init = v0;
  s.pop = s.net.add_population("lif", kN, p);
  if (coupled) {
    for (const Syn& syn : kSynapses) (syn.weight > 0 ? s.ex_syn : s.in_syn).push_back(syn);
    auto add = [&](const std::vector<Syn>& list, const char* receptor) {
      connect::Explicit rule;
      std::vector<double> w, d;
      for (const Syn& syn : list) {
        rule.sources.push_back(syn.source);
        rule.targets.push_back(syn.target);
        w.push_back(syn.weight);
        d.push_back(syn.delay * kDt);
      }
      return s.net.connect(s.pop, s.pop, rule,
                           {.weight = w, .delay = d, .receptor = receptor},
                           std::string("lif_") + receptor);
    };
    s.ex = add(s.ex_syn, "ex");
    s.in = add(s.in_syn, "in");
  }
  s.net.record_spikes(s.pop);
  s.v = s.net.record_state(s.pop, "V", {}, kDt);
  s.iex = s.net.record_state(s.pop, "I_ex", {}, kDt);
  s.iin = s.net.record_state(s.pop, "I_in", {}, kDt);
  return s;
}

struct Spike {
  std::uint32_t neuron;
  std::int64_t step;  // spikeq grid step S (time S dt)
  friend bool operator==(const Spike&, const Spike&) = default;
};

std::vector<Spike> spikes_of(const SpikeRecord& r) {
  std::vector<Spike> out;
  for (std::size_t k = 0; k < r.size(); ++k) out.push_back({r.neurons[k], r.steps[k]});
  return out;
}

// ---------------------------------------------------------------------------------------
// The Brian2 side.

struct BrianResult {
  int refractory_steps = -1;
  double margin_mV = -1.0;
  std::vector<Spike> spikes;  // stamped the spikeq way: Brian2 step u + 1
  // trace[var][u * kN + i]: var 0 = V (mV), 1 = I_ex (pA), 2 = I_in (pA), after step u
  std::array<std::vector<double>, 3> trace;
  std::int64_t trace_steps = 0;
};

BrianResult parse_result(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot open Brian2 result " + path);
  BrianResult r;
  for (auto& t : r.trace) t.assign(static_cast<std::size_t>(kSteps) * kN, std::nan(""));
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "refractory_steps") {
      in >> r.refractory_steps;
    } else if (key == "margin_mV") {
      in >> r.margin_mV;
    } else if (key == "spike") {
      std::uint32_t i = 0;
      std::int64_t u = 0;
      in >> i >> u;
      r.spikes.push_back({i, u + 1});  // Brian2 stamps the start of the step, spikeq its end
    } else if (key == "trace") {
      std::int64_t u = 0;
      std::uint32_t i = 0;
      double v = 0, iex = 0, iin = 0;
      in >> u >> i >> v >> iex >> iin;
      if (u < 0 || u >= kSteps || i >= kN) throw std::runtime_error("bad trace line: " + line);
      const auto k = static_cast<std::size_t>(u) * kN + i;
      r.trace[0][k] = v;
      r.trace[1][k] = iex;
      r.trace[2][k] = iin;
      r.trace_steps = std::max(r.trace_steps, u + 1);
    } else {
      throw std::runtime_error("unknown line in Brian2 result: " + line);
    }
    if (in.fail()) throw std::runtime_error("malformed line in Brian2 result: " + line);
  }
  return r;
}

/// Writes the network, runs the Brian2 script once and caches what it wrote.
const BrianResult& brian() {
  static const BrianResult result = [] {
    const std::string dir = kWorkDir;
    const std::string json = dir + "/brian_crosscheck_network.json";
    const std::string out = dir + "/brian_crosscheck_spikes.txt";
    const std::string log = dir + "/brian_crosscheck.log";
    crosscheck::run_brian_script(kPython, kScript, json, network_json(), out, log);
    return parse_result(out);
  }();
  return result;
}

struct SpikeqResult {
  std::vector<Spike> spikes;
  std::array<StateTrace, 3> trace;
  SynapseList ex, in;
};

const SpikeqResult& spikeq_run() {
  static const SpikeqResult result = [] {
    SpikeqNet s = build_spikeq();
    Simulation sim(s.net);
    sim.run(static_cast<double>(kSteps) * kDt);
    REQUIRE(sim.step() == kSteps);
    return SpikeqResult{spikes_of(sim.spikes(s.pop)),
                        {sim.trace(s.v), sim.trace(s.iex), sim.trace(s.iin)},
                        sim.synapses(s.ex),
                        sim.synapses(s.in)};
  }();
  return result;
}

std::string describe(const std::vector<Spike>& s, std::size_t from, std::size_t count) {
  std::ostringstream o;
  for (std::size_t k = from; k < std::min(s.size(), from + count); ++k) {
    o << "(" << s[k].neuron << ", " << static_cast<double>(s[k].step) * kDt << " ms) ";
  }
  return o.str();
}

}  // namespace

TEST_CASE("crosscheck: spikeq holds the network exactly as described") {
  const auto& r = spikeq_run();
  std::vector<Syn> ex, in;
  for (const Syn& syn : kSynapses) (syn.weight > 0 ? ex : in).push_back(syn);
  for (const auto& [list, got] : {std::pair{&ex, &r.ex}, std::pair{&in, &r.in}}) {
    REQUIRE(got->weights.size() == list->size());
    // Storage order may differ from the explicit order: compare as sorted multisets.
    std::vector<std::array<double, 4>> want_set, got_set;
    for (const Syn& syn : *list) {
      want_set.push_back({double(syn.source), double(syn.target), syn.weight, double(syn.delay)});
    }
    for (std::size_t k = 0; k < got->weights.size(); ++k) {
      got_set.push_back({double(got->sources[k]), double(got->targets[k]),
                         double(got->weights[k]), double(got->delays[k])});
    }
    std::sort(want_set.begin(), want_set.end());
    std::sort(got_set.begin(), got_set.end());
    CHECK(want_set == got_set);  // weights survive float storage, delays are whole steps
  }
}

TEST_CASE("crosscheck: the network is non-trivial (many spikes, synaptic effects)") {
  const auto& r = spikeq_run();
  CHECK(r.spikes.size() > 300);

  std::array<int, kN> count{};
  for (const Spike& s : r.spikes) ++count[s.neuron];
  int driven_by_synapses = 0;  // neurons below rheobase that fire: only synaptic input can
  for (std::uint32_t i = 0; i < kN; ++i) {
    if (kIe[i] < kRheobase && count[i] > 0) ++driven_by_synapses;
  }
  CHECK(driven_by_synapses >= 5);

  // The same neurons without synapses: the network must change the driven neurons' trains,
  // and inhibition must silence or slow at least one of them.
  SpikeqNet alone = build_spikeq(false);
  Simulation sim(alone.net);
  sim.run(static_cast<double>(kSteps) * kDt);
  std::array<int, kN> count_alone{};
  for (const Spike& s : spikes_of(sim.spikes(alone.pop))) ++count_alone[s.neuron];
  int changed = 0, slowed = 0;
  for (std::uint32_t i = 0; i < kN; ++i) {
    if (kIe[i] >= kRheobase) {
      CHECK(count_alone[i] > 0);
      changed += count[i] != count_alone[i];
      slowed += count[i] < count_alone[i];
    } else {
      CHECK(count_alone[i] == 0);
    }
  }
  CHECK(changed >= 4);
  CHECK(slowed >= 1);
}

TEST_CASE("crosscheck: Brian2 gives the same spikes (neuron and time) as spikeq") {
  const auto& b = brian();
  const auto& s = spikeq_run().spikes;
  CHECK(b.refractory_steps == static_cast<int>(std::lround(neuron_params().t_ref / kDt)) + 1);

  // Every trajectory stays at least kMinMargin away from V_th: spike times are robust.
  CAPTURE(b.margin_mV);
  CHECK(b.margin_mV > kMinMargin);

  MESSAGE("spikes: spikeq " << s.size() << ", Brian2 " << b.spikes.size());
  REQUIRE(s.size() > 50);
  std::size_t first = 0;
  while (first < std::min(s.size(), b.spikes.size()) && s[first] == b.spikes[first]) ++first;
  if (first < std::max(s.size(), b.spikes.size())) {
    FAIL_CHECK("first difference at spike #" << first << ": spikeq " << describe(s, first, 5)
                                             << " / Brian2 " << describe(b.spikes, first, 5));
  }
  CHECK(s.size() == b.spikes.size());
}

TEST_CASE("crosscheck: Brian2 gives the same V, I_ex and I_in at every step") {
  const auto& b = brian();
  const auto& r = spikeq_run();
  REQUIRE(b.trace_steps == kSteps);
  const std::array<std::string, 3> names{"V", "I_ex", "I_in"};
  for (int var = 0; var < 3; ++var) {
    const StateTrace& t = r.trace[static_cast<std::size_t>(var)];
    REQUIRE(t.samples() == static_cast<std::size_t>(kSteps));
    REQUIRE(t.neurons.size() == kN);
    double worst = 0.0;
    std::int64_t worst_u = -1;
    std::uint32_t worst_i = 0;
    for (std::size_t k = 0; k < t.samples(); ++k) {
      // spikeq sample k is the state at step k + 1, the state after Brian2's step u = k
      REQUIRE(t.steps[k] == static_cast<Step>(k) + 1);
      for (std::size_t j = 0; j < kN; ++j) {
        const std::uint32_t i = t.neurons[j];
        const double want = b.trace[static_cast<std::size_t>(var)][k * kN + i];
        const double got = t.at(k, j);
        double err = std::fabs(got - want);
        if (var > 0) err /= std::max(1.0, std::fabs(want));
        if (!(err <= worst)) {  // also catches NaN (missing Brian2 sample)
          worst = std::isnan(err) ? INFINITY : err;
          worst_u = static_cast<std::int64_t>(k);
          worst_i = i;
        }
      }
    }
    const std::string& name = names[static_cast<std::size_t>(var)];
    CAPTURE(name);
    CAPTURE(worst_u);
    CAPTURE(worst_i);
    MESSAGE("largest difference of " << name << ": " << worst
                                     << std::string(var ? " (relative to max(1 pA, |I|))" : " mV")
                                     << " at neuron " << worst_i << ", step " << worst_u + 1);
    CHECK(worst <= (var ? kTolI : kTolV));
  }
}

int main(int argc, char** argv) {
  return spikeq::crosscheck::run_if_importable(argc, argv, kPython, "brian2",
                                               "install the Debian package python3-brian");
}
