#!/usr/bin/python3
"""Time spikeq against the Brian2 peers on the same networks, in one invocation.

Builds bench/spikeq_bench, bare_loop and peak_rss (Release). Then, network by network:
compiles the Brian2 C++ standalone project of the peer script once per thread count
(single-threaded, and OpenMP for more threads), and runs --repeat rounds in which every
variant runs once: spikeq on the serial backend (the reference), spikeq on the threaded
backend with each --threads count, and each compiled Brian2 binary again, alone. A
network with a static twin (polychronization: the same model without plasticity, which
has no peer) also runs the twin on every spikeq variant in the same rounds, and the
plasticity cost, plastic sim_s over static sim_s, is printed under the table. The order
rotates from round to round so that load on the shared machine hits all alike.
The medians are printed as a table; the table, the bare delivery-loop figures, the date,
the machine and the exact command replace the marked section of docs/performance.md
(text outside the markers is left as it is).

Run with /usr/bin/python3 (Debian's Brian2 is not importable from a pyenv python):
    /usr/bin/python3 bench/run.py                      # every network, 3 rounds
    /usr/bin/python3 bench/run.py --quick --no-write   # smoke run of the whole pipeline
"""
import argparse
import array
import datetime
import glob
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the project root.
PEERS = os.path.join(os.path.dirname(REPO), 'shared', 'peers', 'brian2')
DOC = os.path.join(REPO, 'docs', 'performance.md')
BEGIN = '<!-- bench/run.py results: begin (generated; edits inside are overwritten) -->'
END = '<!-- bench/run.py results: end -->'


@dataclass(frozen=True)
class Net:
    peer: str          # Brian2 peer script
    size: int          # --size of both programs (the peers' default)
    duration_ms: float  # default simulated time
    # spikeq_bench network of the same model with static synapses, timed by spikeq alone
    # beside this one (it has no peer), so that the table shows what plasticity costs
    static: str = ''


# spikeq_bench --network -> the peer and the defaults. Sizes are the peers' defaults
# (Brunel: NE = 10000, so 12 500 neurons and 15.6 M synapses).
NETWORKS = {
    'cuba': Net(os.path.join(PEERS, 'cuba.py'), 4000, 10000.0),
    'coba': Net(os.path.join(PEERS, 'coba.py'), 4000, 10000.0),
    'izhikevich2003': Net(os.path.join(PEERS, 'izhikevich2003.py'), 1000, 10000.0),
    'brunel2000': Net(os.path.join(PEERS, 'brunel2000.py'), 10000, 1000.0),
    # ../shared is read-only: the heterogeneous-delay variant of the peer lives here.
    'brunel2000_hetero': Net(os.path.join(REPO, 'bench', 'peers', 'brunel2000_hetero.py'),
                             10000, 1000.0),
    # Izhikevich 2006 spnet: 1000 neurons x 100 synapses, delays 1-20 ms, STDP with a
    # once-per-second weight update (dt = 1 ms, so 60 s is 60 000 steps).
    'polychronization': Net(os.path.join(PEERS, 'polychronization.py'), 1000, 60000.0,
                            static='polychronization_static'),
}

QUICK_FACTOR = 10  # --quick simulates a tenth of each default duration

# Fields whose median is reported; the rest (names, sizes) are the same every round.
TIMED = ('build_s', 'sim_s', 'binary_s', 'peak_rss_bytes', 'events_per_s', 'spikes')


