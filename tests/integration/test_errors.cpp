// Bad input raises a typed spikeq::Error naming the object and the parameter; nothing
// crashes or clamps silently.
#include <doctest/doctest.h>

#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {
template <typename E>
void expect(const Network& net, const char* fragment) {
  CHECK_THROWS_WITH_AS(Simulation{net}, doctest::Contains(fragment), E);
}
}  // namespace

TEST_CASE("time step and durations") {
  Network net(0.0);
  net.add_population("p", 1, neurons::lif_psc_exp::params{});
  expect<InvalidParameter>(net, "dt must be a finite time > 0 ms (got 0)");
  net.set_dt(-0.1);
  expect<InvalidParameter>(net, "dt must be a finite time > 0 ms (got -0.1)");
  net.set_dt(0.1);
  Simulation sim(net);
  CHECK_THROWS_WITH_AS(sim.run(-1.0), doctest::Contains("run duration must be a finite, non-negative time"),
                       InvalidParameter);
  CHECK_THROWS_WITH_AS(sim.run(0.25), doctest::Contains("not a multiple of the time step"),
                       InvalidParameter);
}

TEST_CASE("population sizes and names") {
  Network net;
  CHECK_THROWS_WITH_AS(net.add_population("empty", 0, neurons::lif_psc_exp::params{}),
                       doctest::Contains("population 'empty': size must be > 0"), InvalidParameter);
  net.add_population("p", 1, neurons::lif_psc_exp::params{});
  CHECK_THROWS_WITH_AS(net.add_population("p", 1, neurons::lif_psc_exp::params{}),
                       doctest::Contains("population 'p' is defined twice"), InvalidParameter);
  CHECK_THROWS_AS((void)net.population("nope"), NotFound);
}

TEST_CASE("negative or zero time constants and capacitances name population and parameter") {
  struct Case {
    NeuronModel model;
    const char* message;
  };
  neurons::lif_psc_exp::params a; a.tau_m = -5.0;
  neurons::lif_psc_exp::params b; b.tau_syn_in = 0.0;
  neurons::lif_psc_alpha::params c; c.C_m = 0.0;
  neurons::lif_cond_exp::params d; d.g_L = -1.0;
  neurons::lif_psc_delta::params e; e.t_ref = -1.0;
  neurons::lif_psc_exp::params f; f.V_reset = -50.0;  // above V_th = -55
  neurons::poisson_source::params g; g.rate = -3.0;
  neurons::izhikevich::params h; h.c = Uniform{1.0, 0.0};
  neurons::lif_psc_exp::params i; i.V_th = std::vector<double>{1.0, 2.0};
  neurons::lif_cond_exp::params j; j.g_in_init = Normal{1.0, 5.0};
  neurons::lif_cond_exp::params k; k.integrator = neurons::CondIntegrator::euler; k.tau_syn_ex = 0.1;
  for (const auto& [model, message] :
       {Case{a, "population 'x': parameter 'tau_m' must be > 0 (got -5 ms)"},
        Case{b, "population 'x': parameter 'tau_syn_in' must be > 0 (got 0 ms)"},
        Case{c, "population 'x': parameter 'C_m' must be > 0 (got 0 pF)"},
        Case{d, "population 'x': parameter 'g_L' must be > 0 (got -1 nS)"},
        Case{e, "population 'x': parameter 't_ref' must be >= 0 (got -1 ms)"},
        Case{f, "population 'x': parameter 'V_reset' must be below 'V_th' (neuron 0)"},
        Case{g, "population 'x': parameter 'rate' must be >= 0 (got -3 Hz)"},
        Case{h, "population 'x': parameter 'c': uniform bounds must be finite with low <= high"},
        Case{i, "population 'x': parameter 'V_th' has 2 values for 3 elements"},
        Case{j, "population 'x': parameter 'g_in_init' must be >= 0 (neuron"},
        Case{k, "population 'x': parameter 'tau_syn_ex' and tau_syn_in must exceed dt for the Euler integrator"}}) {
    Network net;
    net.add_population("x", 3, model);
    CAPTURE(message);
    expect<InvalidParameter>(net, message);
  }
}

