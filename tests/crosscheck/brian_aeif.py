#!/usr/bin/python3
"""Brian2 side of the aeif_cond_exp cross-check (tests/crosscheck/test_brian_aeif.cpp).

Usage: /usr/bin/python3 brian_aeif.py CASES.json RESULT.txt CACHE_DIR

CASES.json is written by the C++ test, the single source of truth for the neurons: one
entry per neuron with its parameters (NEST names and units: mV, pF, nS, ms, pA), a current
step (I_step_pA from t_on_ms on) and the times at which its conductances jump
(jumps_ex / jumps_in: [[t_ms, nS], ...]). This script simulates all of them in one Brian2
2.5 NeuronGroup, integrating the published equations with method 'rk4' at the fine step
dt_ms of the file (1 us), runtime codegen target 'cython' (compiled once into CACHE_DIR),
and writes RESULT.txt:

    dt_ms <dt>            Brian2's step
    spike <i> <t_ms>      neuron i crossed V_peak in the step ending at t_ms

Conventions, chosen so that the two simulators describe the same continuous model:

* Equations: NEST's aeif_cond_exp, with V bounded by V_peak inside the right-hand side
  (vc = clip(vm, -inf, V_peak)), so that exp() stays finite during the fine steps in
  which V runs away.
* Spike time: Brian2 detects vm >= V_peak after the update of step u (from u dt to
  (u + 1) dt) and resets at the end of that step; this script writes (u + 1) dt, the
  end of the step, which is how spikeq stamps spikes. With dt = 1 us each spike is
  detected (and reset) within 1 us of the crossing.
* Current step: I(t) = I_step for t >= t_on, with t_on on both grids.
* Conductance jumps: a jump listed at t lands in the state at time t. A
  SpikeGeneratorGroup spike at t - dt with no delay is applied in the 'synapses' slot of
  the step that starts at t - dt, after that step's state update: the state at t carries
  it, as in spikeq, where a weight arriving in a step is added at the step's end.
"""
import json
import sys
import warnings


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: brian_aeif.py CASES.json RESULT.txt CACHE_DIR\n")
        return 2
    with open(argv[1]) as f:
        desc = json.load(f)

    warnings.filterwarnings("ignore")  # numpy / pythran deprecation noise on import
    import numpy as np
    import brian2 as b2
    from brian2 import mV, ms, pA, pF, nS

    b2.prefs.codegen.target = "cython"
    b2.prefs.codegen.runtime.cython.cache_dir = argv[3]
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True

    dt = float(desc["dt_ms"]) * ms
    duration = float(desc["duration_ms"]) * ms
    cases = desc["cases"]
    n = len(cases)

    eqs = """
    dvm/dt = (-g_L*(vc - E_L) + g_L*Delta_T*exp((vc - V_th)/Delta_T)
              - g_ex*(vc - E_ex) - g_in*(vc - E_in) - w + I_e + I_step*int(t >= t_on))/C_m : volt
    dw/dt = (a*(vc - E_L) - w)/tau_w : amp
    dg_ex/dt = -g_ex/tau_syn_ex : siemens
    dg_in/dt = -g_in/tau_syn_in : siemens
    vc = clip(vm, -inf*mV, V_peak) : volt
    C_m : farad (constant)
    g_L : siemens (constant)
    E_L : volt (constant)
    V_th : volt (constant)
    Delta_T : volt (constant)
    tau_w : second (constant)
    a : siemens (constant)
    b : amp (constant)
    V_peak : volt (constant)
    V_reset : volt (constant)
    E_ex : volt (constant)
    E_in : volt (constant)
    tau_syn_ex : second (constant)
    tau_syn_in : second (constant)
    I_e : amp (constant)
    I_step : amp (constant)
    t_on : second (constant)
    """
    G = b2.NeuronGroup(n, eqs, threshold="vm >= V_peak", reset="vm = V_reset; w += b",
                       method="rk4", dt=dt, name="aeif")

    def column(key, unit):
        return np.array([float(c[key]) for c in cases]) * unit

    G.C_m = column("C_m", pF)
    G.g_L = column("g_L", nS)
    G.E_L = column("E_L", mV)
    G.V_th = column("V_th", mV)
    G.Delta_T = column("Delta_T", mV)
    G.tau_w = column("tau_w", ms)
    G.a = column("a", nS)
    G.b = column("b", pA)
    G.V_peak = column("V_peak", mV)
    G.V_reset = column("V_reset", mV)
    G.E_ex = column("E_ex", mV)
    G.E_in = column("E_in", mV)
    G.tau_syn_ex = column("tau_syn_ex", ms)
    G.tau_syn_in = column("tau_syn_in", ms)
    G.I_e = column("I_e", pA)
    G.I_step = column("I_step", pA)
    G.t_on = column("t_on", ms)
    G.vm = column("V_init", mV)
    G.w = 0 * pA
    G.g_ex = 0 * nS
    G.g_in = 0 * nS

    objects = [G]
    for receptor in ("ex", "in"):
        idx, times, weights = [], [], []
        for i, c in enumerate(cases):
            for t_ms, w_nS in c["jumps_" + receptor]:
                idx.append(len(idx))
                times.append(float(t_ms) - float(desc["dt_ms"]))
                weights.append(float(w_nS))
        if not idx:
            continue
        targets = [i for i, c in enumerate(cases) for _ in c["jumps_" + receptor]]
        # One generator neuron per jump, so that every jump has its own weight and target.
        src = b2.SpikeGeneratorGroup(len(idx), np.array(idx), np.array(times) * ms, dt=dt,
                                     name="jumps_" + receptor)
        S = b2.Synapses(src, G, "wt : siemens", on_pre=f"g_{receptor}_post += wt", dt=dt,
                        name="syn_" + receptor)
        S.connect(i=np.array(idx), j=np.array(targets))
        S.wt = np.array(weights) * nS
        objects += [src, S]

    spikes = b2.SpikeMonitor(G, record=True)
    objects.append(spikes)
    net = b2.Network(*objects)
    net.run(duration, namespace={})

    t = np.asarray(spikes.t_) / 1e-3  # ms, start of the detecting step
    ids = np.asarray(spikes.i[:], dtype=np.int64)
    dt_ms = float(desc["dt_ms"])
    with open(argv[2], "w") as f:
        f.write(f"# brian2 {b2.__version__}, codegen target cython, method rk4\n")
        f.write(f"dt_ms {dt_ms!r}\n")
        for k in np.lexsort((ids, t)):
            f.write("spike %d %.9f\n" % (ids[k], t[k] + dt_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