@dataclass(frozen=True)
class Variant:
    simulator: str  # 'spikeq' or 'brian2'
    threads: int
    backend: str = ''  # spikeq only
    static: bool = False  # spikeq only: runs the network's static twin (Net.static)

    def label(self):
        if self.simulator == 'spikeq':
            return 'spikeq %s' % self.backend
        return 'Brian2' + (' OpenMP' if self.threads > 1 else '')

    def network(self, network):
        """The spikeq_bench network this variant runs for `network`."""
        return NETWORKS[network].static if self.static else network


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--networks', nargs='+', choices=list(NETWORKS), default=list(NETWORKS),
                   help='subset to run (default: all, in this order)')
    p.add_argument('--duration', type=float,
                   help='simulated time in ms for every network (default: 10 s for CUBA, '
                        'COBA and Izhikevich 2003, 1 s for the Brunel networks, 60 s for '
                        'polychronization and its static twin)')
    p.add_argument('--durations', nargs='+', default=[], metavar='NETWORK=MS',
                   help='simulated time of single networks, over --duration and the '
                        'defaults, e.g. --durations brunel2000=500 coba=2000')
    p.add_argument('--repeat', type=int,
                   help='rounds; the median is reported (default 3, --quick 1)')
    p.add_argument('--quick', action='store_true',
                   help='smoke run: a tenth of the default durations, 1 round, a short '
                        'bare loop')
    p.add_argument('--threads', type=int, nargs='+', default=[1, 2],
                   help='thread counts of spikeq\'s threaded backend and of Brian2 '
                        '(1: Brian2 without OpenMP; more: OpenMP) (default: 1 2)')
    p.add_argument('--backend', default='tbb',
                   help='spikeq\'s threaded backend (default %(default)s); the serial '
                        'backend always runs too, as the reference')
    p.add_argument('--no-serial', action='store_true',
                   help='leave out the serial-backend reference row')
    p.add_argument('--oversubscribe', action='store_true',
                   help='let spikeq run more threads than cores')
    p.add_argument('--no-peers', action='store_true', help='spikeq only, no Brian2')
    p.add_argument('--no-static', action='store_true',
                   help='leave out the static twins (polychronization_static beside '
                        'polychronization, on every spikeq variant) and so the '
                        'plasticity cost')
    p.add_argument('--brian-projects', metavar='DIR',
                   help='keep the Brian2 projects in DIR (one per network and thread count) '
                        'and reuse them in later invocations: Brian2 rewrites only changed '
                        'files, so make recompiles only those and build_s shrinks to code '
                        'generation (default: a temporary directory, deleted at the end)')
    p.add_argument('--seed', type=int, default=12345)
    p.add_argument('--build-dir', default=os.path.join(REPO, 'build-bench'),
                   help='CMake build directory (default %(default)s)')
    p.add_argument('--jobs', type=int, default=2, help='parallel compile jobs')
    p.add_argument('--no-bare-loop', action='store_true',
                   help='skip the bare delivery-loop micro-benchmark')
    p.add_argument('--no-write', action='store_true',
                   help='print the table only; leave docs/performance.md alone')
    args = p.parse_args()

    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.repeat < 1:
        p.error('--repeat must be at least 1')
    if any(t < 1 for t in args.threads):
        p.error('--threads: counts must be at least 1')
    if args.backend == 'serial' and any(t != 1 for t in args.threads):
        p.error('the serial backend runs on one thread: use --threads 1 with --backend serial')
    args.threads = sorted(set(args.threads))
    args.duration_ms = {}
    for name in args.networks:
        default = NETWORKS[name].duration_ms
        args.duration_ms[name] = (args.duration if args.duration is not None
                                  else default / QUICK_FACTOR if args.quick else default)
    for item in args.durations:
        name, sep, value = item.partition('=')
        if not sep or name not in NETWORKS:
            p.error('--durations: expected NETWORK=MS with NETWORK one of %s, got %r'
                    % (', '.join(NETWORKS), item))
        try:
            args.duration_ms[name] = float(value)
        except ValueError:
            p.error('--durations: %r is not a time in ms' % value)
    if any(not d > 0 for d in args.duration_ms.values()):
        p.error('durations must be positive')
    return args


def variants_of(args):
    """The rows of each network, in table order (static twins: static_variants)."""
    spikeq = [] if args.no_serial else [Variant('spikeq', 1, 'serial')]
    for t in args.threads:
        v = Variant('spikeq', t, args.backend)
        if v not in spikeq:  # --backend serial --threads 1 is the reference itself
            spikeq.append(v)
    brian = [] if args.no_peers else [Variant('brian2', t) for t in args.threads]
    return spikeq + brian


def static_variants(variants, args, network):
    """The spikeq variants again, on the network's static twin (none if it has none)."""
    if args.no_static or not NETWORKS[network].static:
        return []
    return [Variant(v.simulator, v.threads, v.backend, static=True)
            for v in variants if v.simulator == 'spikeq']


