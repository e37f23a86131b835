#!/usr/bin/env python3
"""Brunel (2000) model A with heterogeneous delays, uniform in [1, 20] ms.

Identical to ../shared/peers/brian2/brunel2000.py (see its docstring for the
model) except that every synapse gets its own delay, drawn uniformly in
[--delay-min, --delay-max] ms (default [1, 20] ms) instead of the fixed 1.5 ms.
It lives here because ../shared is read-only; it reuses the peers' common.py,
so its command line and its `key value` report are those of the other peers.

Delays become whole steps: Brian2's spike queue takes int(d/dt + 0.5) (halves
round up), spikeq rounds to the nearest step (halves to even). The two differ
only on exact halves, which uniform draws practically never hit; in both the
end steps 10 and 200 get half the probability of the steps in between.

Usage: /usr/bin/python3 bench/peers/brunel2000_hetero.py --size 10000 --duration 1000
"""
import os
import sys

# ../shared beside the project root (this file is bench/peers/ of it).
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(os.path.dirname(_ROOT), 'shared', 'peers', 'brian2'))
import common  # noqa: E402  (after the path insert)


def extra_args(p):
    p.add_argument('--ce', type=int, default=0,
                   help='excitatory in-degree CE (default 0.1*NE)')
    p.add_argument('--g', type=float, default=5.0)
    p.add_argument('--eta', type=float, default=2.0)
    p.add_argument('--delay-min', type=float, default=1.0,
                   help='shortest delay in ms (default %(default)s)')
    p.add_argument('--delay-max', type=float, default=20.0,
                   help='longest delay in ms (default %(default)s)')


args = common.parse_args(__doc__.splitlines()[0],
                         'number of excitatory neurons NE (10000)',
                         10000, 1000.0, extra=extra_args)
b2 = common.setup_device(args)
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, PoissonInput, ms, mV,  # noqa: E402
                    Hz, defaultclock)

defaultclock.dt = 0.1 * ms
NE = int(args.size)
NI = NE // 4
N = NE + NI
CE = args.ce if args.ce > 0 else NE // 10
CI = CE // 4
J = 0.1 * mV
g = args.g
eta = args.eta
tau = 20 * ms
theta = 20 * mV
Vr = 10 * mV
delay_min = args.delay_min * ms
delay_max = args.delay_max * ms
nu_thr = theta / (J * CE * tau)
nu_ext = eta * nu_thr

G = NeuronGroup(N, 'dv/dt = -v/tau : volt (unless refractory)',
                threshold='v > theta', reset='v = Vr', refractory=2 * ms,
                method='exact')
G.v = 'rand() * theta'
# No `delay=` in the constructor: that would make the delay one shared scalar.
# Set after connect(), `delay` is a per-synapse variable.
Se = Synapses(G, G, on_pre='v_post += J*int(not_refractory_post)')
Se.connect(i='k for k in sample(0, NE, size=CE)')
Se.delay = 'delay_min + rand() * (delay_max - delay_min)'
Si = Synapses(G, G, on_pre='v_post += -g*J*int(not_refractory_post)')
Si.connect(i='k for k in sample(NE, N_pre, size=CI)')
Si.delay = 'delay_min + rand() * (delay_max - delay_min)'
ext = PoissonInput(G, 'v', CE, nu_ext, weight='J*int(not_refractory)')
mon = SpikeMonitor(G, record=False)


def extra():
    yield ('NE_NI_CE_CI', '%d_%d_%d_%d' % (NE, NI, CE, CI))
    yield ('nu_ext_hz', '%.3f' % float(nu_ext / Hz))
    yield ('delay_ms', '%g-%g' % (args.delay_min, args.delay_max))


common.run_and_report(b2, args, 'Brunel2000A_hetero', N, [mon], [Se, Si],
                      args.duration * ms, [G, Se, Si, ext, mon],
                      dict(globals()), extra_report=extra)
