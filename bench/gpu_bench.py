#!/usr/bin/env python3
"""The timings of bench/gpu.sh: every network on the GPU (cuda backend) and on all CPU
cores (tbb) in one invocation, with a bit-identity check and the two delivery variants.

Each network runs with spikeq_bench (bench/spikeq_bench), whose report ends with a
spike_digest of every spike (step, id): the GPU's digest must equal the CPU's. Networks
small enough also run on the serial backend (the reference) for a shorter time, against a
GPU run of the same length; for the others the tbb run is the reference (the test suite
proves tbb byte-identical to serial). 1000 ELM neurons run with spikeq_elm_bench (its
network mode) with the trained weights of models/data/best_elm_neuron.h5.

Prints a table and writes it, with the machine and the command, as JSON.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

# (label, --network, --size, simulated ms, compare delivery variants)
CASES = [
    ('Brunel 2000, 12 500 neurons', 'brunel2000_scaled', 10000, 1000.0, True),
    ('Brunel 2000, 125 000 neurons (in-degrees kept)', 'brunel2000_scaled', 100000, 500.0, False),
    ('Potjans-Diesmann microcircuit, full scale', 'potjans_diesmann', 77169, 1000.0, True),
    ('Vogels-Abbott COBA, 100 000 neurons', 'coba', 100000, 500.0, False),
    ('Izhikevich 2006 polychronization with STDP, 1000 neurons', 'polychronization', 1000, 1000.0, False),
]
SERIAL_CHECK_MAX_SYNAPSES = 20_000_000  # serial runs (one thread, build included) up to this
SERIAL_CHECK_MS = 100.0


def run_bench(bench, network, size, ms, backend, timeout, delivery=None):
    """spikeq_bench's report as a dict, or {'error': message}."""
    env = dict(os.environ)
    if delivery:
        env['SPIKEQ_DEVICE_DELIVERY'] = delivery
    cmd = [bench, '--network', network, '--size', str(size), '--duration', str(ms),
           '--backend', backend]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {'error': f'timed out after {timeout:.0f} s', 'command': ' '.join(cmd)}
    if p.returncode != 0:
        message = (p.stderr.strip() or p.stdout.strip()).splitlines()
        return {'error': message[-1] if message else f'exit {p.returncode}', 'command': ' '.join(cmd)}
    out = {'command': ' '.join(cmd)}
    for line in p.stdout.splitlines():
        key, _, value = line.partition(' ')
        out[key] = value
    return out


def run_elm(bench, weights, n, steps, backend, timeout):
    """spikeq_elm_bench's network mode: its JSON line as a dict, or {'error': message}."""
    cmd = [bench, '--weights', weights, '--mode', 'network', '--neurons', str(n),
           '--steps', str(steps), '--backend', backend]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {'error': f'timed out after {timeout:.0f} s', 'command': ' '.join(cmd)}
    if p.returncode != 0:
        lines = (p.stderr.strip() or p.stdout.strip()).splitlines()
        return {'error': lines[-1] if lines else f'exit {p.returncode}', 'command': ' '.join(cmd)}
    report = json.loads(p.stdout.strip().splitlines()[-1])
    report['command'] = ' '.join(cmd)
    return report


def elm_row(label, backend, report, reference):
    if 'error' in report:
        return {'network': label, 'backend': backend, 'status': report['error'],
                'command': report['command']}
    simulated_s = report['steps'] * 1e-3  # 1 ms steps
    row = {
        'network': label, 'backend': backend, 'neurons': report['neurons'],
        'threads': report['threads'], 'build_s': report['build_s'], 'sim_s': report['wall_s'],
        'sim_s_per_simulated_s': report['wall_s'] / simulated_s,
        'events_per_s': report['neuron_steps_per_s'],  # neuron-steps per second
        'bytes_per_synapse': report['bytes_per_synapse'],
        'spike_digest': report.get('spike_digest'), 'command': report['command'],
    }
    if reference is not None and 'error' not in reference:
        row['identical_to'] = 'tbb'
        row['identical'] = reference.get('spike_digest') == report.get('spike_digest')
    return row


def number(report, key):
    return float(report[key]) if key in report else float('nan')


def row_of(label, backend, report, reference, ref_name):
    if 'error' in report:
        return {'network': label, 'backend': backend, 'status': report['error'],
                'command': report['command']}
    duration = number(report, 'duration_s')
    row = {
        'network': label, 'backend': backend,
        'neurons': int(report['neurons']), 'synapses': int(report['synapses']),
        'threads': int(report['threads']),
        'build_s': number(report, 'build_s'), 'sim_s': number(report, 'sim_s'),
        'sim_s_per_simulated_s': number(report, 'sim_s') / duration if duration > 0 else None,
        'events_per_s': number(report, 'events_per_s'),
        'bytes_per_synapse': number(report, 'bytes_per_synapse'),
        'spike_digest': report.get('spike_digest'), 'command': report['command'],
    }
    if reference is not None and 'error' not in reference:
        row['identical_to'] = ref_name
        row['identical'] = reference.get('spike_digest') == report.get('spike_digest')
    return row


