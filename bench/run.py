#!/usr/bin/python3
"""Time spikeq against the Brian2 peers on the same networks, in one invocation.

Builds bench/spikeq_bench, bare_loop and peak_rss (Release), then for each network runs
spikeq and the Brian2 C++ standalone peer script (/work/shared/peers/brian2/<net>.py)
--repeat times, alternating the two so load on the shared machine hits both alike,
and prints the medians as a table. The table, the bare delivery-loop figures, the
date, the CPU and the exact command replace the marked section of
docs/performance.md; text outside the markers is left as it is.

Run with /usr/bin/python3 (Debian's Brian2 is not importable from a pyenv python):
    /usr/bin/python3 bench/run.py                  # 1 s of each network, 3 repeats
    /usr/bin/python3 bench/run.py --duration 10000 --with-openmp
"""
import argparse
import datetime
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

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = '/work/shared/peers/brian2'
DOC = os.path.join(REPO, 'docs', 'performance.md')
BEGIN = '<!-- bench/run.py results: begin (generated; edits inside are overwritten) -->'
END = '<!-- bench/run.py results: end -->'

# spikeq_bench --network -> (peer script, size): the sizes of the peers' README.
NETWORKS = {
    'cuba': ('cuba.py', 4000),
    'coba': ('coba.py', 4000),
    'izhikevich2003': ('izhikevich2003.py', 1000),
}

# Fields whose median is reported; the rest (names, counts) are the same every repeat.
TIMED = ('build_s', 'sim_s', 'binary_s', 'peak_rss_bytes', 'events_per_s')


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--duration', type=float, default=1000.0,
                   help='simulated time per network in ms (default %(default)s)')
    p.add_argument('--repeat', type=int, default=3,
                   help='runs per simulator and network; the median is reported')
    p.add_argument('--networks', nargs='+', choices=sorted(NETWORKS),
                   default=list(NETWORKS), help='subset to run (default: all)')
    p.add_argument('--seed', type=int, default=12345)
    p.add_argument('--with-openmp', action='store_true',
                   help='also run Brian2 standalone with OpenMP, 2 threads')
    p.add_argument('--build-dir', default=os.path.join(REPO, 'build-bench'),
                   help='CMake build directory (default %(default)s)')
    p.add_argument('--jobs', type=int, default=2, help='parallel compile jobs')
    p.add_argument('--no-bare-loop', action='store_true',
                   help='skip the bare delivery-loop micro-benchmark')
    p.add_argument('--no-write', action='store_true',
                   help='print the table only; leave docs/performance.md alone')
    return p.parse_args()


def fail(cmd, code, err):
    sys.exit('command failed (exit %d): %s\n%s' % (code, shlex.join(cmd), err[-4000:]))


def run(cmd, cwd=None):
    """Runs cmd to completion and returns its stdout; exits on failure."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        fail(cmd, proc.returncode, proc.stderr)
    return proc.stdout


def measure_rss(peak_rss, cmd, cwd=None):
    """Peak RSS (bytes) of one process, measured by bench/peak_rss. Python's own
    os.wait4 would not do: the child's ru_maxrss starts at the size of the process
    that forked it, here Python itself (see bench/peak_rss/main.cpp)."""
    proc = subprocess.run([peak_rss] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        fail(cmd, proc.returncode, proc.stderr)
    return int(key_values(proc.stderr)['peak_rss_bytes'])


def key_values(text):
    """`key value` lines; Brian2's make output shares stdout, so other lines are skipped."""
    kv = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r'[a-z][a-z0-9_]*', parts[0]):
            kv[parts[0]] = parts[1]
    return kv


def build(args):
    generator = []
    if not os.path.exists(os.path.join(args.build_dir, 'CMakeCache.txt')) \
            and shutil.which('ninja'):
        generator = ['-G', 'Ninja']
    print('building the bench programs in %s' % args.build_dir, flush=True)
    run(['cmake', '-S', REPO, '-B', args.build_dir] + generator +
        ['-DCMAKE_BUILD_TYPE=Release', '-DSPIKEQ_BUILD_TESTS=OFF',
         '-DSPIKEQ_BUILD_EXAMPLES=OFF'])
    programs = ('spikeq_bench', 'bare_loop', 'peak_rss')
    run(['cmake', '--build', args.build_dir, '--target'] + list(programs) +
        ['-j', str(args.jobs)])
    return {p: os.path.join(args.build_dir, 'bench', p) for p in programs}


def run_spikeq(programs, net, size, args):
    kv = key_values(run([programs['spikeq_bench'], '--network', net, '--size', str(size),
                         '--duration', repr(args.duration), '--seed', str(args.seed)]))
    kv['simulator'] = 'spikeq'
    return kv


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


def run_brian(programs, script, size, threads, args):
    project = tempfile.mkdtemp(prefix='spikeq_bench_brian2_')
    try:
        kv = key_values(run(['/usr/bin/python3', script, '--size', str(size),
                             '--duration', repr(args.duration), '--seed', str(args.seed),
                             '--threads', str(threads), '--builddir', project],
                            cwd=PEERS))
        # The peer does not report memory: rerun its compiled binary alone for the peak.
        kv['peak_rss_bytes'] = measure_rss(programs['peak_rss'],
                                           [os.path.join(project, 'main')], cwd=project)
        synapses = int(kv['synapses'])
        kv['bytes_per_synapse'] = brian_synapse_bytes(project) / synapses if synapses else 0
        # Every neuron has the same expected out-degree here, so this is unbiased.
        events = int(kv['spikes']) * synapses / int(kv['neurons'])
        kv['events_per_s'] = events / float(kv['sim_s'])
    finally:
        shutil.rmtree(project, ignore_errors=True)
    kv['simulator'] = 'Brian2 standalone' + (', OpenMP %d threads' % threads
                                             if threads else '')
    return kv