def fail(cmd, code, err):
    sys.exit('command failed (exit %d): %s\n%s' % (code, shlex.join(cmd), err[-4000:]))


def run(cmd, cwd=None, env=None):
    """Runs cmd to completion and returns (stdout, stderr); exits on failure."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        fail(cmd, proc.returncode, proc.stderr or proc.stdout)
    return proc.stdout, proc.stderr


def key_values(text):
    """`key value` lines; Brian2's make output shares stdout, so other lines are skipped."""
    kv = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r'[a-z][a-z0-9_]*', parts[0]):
            kv[parts[0]] = parts[1]
    return kv


def build(args):
    programs = ('spikeq_bench', 'bare_loop', 'peak_rss')
    build_targets(args, programs)
    return {p: os.path.join(args.build_dir, 'bench', p) for p in programs}


def build_targets(args, programs):
    """Configures args.build_dir (Release, no tests or examples) and builds `programs`."""
    generator = []
    if not os.path.exists(os.path.join(args.build_dir, 'CMakeCache.txt')) \
            and shutil.which('ninja'):
        generator = ['-G', 'Ninja']
    print('building the bench programs in %s' % args.build_dir, flush=True)
    run(['cmake', '-S', REPO, '-B', args.build_dir] + generator +
        ['-DCMAKE_BUILD_TYPE=Release', '-DSPIKEQ_BUILD_TESTS=OFF',
         '-DSPIKEQ_BUILD_EXAMPLES=OFF'])
    run(['cmake', '--build', args.build_dir, '--target'] + list(programs) +
        ['-j', str(args.jobs)])


# ---------------------------------------------------------------------------- spikeq

def spikeq_cmd(programs, variant, args, network, size, duration_ms):
    cmd = [programs['spikeq_bench'], '--network', network, '--size', str(size),
           '--duration', repr(duration_ms), '--seed', str(args.seed),
           '--backend', variant.backend, '--threads', str(variant.threads)]
    return cmd + (['--oversubscribe'] if args.oversubscribe else [])


def check_spikeq_networks(programs, args):
    """Stops at once if this build of spikeq_bench lacks a network to be run (it lists
    its networks when asked for an unknown one), not after the Brian2 compilations."""
    proc = subprocess.run([programs['spikeq_bench'], '--network', '?'],
                          capture_output=True, text=True)
    m = re.search(r'\(choose ([^)]*)\)', proc.stderr)
    if not m:
        return  # another message: the runs themselves will tell
    known = set(m.group(1).replace(',', ' ').split())
    wanted = set(args.networks)
    if not args.no_static:
        wanted |= {NETWORKS[n].static for n in args.networks if NETWORKS[n].static}
    missing = sorted(wanted - known)
    if missing:
        sys.exit('this build of spikeq_bench has no network %s (it has: %s)'
                 % (', '.join(missing), ', '.join(sorted(known))))


def check_spikeq_backends(programs, variants, args):
    """Runs a tiny network on every spikeq variant first, so that a backend missing from
    this build stops the harness in a second, not after the Brian2 compilations."""
    for v in variants:
        if v.simulator != 'spikeq':
            continue
        cmd = spikeq_cmd(programs, v, args, 'cuba', 100, 10.0)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit('spikeq cannot run backend %r on %d thread(s):\n  %s\n(%s)'
                     % (v.backend, v.threads, proc.stderr.strip(),
                        'until it lands, run with --backend serial --threads 1'
                        if 'unknown backend' in proc.stderr else shlex.join(cmd)))
        threads = int(key_values(proc.stdout)['threads'])
        if threads != v.threads:
            sys.exit('spikeq ran backend %r on %d threads, not the %d asked for'
                     % (v.backend, threads, v.threads))


def run_spikeq(programs, variant, args, network, size, duration_ms):
    kv = key_values(run(spikeq_cmd(programs, variant, args, network, size, duration_ms))[0])
    if int(kv['threads']) != variant.threads:
        sys.exit('spikeq %s ran on %s threads, not %d' % (variant.backend, kv['threads'],
                                                           variant.threads))
    return kv