TEST_CASE("connection parameters name the projection") {
  Network net;
  auto a = net.add_population("a", 10, neurons::lif_psc_exp::params{});
  auto s = net.add_population("s", 10, neurons::spike_source_array::params{std::vector<std::vector<double>>(10)});
  auto c = net.add_population("c", 10, neurons::lif_cond_exp::params{});
  SUBCASE("probability above 1") {
    net.connect(a, a, connect::FixedProbability{1.5}, {}, "p_high");
    expect<InvalidParameter>(net, "projection 'p_high': connection probability p must be in [0, 1] (got 1.5)");
  }
  SUBCASE("negative probability") {
    net.connect(a, a, connect::FixedProbability{-0.1}, {}, "p_low");
    expect<InvalidParameter>(net, "projection 'p_low': connection probability p must be in [0, 1] (got -0.1)");
  }
  SUBCASE("unknown receptor") {
    net.connect(a, a, connect::AllToAll{}, {.receptor = "nmda"}, "rec");
    expect<InvalidConnection>(net, "projection 'rec': population 'a' (lif_psc_exp) has no receptor 'nmda'; it has 'ex', 'in'");
  }
  SUBCASE("a spike source cannot receive synapses") {
    net.connect(a, s, connect::AllToAll{}, {}, "into_source");
    expect<InvalidConnection>(net, "projection 'into_source': population 's' (spike_source_array) has no receptors");
  }
  SUBCASE("negative conductance") {
    net.connect(a, c, connect::AllToAll{}, {.weight = -1.0, .receptor = "in"}, "neg_g");
    expect<InvalidParameter>(net, "projection 'neg_g': weight -1 nS is negative");
  }
  SUBCASE("non-finite weight") {
    net.connect(a, a, connect::AllToAll{}, {.weight = std::numeric_limits<double>::infinity()}, "inf_w");
    expect<InvalidParameter>(net, "projection 'inf_w': weight must be finite");
  }
  SUBCASE("weight array of the wrong length") {
    net.connect(a, a, connect::OneToOne{}, {.weight = std::vector<double>{1.0, 2.0}}, "short");
    expect<InvalidParameter>(net, "projection 'short': weight array has 2 values for 10 synapses");
  }
}

TEST_CASE("inputs and recorders name themselves") {
  Network net;
  auto a = net.add_population("a", 10, neurons::lif_psc_exp::params{});
  SUBCASE("negative Poisson rate") {
    net.add_input(a, PoissonInput{.rate = -1.0}, "drive");
    expect<InvalidParameter>(net, "input 'drive': parameter 'rate' must be >= 0 Hz (got -1)");
  }
  SUBCASE("neuron id out of range") {
    net.add_input(a, CurrentInput::dc(5.0, {10}), "dc");
    expect<InvalidParameter>(net, "input 'dc': neuron id 10 is out of range for population 'a' of 10");
  }
  SUBCASE("step times not increasing") {
    net.add_input(a, CurrentInput::steps({5.0, 2.0}, {1.0, 0.0}), "steps");
    expect<InvalidParameter>(net, "input 'steps': 'times' must be finite, >= 0 and increasing");
  }
  SUBCASE("negative noise sd") {
    net.add_input(a, NoiseInput{.mean = 0.0, .sd = -2.0}, "noise");
    expect<InvalidParameter>(net, "input 'noise': needs a finite 'mean' and 'sd' >= 0");
  }
  SUBCASE("unknown state variable") {
    net.record_state(a, "w", {}, 1.0);
    expect<NotFound>(net, "state recorder 0: model lif_psc_exp of population 'a' has no state variable 'w'; it has 'V', 'I_ex'");
  }
  SUBCASE("sampling interval not a multiple of dt") {
    net.record_state(a, "V", {}, 0.25);
    expect<InvalidParameter>(net, "state recorder 0: interval = 0.25");
  }
  SUBCASE("more than one thread on the serial backend") {
    CHECK_THROWS_WITH_AS(Simulation(net, {.threads = 4}),
                         doctest::Contains("the serial backend runs on one thread"), InvalidParameter);
  }
  SUBCASE("unknown backend") {
    CHECK_THROWS_WITH_AS(Simulation(net, {.backend = "gpu9000"}),
                         doctest::Contains("unknown backend 'gpu9000'"), InvalidParameter);
  }
  SUBCASE("spikes of a population that does not record them") {
    Simulation sim(net);
    CHECK_THROWS_WITH_AS((void)sim.spikes(a), doctest::Contains("population 'a' does not record spikes"), NotFound);
  }
}