def gpu_name():
    try:
        p = subprocess.run(['nvidia-smi', '--query-gpu=name,memory.total', '--format=csv,noheader'],
                           capture_output=True, text=True, timeout=20)
        return p.stdout.strip() or 'unknown'
    except (OSError, subprocess.TimeoutExpired):
        return 'unknown (no nvidia-smi)'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bench', required=True, help='spikeq_bench built with CUDA')
    ap.add_argument('--json', required=True, help='where to write the results')
    ap.add_argument('--build-seconds', type=float, default=0.0)
    ap.add_argument('--deadline', type=float, default=400.0, help='seconds left for the timings')
    ap.add_argument('--gpu-backend', default='cuda',
                    help='cuda-emulated with --quick: a smoke test of this script on a CPU')
    ap.add_argument('--quick', action='store_true', help='small networks for 50 ms')
    ap.add_argument('--elm-bench', help='spikeq_elm_bench built with CUDA')
    ap.add_argument('--elm-weights', default='', help='ELM weight file (best_elm_neuron.h5)')
    a = ap.parse_args()
    if a.quick:  # labels keep the full networks' names, with the size that ran
        cases = [(f'{label} [quick: --size {max(size // 50, 200)}]', network,
                  max(size // 50, 200), 50.0, variants)
                 for label, network, size, ms, variants in CASES]
    else:
        cases = CASES
    stop = time.monotonic() + a.deadline
    rows, failures = [], 0

    def left():
        return stop - time.monotonic()

    for label, network, size, ms, variants in cases:
        if left() < 20:
            rows.append({'network': label, 'status': 'skipped: the 8-minute budget is spent'})
            continue
        gpu = run_bench(a.bench, network, size, ms, a.gpu_backend, left())
        cpu = run_bench(a.bench, network, size, ms, 'tbb', max(left(), 1))
        rows.append(row_of(label, 'tbb', cpu, None, None))
        rows.append(row_of(label, a.gpu_backend, gpu, cpu, 'tbb'))
        if rows[-1].get('identical') is False:
            failures += 1
        if 'error' not in gpu and int(gpu['synapses']) <= SERIAL_CHECK_MAX_SYNAPSES and left() > 30:
            short_gpu = run_bench(a.bench, network, size, SERIAL_CHECK_MS, a.gpu_backend, left())
            serial = run_bench(a.bench, network, size, SERIAL_CHECK_MS, 'serial', max(left(), 1))
            check = row_of(label + f' ({SERIAL_CHECK_MS:g} ms)', a.gpu_backend, short_gpu, serial, 'serial')
            rows.append(check)
            if check.get('identical') is False:
                failures += 1
        if variants and 'error' not in gpu:
            for delivery in ('row', 'piece'):
                if left() < 20:
                    break
                r = run_bench(a.bench, network, size, ms, a.gpu_backend, left(), delivery)
                rows.append(row_of(label, f'{a.gpu_backend} ({delivery} delivery)', r, cpu, 'tbb'))
                if rows[-1].get('identical') is False:
                    failures += 1

    if a.elm_bench and os.path.exists(a.elm_weights) and left() > 20:
        steps = 50 if a.quick else 1000
        n = 100 if a.quick else 1000
        label = f'ELM, {n} neurons (float32)'
        cpu = run_elm(a.elm_bench, a.elm_weights, n, steps, 'tbb', max(left(), 1))
        gpu = run_elm(a.elm_bench, a.elm_weights, n, steps, a.gpu_backend, max(left(), 1))
        rows.append(elm_row(label, 'tbb', cpu, None))
        rows.append(elm_row(label, a.gpu_backend, gpu, cpu))
        if rows[-1].get('identical') is False:
            failures += 1
    else:
        rows.append({'network': 'ELM, 1000 neurons', 'backend': a.gpu_backend,
                     'status': f'skipped: no ELM weights at {a.elm_weights}'})

    header = ('network', 'backend', 'build s', 'sim s / sim s', 'events/s (ELM: neuron-steps/s)',
              'B/synapse', 'identical')
    print('| ' + ' | '.join(header) + ' |')
    print('|' + '---|' * len(header))
    for r in rows:
        if 'sim_s' not in r:
            print(f"| {r['network']} | {r.get('backend', '')} | {r['status']} |||||")
            continue
        same = '' if 'identical' not in r else ('yes' if r['identical'] else 'NO') + f" (vs {r['identical_to']})"
        print(f"| {r['network']} | {r['backend']} ({r['threads']} thr) | {r['build_s']:.2f} | "
              f"{r['sim_s_per_simulated_s']:.3f} | {r['events_per_s']:.3g} | "
              f"{r['bytes_per_synapse']:.2f} | {same} |")
    result = {
        'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
        'gpu': gpu_name(), 'cpu_cores': os.cpu_count(), 'machine': platform.platform(),
        'build_s': a.build_seconds, 'command': ' '.join(sys.argv), 'rows': rows,
    }
    with open(a.json, 'w') as f:
        json.dump(result, f, indent=1)
    print(f'wrote {a.json}; GPU: {result["gpu"]}; {result["cpu_cores"]} CPU cores')
    if failures:
        print(f'{failures} GPU run(s) differ from the CPU reference', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