# ---------------------------------------------------------------------------- Brian2

def brian_synapse_bytes(project):
    """Bytes of Brian2's per-synapse arrays, from the results the binary dumps (its
    spike queue's own per-synapse tables are not in there, so this is a lower bound)."""
    total = 0
    results = os.path.join(project, 'results')
    for name in os.listdir(results):
        m = re.fullmatch(r'_dynamic_array_synapses(?:_\d+)?_(.+)_\d+', name)
        if m and m.group(1) not in ('N_incoming', 'N_outgoing'):  # per neuron
            total += os.path.getsize(os.path.join(results, name))
    return total


def brian_spikes(project):
    """Spikes of the binary's last run: the SpikeMonitors' per-neuron counts (int32),
    which the binary dumps even with record=False."""
    files = glob.glob(os.path.join(project, 'results', '_array_spikemonitor*_count_*'))
    if not files:
        sys.exit('no SpikeMonitor count in %s/results' % project)
    total = 0
    for name in files:
        counts = array.array('i')  # int32, native order: the binary ran on this machine
        with open(name, 'rb') as f:
            counts.frombytes(f.read())
        total += sum(counts)
    return total


def compile_brian(net, threads, args, network, project):
    """Runs the peer script once in `project`: code generation, compilation and a first
    run of the binary (not counted: a warm-up). What it reports that does not change
    from run to run (sizes, build_s) is kept; the timed runs re-run the binary."""
    os.makedirs(project, exist_ok=True)
    cmd = ['/usr/bin/python3', net.peer, '--size', str(net.size),
           '--duration', repr(args.duration_ms[network]), '--seed', str(args.seed),
           # The peers' --threads 0 is the plain single-threaded build, without OpenMP.
           '--threads', str(threads if threads > 1 else 0), '--builddir', project]
    kv = key_values(run(cmd, cwd=os.path.dirname(net.peer))[0])
    kv['warmup_spikes'] = kv['spikes']
    kv['bytes_per_synapse'] = brian_synapse_bytes(project) / max(int(kv['synapses']), 1)
    return kv


def run_brian(programs, project, compiled):
    """Re-runs a compiled Brian2 binary alone, under peak_rss. The binary is the whole
    simulation (synapse creation, run, writing results) with the seed compiled in, so a
    re-run is the same simulation; its own main-loop time lands in last_run_info.txt."""
    info = os.path.join(project, 'results', 'last_run_info.txt')
    if os.path.exists(info):
        os.remove(info)  # never read a stale time
    # Brian2 runs its binary with LD_BIND_NOW=1 (prefs run_environment_variables).
    env = dict(os.environ, LD_BIND_NOW='1')
    t0 = time.time()
    _, err = run([programs['peak_rss'], './main'], cwd=project, env=env)
    binary_s = time.time() - t0
    with open(info) as f:
        sim_s, completed = (float(x) for x in f.read().split())
    if completed != 1.0:
        sys.exit('Brian2 binary in %s completed %g of its run' % (project, completed))
    kv = dict(compiled)
    kv['sim_s'] = sim_s
    kv['binary_s'] = binary_s
    kv['peak_rss_bytes'] = int(key_values(err)['peak_rss_bytes'])
    kv['spikes'] = brian_spikes(project)
    # Every neuron of these networks has the same expected out-degree, so this is
    # unbiased (spikeq counts its events exactly).
    kv['events'] = kv['spikes'] * int(kv['synapses']) / int(kv['neurons'])
    kv['events_per_s'] = kv['events'] / sim_s
    return kv


# ---------------------------------------------------------------------------- rounds

def median_of(runs):
    row = dict(runs[0])
    for key in TIMED:
        if key in row:
            row[key] = statistics.median(float(r[key]) for r in runs)
    row['spikes_range'] = (min(int(r['spikes']) for r in runs),
                           max(int(r['spikes']) for r in runs))
    return row