def median_of(runs):
    row = dict(runs[0])
    for key in TIMED:
        if key in row:
            row[key] = statistics.median(float(r[key]) for r in runs)
    return row


def measure_networks(programs, args):
    rows = []
    for name in args.networks:
        script, size = NETWORKS[name]
        variants = [('spikeq', None), ('brian2', 0)]
        if args.with_openmp:
            variants.append(('brian2', 2))
        runs = {v: [] for v in variants}
        for k in range(args.repeat):
            for v in variants:
                print('%s: %s%s, run %d of %d' % (name, v[0],
                                                  ' (%d threads)' % v[1] if v[1] else '',
                                                  k + 1, args.repeat), flush=True)
                if v[0] == 'spikeq':
                    runs[v].append(run_spikeq(programs, name, size, args))
                else:
                    runs[v].append(run_brian(programs, script, size, v[1], args))
        medians = [median_of(runs[v]) for v in variants]
        spikeq_sim = medians[0]['sim_s']
        for row in medians:
            row['ratio'] = row['sim_s'] / spikeq_sim if row is not medians[0] else None
        rows += medians
    return rows


def fmt_table(rows, repeat):
    head = ['network', 'simulator', 'neurons', 'synapses', 'spikes', 'rate (Hz)',
            'build_s', 'sim_s', 'events/s', 'bytes/synapse', 'peak RSS (MiB)',
            'Brian2 sim_s / spikeq sim_s']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        cells = [r['network'], r['simulator'], r['neurons'], r['synapses'], r['spikes'],
                 '%.2f' % float(r['mean_rate_hz']), '%.3f' % r['build_s'],
                 '%.4f' % r['sim_s'], '%.2e' % r['events_per_s'],
                 '%.2f' % float(r['bytes_per_synapse']),
                 '%.1f' % (r['peak_rss_bytes'] / 2**20),
                 '—' if r['ratio'] is None else '%.2f' % r['ratio']]
        lines.append('| ' + ' | '.join(str(c) for c in cells) + ' |')
    lines.append('')
    lines.append('Medians of %d runs each; spikeq and Brian2 alternate run by run.' % repeat)
    return '\n'.join(lines)


def run_bare_loop(binary):
    print('bare_loop (Brunel-sized random network)', flush=True)
    return key_values(run([binary]))


def fmt_bare_loop(kv):
    lines = ['Bare delivery loop (`bare_loop`: %s neurons, %s synapses per row, %s '
             'synapses, CSR %.0f MiB; median of %s repeats of %s events, random spiking '
             'sources, one ring row):' % (kv['neurons'], kv['row_length'], kv['synapses'],
                                          int(kv['csr_bytes']) / 2**20, kv['repeat'],
                                          kv['events_per_repeat']),
             '',
             '| variant | events/s | CSR stream (GB/s) |',
             '|---|---|---|']
    labels = [('fixed64', 'int64 fixed point, per-synapse float weight (spikeq\'s scheme)'),
              ('fixed64_homogeneous', 'int64 fixed point, one weight per projection'),
              ('float', 'float accumulation, per-synapse weight'),
              ('spikeq_kernel', 'spikeq\'s own `deliver_group` kernel')]
    for key, label in labels:
        lines.append('| %s | %.2e | %s |' % (label, float(kv[key + '_events_per_s']),
                                           kv[key + '_stream_gb_per_s']))
    return '\n'.join(lines)


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


def section(table, bare, args, started):
    model, cores, load, compiler = machine()
    command = shlex.join(['/usr/bin/python3', os.path.relpath(os.path.abspath(sys.argv[0]),
                                                              REPO)] + sys.argv[1:])
    parts = ['### Latest run: %s' % started.strftime('%Y-%m-%d %H:%M %Z').strip(),
             '',
             '- Command (from the repository root): `%s`' % command,
             '- CPU: %s, %d logical cores (`/proc/cpuinfo`); load average at the start: %s'
             % (model, cores, load),
             '- Compiler: %s; Python %s; simulated time %g ms per network'
             % (compiler, platform.python_version(), args.duration),
             '',
             table]
    if bare:
        parts += ['', bare]
    return '\n'.join(parts)


def write_doc(text):
    block = BEGIN + '\n' + text + '\n' + END
    if os.path.exists(DOC):
        with open(DOC) as f:
            doc = f.read()
    else:
        doc = '# Performance\n\n' + BEGIN + '\n' + END + '\n'
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + block + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip('\n') + '\n\n' + block + '\n'
    with open(DOC, 'w') as f:
        f.write(doc)
    print('wrote %s' % os.path.relpath(DOC, os.getcwd()))


def main():
    args = parse_args()
    started = datetime.datetime.now().astimezone()
    t0 = time.time()
    programs = build(args)
    # The short micro-benchmark first, so a failure there costs seconds, not minutes.
    bare = None if args.no_bare_loop else fmt_bare_loop(run_bare_loop(programs['bare_loop']))
    table = fmt_table(measure_networks(programs, args), args.repeat)
    text = section(table, bare, args, started)
    print()
    print(text)
    print('\n(%.0f s)' % (time.time() - t0))
    if not args.no_write:
        write_doc(text)


if __name__ == '__main__':
    main()
