#!/usr/bin/python3
"""Time spikeq's ELM neuron against the same forward pass in PyTorch, in one invocation.

Builds bench/spikeq_elm_bench (Release), then runs --repeat rounds in which every variant
runs once over the population sizes (--neurons), in an order that rotates from round to
round:
  spikeq kernel      the model's step on a block of n neurons fed pre-drawn input: the
                     work of a PyTorch forward pass over a batch (float32 and float64);
  spikeq network     n ELM neurons in a network fed by Poisson inputs through delayed
                     synapses, on the serial backend and on oneTBB with --threads;
  pytorch            bench/peers/elm_torch.py (Debian python3-torch on the CPU, with the
                     BLAS the system provides), float32 on 1 and --threads threads, and
                     float64 on 1 thread.
Inputs spike with probability 0.003 per input and 1 ms step in every variant. The medians
of neuron-steps per second are printed as a table and, unless --no-write, replace the
ELM section of docs/performance.md together with the date, the machine and the command.

Run with /usr/bin/python3 (Debian's torch is not importable from other pythons); the
PyTorch peer needs `SPIKEQ_BENCH_PEERS=1 scripts/setup.sh` (torch and OpenBLAS):
    /usr/bin/python3 bench/elm.py
    /usr/bin/python3 bench/elm.py --quick --no-write
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (shared helpers: build, machine, docs section)

REPO = bench.REPO
PEER = os.path.join(REPO, 'bench', 'peers', 'elm_torch.py')
DEFAULT_WEIGHTS = os.path.join(REPO, 'models', 'data', 'best_elm_neuron.h5')
BEGIN = '<!-- bench/elm.py results: begin (generated; edits inside are overwritten) -->'
END = '<!-- bench/elm.py results: end -->'


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--weights', default=DEFAULT_WEIGHTS, help='ELM weight file (.h5)')
    p.add_argument('--neurons', default='1,100,1000', help='population sizes')
    p.add_argument('--steps', type=int, default=300, help='1 ms steps timed per run')
    p.add_argument('--threads', type=int, default=os.cpu_count(),
                   help='threads of the threaded variants (default: every core)')
    p.add_argument('--repeat', type=int, default=3, help='rounds; the median is reported')
    p.add_argument('--quick', action='store_true', help='1 round of 50 steps')
    p.add_argument('--no-peers', action='store_true', help='spikeq only')
    p.add_argument('--no-write', action='store_true', help='leave docs/performance.md alone')
    p.add_argument('--build-dir', default=os.path.join(REPO, 'build-bench'))
    p.add_argument('--jobs', type=int, default=os.cpu_count())
    args = p.parse_args()
    if args.quick:
        args.repeat, args.steps = 1, 50
    args.sizes = [int(v) for v in args.neurons.split(',')]
    return args


def build(args):
    bench.build_targets(args, ('spikeq_elm_bench',))
    return os.path.join(args.build_dir, 'bench', 'spikeq_elm_bench')


def variants(args, binary):
    """(label, command) of every variant; each prints one JSON line per size."""
    common = ['--weights', args.weights, '--neurons', args.neurons, '--steps', str(args.steps)]
    out = [
        ('spikeq kernel float32, 1 thread', [binary, '--mode', 'kernel'] + common),
        ('spikeq kernel float64, 1 thread', [binary, '--mode', 'kernel', '--precision',
                                             'float64'] + common),
        ('spikeq network float32, serial', [binary, '--mode', 'network'] + common),
        ('spikeq network float32, tbb %d threads' % args.threads,
         [binary, '--mode', 'network', '--backend', 'tbb', '--threads', str(args.threads)]
         + common),
    ]
    if not args.no_peers:
        peer = ['/usr/bin/python3', PEER] + common
        out += [
            ('pytorch float32, 1 thread', peer + ['--threads', '1']),
            ('pytorch float32, %d threads' % args.threads, peer + ['--threads', str(args.threads)]),
            ('pytorch float64, 1 thread', peer + ['--threads', '1', '--dtype', 'float64']),
        ]
    return out


def measure(args, runs):
    """Median neuron-steps/s per (variant, size) over the rounds, and the peer's BLAS."""
    samples = {label: {n: [] for n in args.sizes} for label, _ in runs}
    blas = ''
    for r in range(args.repeat):
        order = runs[r % len(runs):] + runs[:r % len(runs)]
        for label, cmd in order:
            print('round %d/%d: %s' % (r + 1, args.repeat, label), flush=True)
            stdout, _ = bench.run(cmd)
            for line in stdout.splitlines():
                if not line.startswith('{'):
                    continue
                rec = json.loads(line)
                samples[label][rec['neurons']].append(rec['neuron_steps_per_s'])
                blas = rec.get('blas', blas)
    return {label: {n: statistics.median(v) for n, v in by.items()}
            for label, by in samples.items()}, blas


def fmt_rate(x):
    return '%.3g M' % (x / 1e6) if x >= 1e6 else '%.0f k' % (x / 1e3)


def table(args, medians):
    head = '| variant | ' + ' | '.join('%d neuron%s' % (n, '' if n == 1 else 's')
                                       for n in args.sizes) + ' |'
    rows = [head, '|---' * (len(args.sizes) + 1) + '|']
    for label, by in medians.items():
        rows.append('| %s | ' % label + ' | '.join(
            '%s (%.2f µs)' % (fmt_rate(by[n]), 1e6 / by[n]) for n in args.sizes) + ' |')
    base = 'pytorch float32, 1 thread'
    if base in medians:
        for label in ('spikeq kernel float32, 1 thread', 'spikeq network float32, serial'):
            rows.append('| **%s / pytorch float32, 1 thread** | ' % label.split(',')[0] +
                        ' | '.join('%.1f×' % (medians[label][n] / medians[base][n])
                                   for n in args.sizes) + ' |')
    return '\n'.join(rows)


def main():
    args = parse_args()
    if not os.path.exists(args.weights):
        sys.exit('no ELM weight file at %s (--weights)' % args.weights)
    if not args.no_peers and subprocess.run(['/usr/bin/python3', '-c', 'import torch'],
                                            capture_output=True).returncode != 0:
        sys.exit('PyTorch is missing: run SPIKEQ_BENCH_PEERS=1 scripts/setup.sh, or --no-peers')
    started = datetime.datetime.now(datetime.timezone.utc)
    _, _, load, _ = bench.machine()
    binary = build(args)
    medians, blas = measure(args, variants(args, binary))
    text = table(args, medians)
    print('\nneuron-steps per second, median of %d (µs per neuron-step):\n' % args.repeat)
    print(text)
    if args.no_write:
        return
    notes = ['Weights: `%s`; %d steps of 1 ms per run; inputs spike with probability 0.003 '
             'per input and step.' % (os.path.relpath(args.weights, REPO), args.steps),
             'PyTorch %s (Debian python3-torch) with %s.' % (
                 bench.package_version('python3-torch'), blas or 'the system BLAS')]
    bench.write_doc(bench.section(text, '\n'.join(notes), started, load), BEGIN, END)


if __name__ == '__main__':
    main()