def measure_network(programs, variants, args, network, projects_root, notes, reused):
    net = NETWORKS[network]
    duration_ms = args.duration_ms[network]
    # The static twin's rows come after the Brian2 rows and run in every round too.
    variants = variants + static_variants(variants, args, network)
    projects, compiled = {}, {}
    for v in variants:
        if v.simulator == 'brian2':
            projects[v] = os.path.join(projects_root, '%s_t%d' % (network, v.threads))
            if os.path.exists(os.path.join(projects[v], 'main')):
                reused.add('%s (%s)' % (network, v.label()))
            print('%s: compiling the Brian2 project (%s)' % (network, v.label()), flush=True)
            compiled[v] = compile_brian(net, v.threads, args, network, projects[v])
    runs = {v: [] for v in variants}
    for k in range(args.repeat):
        shift = k % len(variants)
        for v in variants[shift:] + variants[:shift]:
            if v.simulator == 'spikeq':
                kv = run_spikeq(programs, v, args, v.network(network), net.size, duration_ms)
            else:
                kv = run_brian(programs, projects[v], compiled[v])
            runs[v].append(kv)
            print('%s: %s, %d thread%s, round %d of %d: sim_s %.4g' % (
                v.network(network), v.label(), v.threads, 's' if v.threads > 1 else '', k + 1,
                args.repeat, float(kv['sim_s'])), flush=True)
    rows = []
    for v in variants:
        row = median_of(runs[v])
        row['variant'] = v
        row['duration_ms'] = duration_ms
        rows.append(row)
        if v.simulator == 'brian2':
            lo, hi = row['spikes_range']
            warm = int(compiled[v]['warmup_spikes'])
            if v.threads == 1 and (lo != hi or lo != warm):
                # A single-threaded re-run with the same seed must repeat itself exactly;
                # otherwise re-running the binary would not be the same measurement.
                sys.exit('Brian2 %s: re-runs gave %d-%d spikes, the first run %d'
                         % (network, lo, hi, warm))
            if v.threads > 1 and lo != hi:
                notes.append('Brian2 OpenMP on %s: spike counts vary from run to run '
                             '(%d to %d; summation order).' % (row['network'], lo, hi))
    for r in rows:
        if r['variant'].simulator == 'spikeq' and \
                int(r.get('process_threads', 1)) < r['variant'].threads:
            # The backend's worker threads outlive the run; fewer means they never started.
            notes.append('spikeq %s on %s: %s thread(s) in the process after the run, for %d '
                         'asked.' % (r['variant'].backend, r['network'],
                                     r['process_threads'], r['variant'].threads))
    for static in (False, True):  # the network, then its static twin (if it ran)
        group = [r for r in rows if r['variant'].static == static]
        if not group:
            continue
        spikeq_counts = {int(r['spikes']) for r in group
                         if r['variant'].simulator == 'spikeq'}
        if len(spikeq_counts) > 1:
            notes.append('spikeq on %s: the backends gave different spike counts (%s); '
                         'they should be identical.'
                         % (group[0]['network'], ', '.join(map(str, sorted(spikeq_counts)))))
        names = {r['network'] for r in group}
        if len(names) > 1:
            notes.append('%s: the programs report different network names (%s).'
                         % (group[0]['variant'].network(network), ', '.join(sorted(names))))
    # spikeq sim_s over Brian2's at the same thread count, on each spikeq row of the
    # network itself (the static twin has no peer).
    brian = {r['variant'].threads: r for r in rows if r['variant'].simulator == 'brian2'}
    for r in rows:
        v = r['variant']
        peer = brian.get(v.threads) if v.simulator == 'spikeq' and not v.static else None
        r['ratio'] = r['sim_s'] / peer['sim_s'] if peer else None
    # Plasticity cost: plastic sim_s over the static twin's, per spikeq variant.
    twins = {(r['variant'].backend, r['variant'].threads): r
             for r in rows if r['variant'].static}
    for r in rows:
        v = r['variant']
        twin = twins.get((v.backend, v.threads)) \
            if v.simulator == 'spikeq' and not v.static else None
        r['plasticity_cost'] = r['sim_s'] / twin['sim_s'] if twin else None
        r['static_network'] = net.static
        if twin and (twin['neurons'], twin['synapses']) != (r['neurons'], r['synapses']):
            notes.append('%s and its static twin %s differ in size (%s and %s neurons, %s '
                         'and %s synapses); they should be the same network.'
                         % (r['network'], twin['network'], r['neurons'], twin['neurons'],
                            r['synapses'], twin['synapses']))
    return rows


