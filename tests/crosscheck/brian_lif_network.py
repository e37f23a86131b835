#!/usr/bin/python3
"""Brian2 side of the spikeq cross-check (tests/crosscheck/test_brian_crosscheck.cpp).

Usage: /usr/bin/python3 brian_lif_network.py NETWORK.json RESULT.txt

NETWORK.json is written by the C++ test, which is the single source of truth for the
network (parameters, I_e, V_init, synapse list). This script builds the same network in
Brian2 2.5.1 (runtime mode, codegen target 'numpy', method 'exact'), runs it and writes
RESULT.txt, a plain-text file the C++ test reads:

    refractory_steps <n>       Brian2 refractory period used, in steps (see below)
    margin_mV <m>              min |v - V_th| over every neuron and step, just before
                               the threshold test: how robust the spike times are
    spike <i> <u>              neuron i crossed threshold in Brian2 time step u
                               (Brian2 time t = u dt), in time order
    trace <u> <i> <v> <I_ex> <I_in>
                               state of neuron i after step u (after reset), i.e. at
                               time (u + 1) dt, in mV and pA

Conventions (checked empirically with Brian2 2.5.1 against spikeq, see the C++ test):

* Spike times. Brian2 stamps a threshold crossing with the time t = u dt at the start
  of the step whose update produced it; spikeq (like NEST) stamps it with the end of
  that step, (u + 1) dt. So spikeq time = Brian2 time + dt. This script writes Brian2's
  step u unchanged; the C++ test adds the one step.

* Delays. A spike detected in Brian2 step u with a delay of d steps is delivered in the
  'synapses' slot of step u + d, i.e. after that step's state update: the jump is part
  of the state at time (u + d + 1) dt. In spikeq the spike is stamped S = u + 1 and
  lands at (S + d) dt = (u + 1 + d) dt: the same absolute time. No delay offset is
  needed; both sides round delay / dt to whole steps and use the same d.

* Refractoriness. spikeq clamps V at V_reset during exactly R = round(t_ref / dt)
  updates after the spiking update. Brian2 evaluates
      not_refractory = timestep(t - lastspike, dt) >= timestep(refractory, dt)
  inside the state updater of each step; in the k-th update after the spike
  t - lastspike = k dt, so refractory = R dt clamps only k = 1 .. R-1 (one update fewer).
  Using refractory = (R + 1) dt clamps k = 1 .. R, as spikeq and NEST do.

* Weights are added to I_ex (w > 0) or I_in (w < 0) with on_pre 'I_x_post += w',
  like spikeq's "ex"/"in" receptors; the C++ test uses weights exactly representable
  as 32-bit floats, because spikeq stores weights as float.
"""
import json
import sys
import warnings

import numpy as np


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: brian_lif_network.py NETWORK.json RESULT.txt\n")
        return 2
    with open(argv[1]) as f:
        net_desc = json.load(f)

    warnings.filterwarnings("ignore")  # numpy / pythran deprecation noise on import
    import brian2 as b2
    from brian2 import mV, ms, pA, pF

    b2.prefs.codegen.target = "numpy"
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True

    dt_ms = float(net_desc["dt_ms"])
    steps = int(net_desc["steps"])
    p = net_desc["neuron"]
    n = int(net_desc["n"])
    syn = net_desc["synapses"]
    dt = dt_ms * ms
    ref_steps = int(round(p["t_ref_ms"] / dt_ms))

    namespace = {
        "E_L": p["E_L_mV"] * mV,
        "C_m": p["C_m_pF"] * pF,
        "tau_m": p["tau_m_ms"] * ms,
        "tau_syn_ex": p["tau_syn_ex_ms"] * ms,
        "tau_syn_in": p["tau_syn_in_ms"] * ms,
        "V_th": p["V_th_mV"] * mV,
        "V_reset": p["V_reset_mV"] * mV,
    }
    eqs = """
    dv/dt = -(v - E_L)/tau_m + (I_ex + I_in + I_e)/C_m : volt (unless refractory)
    dI_ex/dt = -I_ex/tau_syn_ex : amp
    dI_in/dt = -I_in/tau_syn_in : amp
    I_e : amp (constant)
    """
    clock = b2.Clock(dt=dt)
    G = b2.NeuronGroup(n, eqs, threshold="v >= V_th", reset="v = V_reset",
                       refractory=(ref_steps + 1) * dt, method="exact",
                       namespace=namespace, clock=clock, name="lif")
    G.v = np.asarray(net_desc["V_init_mV"], dtype=float) * mV
    G.I_e = np.asarray(net_desc["I_e_pA"], dtype=float) * pA
    G.I_ex = 0 * pA
    G.I_in = 0 * pA

    objects = [G]
    for name, var, sign in (("ex", "I_ex", 1.0), ("in", "I_in", -1.0)):
        sel = [s for s in syn if s[2] * sign > 0]
        if not sel:
            continue
        S = b2.Synapses(G, G, "w : amp", on_pre=f"{var}_post += w", clock=clock,
                        name=f"syn_{name}")
        src = np.array([s[0] for s in sel], dtype=int)
        tgt = np.array([s[1] for s in sel], dtype=int)
        S.connect(i=src, j=tgt)
        # connect(i=, j=) keeps the given order; check it before assigning per-synapse values
        assert np.array_equal(np.asarray(S.i[:]), src) and np.array_equal(np.asarray(S.j[:]), tgt)
        S.w = np.array([s[2] for s in sel], dtype=float) * pA
        S.delay = np.array([s[3] for s in sel], dtype=float) * dt
        objects.append(S)

    spikes = b2.SpikeMonitor(G, record=True)
    # v just before the threshold test (thresholder has order 0 in the 'thresholds' slot)
    pre_threshold = b2.StateMonitor(G, "v", record=True, when="thresholds", order=-1)
    # state at the end of each step: after synaptic delivery and reset
    trace = b2.StateMonitor(G, ["v", "I_ex", "I_in"], record=True, when="end")
    objects += [spikes, pre_threshold, trace]

    network = b2.Network(*objects)
    network.run(steps * dt, namespace={})

    u = np.rint(np.asarray(spikes.t_) / float(dt)).astype(np.int64)
    ids = np.asarray(spikes.i[:], dtype=np.int64)
    order = np.lexsort((ids, u))
    margin = float(np.min(np.abs(np.asarray(pre_threshold.v_) / 1e-3 - p["V_th_mV"])))

    v = np.asarray(trace.v_) / 1e-3      # (n, steps), mV
    iex = np.asarray(trace.I_ex_) / 1e-12  # pA
    iin = np.asarray(trace.I_in_) / 1e-12
    nsteps = v.shape[1]
    rows = np.column_stack([
        np.tile(np.arange(nsteps), n),
        np.repeat(np.arange(n), nsteps),
        v.reshape(-1), iex.reshape(-1), iin.reshape(-1)])
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]

    with open(argv[2], "w") as f:
        f.write(f"# brian2 {b2.__version__}, codegen target numpy, method exact\n")
        f.write(f"refractory_steps {ref_steps + 1}\n")
        f.write(f"margin_mV {margin:.17g}\n")
        for k in order:
            f.write(f"spike {ids[k]} {u[k]}\n")
        for r in rows:
            f.write("trace %d %d %.17g %.17g %.17g\n" % (int(r[0]), int(r[1]), r[2], r[3], r[4]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