def measure_networks(programs, variants, args, notes):
    keep = args.brian_projects is not None
    root = os.path.abspath(args.brian_projects) if keep \
        else tempfile.mkdtemp(prefix='spikeq_bench_brian2_')
    rows = []
    reused = set()  # Brian2 projects compiled by an earlier invocation
    try:
        for network in args.networks:
            rows += measure_network(programs, variants, args, network, root, notes, reused)
            if not keep:  # the Brunel projects dump about 250 MB of results each
                for name in os.listdir(root):
                    shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    if reused:
        notes.append('Brian2 projects reused from an earlier invocation (`--brian-projects`), '
                     'so their build_s leaves out what was already compiled: %s.'
                     % ', '.join(sorted(reused)))
    return rows


# ---------------------------------------------------------------------------- output

def fmt_table(rows, args, notes):
    head = ['network', 'T (s)', 'simulator', 'threads', 'neurons', 'synapses', 'spikes',
            'rate (Hz)', 'build_s', 'sim_s', 'RTF', 'events/s', 'bytes/synapse',
            'peak RSS (MiB)', 'spikeq/Brian2 sim_s']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        v = r['variant']
        t = r['duration_ms'] / 1000.0
        cells = [r['network'], '%g' % t, v.label(), v.threads, r['neurons'], r['synapses'],
                 '%d' % round(r['spikes']),
                 '%.2f' % (r['spikes'] / int(r['neurons']) / t),
                 '%.3f' % r['build_s'], '%.4f' % r['sim_s'], '%.3f' % (r['sim_s'] / t),
                 '%.2e' % r['events_per_s'], '%.2f' % float(r['bytes_per_synapse']),
                 '%.1f' % (r['peak_rss_bytes'] / 2**20),
                 '—' if r['ratio'] is None else '%.2f' % r['ratio']]
        lines.append('| ' + ' | '.join(str(c) for c in cells) + ' |')
    lines.append('')
    text = ('Medians of %d round%s; the order of the rows rotates from round to round. '
            'RTF: sim_s per simulated second. spikeq/Brian2: spikeq sim_s over Brian2 sim_s '
            'at the same thread count (below 1: spikeq faster). Brian2 build_s is code '
            'generation plus compilation, once per network and thread count; its timed '
            'rounds re-run the compiled binary.'
            % (args.repeat, '' if args.repeat == 1 else 's'))
    lines.append(text)
    costs = {}  # network -> its spikeq rows that have a static twin, in table order
    for r in rows:
        if r.get('plasticity_cost') is not None:
            costs.setdefault(r['network'], []).append(r)
    for name, group in costs.items():
        lines += ['', 'Plasticity cost, %s: sim_s with plasticity over sim_s of the same '
                  'network with static synapses (`%s`, the %s_static rows, timed in the '
                  'same rounds): %s.'
                  % (name, group[0]['static_network'], name,
                     '; '.join('%s, %d thread%s: %.2fx'
                               % (r['variant'].label(), r['variant'].threads,
                                  '' if r['variant'].threads == 1 else 's',
                                  r['plasticity_cost']) for r in group))]
    for n in notes:
        lines += ['', '- ' + n]
    return '\n'.join(lines)


BARE_VARIANTS = [
    ('fixed64', 'int64 fixed point, per-synapse float weight, one delay'),
    ('fixed64_homogeneous', 'int64 fixed point, one weight per projection, one delay'),
    ('float', 'float accumulation, per-synapse weight, one delay'),
    ('packed', 'packed 16-bit delay + 16-bit local target, per-synapse weight, '
               'one delay (1.5 ms)'),
    ('packed_hetero', 'packed, delays uniform in 1-20 ms (191 delays into a 20 MB ring)'),
]


def run_bare_loop(binary, quick):
    print('bare_loop (Brunel-sized random network)', flush=True)
    extra = ['--events', '20000000', '--repeat', '1'] if quick else []
    return key_values(run([binary] + extra)[0])


def fmt_bare_loop(kv):
    lines = ['Bare delivery loop on one core (`bare_loop`: %s neurons, %s synapses per row, '
             '%s synapses, CSR %.0f MiB; median of %s repeat%s of %s events, random spiking '
             'sources; no spikeq code). Compare with spikeq\'s events/s per thread, which '
             'also pays for the neuron updates:'
             % (kv['neurons'], kv['row_length'], kv['synapses'], int(kv['csr_bytes']) / 2**20,
                kv['repeat'], '' if kv['repeat'] == '1' else 's', kv['events_per_repeat']),
             '',
             '| variant | events/s | CSR stream (GB/s) |',
             '|---|---|---|']
    for key, label in BARE_VARIANTS:
        lines.append('| %s | %.2e | %s |' % (label, float(kv[key + '_events_per_s']),
                                           kv[key + '_stream_gb_per_s']))
    return '\n'.join(lines)


def package_version(name):
    proc = subprocess.run(['dpkg-query', '-W', '-f', '${Version}', name],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout else 'unknown'


def machine():
    model = 'unknown'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    with open('/proc/loadavg') as f:
        load = ' '.join(f.read().split()[:3])
    compiler = subprocess.run(['c++', '--version'], capture_output=True,
                              text=True).stdout.splitlines()[0]
    return model, os.cpu_count(), load, compiler


def section(table, bare, started, load):
    model, cores, _, compiler = machine()
    command = shlex.join(['/usr/bin/python3', os.path.relpath(os.path.abspath(sys.argv[0]),
                                                              REPO)] + sys.argv[1:])
    parts = ['### Latest run: %s' % started.strftime('%Y-%m-%d %H:%M %Z').strip(),
             '',
             '- Command (from the repository root): `%s`' % command,
             '- CPU: %s, %d logical cores (`/proc/cpuinfo`); load average at the start: %s'
             % (model, cores, load),
             '- Compiler: %s; oneTBB %s; Brian2 %s (Debian python3-brian); Python %s'
             % (compiler, package_version('libtbb-dev'), package_version('python3-brian'),
                platform.python_version()),
             '',
             table]
    if bare:
        parts += ['', bare]
    return '\n'.join(parts)


def write_doc(text, begin=BEGIN, end=END):
    """Replaces the section between the markers of docs/performance.md (appends it when
    the markers are missing); text outside the markers is left as it is."""
    block = begin + '\n' + text + '\n' + end
    if os.path.exists(DOC):
        with open(DOC) as f:
            doc = f.read()
    else:
        doc = '# Performance\n\n' + begin + '\n' + end + '\n'
    if begin in doc and end in doc:
        head, rest = doc.split(begin, 1)
        doc = head + block + rest.split(end, 1)[1]
    else:
        doc = doc.rstrip('\n') + '\n\n' + block + '\n'
    with open(DOC, 'w') as f:
        f.write(doc)
    print('wrote %s' % os.path.relpath(DOC, os.getcwd()))


def main():
    args = parse_args()
    started = datetime.datetime.now().astimezone()
    load = machine()[2]  # before our own builds and runs add to it
    t0 = time.time()
    programs = build(args)
    variants = variants_of(args)
    check_spikeq_networks(programs, args)
    check_spikeq_backends(programs, variants, args)
    # The short micro-benchmark first, so a failure there costs seconds, not minutes.
    bare = None if args.no_bare_loop else fmt_bare_loop(run_bare_loop(programs['bare_loop'],
                                                                      args.quick))
    notes = []
    if float(load.split()[0]) > 0.5 * os.cpu_count():
        notes.append('Load average %s at the start on %d cores: other processes shared the '
                     'machine, so single figures are unreliable, the OpenMP rows most of all.'
                     % (load.split()[0], os.cpu_count()))
    table = fmt_table(measure_networks(programs, variants, args, notes), args, notes)
    text = section(table, bare, started, load)
    print()
    print(text)
    print('\n(%.0f s)' % (time.time() - t0))
    if not args.no_write:
        write_doc(text)


if __name__ == '__main__':
    main()
