#!/usr/bin/env python3
"""PyTorch peer for spikeq's ELM (Expressive Leaky Memory) neuron benchmark.

It measures how fast PyTorch on the CPU advances a population of independent ELM
neurons (a batch), run the way the original research code runs it: a Python loop
over 1 ms time steps, each step doing the input-to-synapse routing, the synapse
traces (v1) or branch traces (v2), the branch sums, the MLP as F.linear calls,
custom tanh, the memory update and the output readout. The equations, the weight
files and the test data are in models/data/elm_reference.md; this is an
independent implementation of them, not the original code.

Benchmark mode (default): for each population size n it draws n independent
binary spike trains of the file's N inputs (probability --rate per input and
step, numpy default_rng(--seed)), stores them as a (T, n, N) tensor of the
chosen dtype with the inhibitory sign applied, runs a 20-step warm-up and then
times the T-step loop under torch.no_grad() (input generation is not timed).
It prints one JSON object per population size on stdout ("blas" names the
BLAS library that was loaded, which decides the MLP's speed). The whole input is
held in memory: T*n*N elements (5.1 GB for float32 at T=1000, n=1000).

--check runs the two test sequences stored in the file (/test for v1,
/test_v2 for v2) and compares [P, V] with the stored output_eval of the same
dtype; it exits 1 when the max abs difference is above 1e-3 (float32) or
1e-9 (float64).

spikeq's bench calls it once per thread count and reads the JSON lines, e.g.
  /usr/bin/python3 bench/peers/elm_torch.py \
      --weights models/data/best_elm_neuron.h5 --threads 1
Needs torch (Debian's python3-torch 1.13), h5py and numpy.
"""
import argparse
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--weights', required=True, help='ELM weight file (.h5)')
    p.add_argument('--version', choices=['v1', 'v2'], default='v1')
    p.add_argument('--dtype', choices=['float32', 'float64'], default='float32')
    p.add_argument('--neurons', default='1,100,1000',
                   help='comma-separated population sizes (default %(default)s)')
    p.add_argument('--steps', type=int, default=1000, help='time steps of 1 ms')
    p.add_argument('--threads', type=int, default=0,
                   help="torch.set_num_threads and BLAS threads (default: torch's own)")
    p.add_argument('--rate', type=float, default=0.003,
                   help='spike probability per input and step (default %(default)s)')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--check', action='store_true',
                   help='compare with the test data in the weight file instead of timing')
    args = p.parse_args()
    args.neurons = [int(v) for v in args.neurons.split(',')]
    return args


if __name__ == '__main__':
    ARGS = parse_args()
    if ARGS.threads > 0:
        # Debian's torch calls a generic BLAS (reference or OpenBLAS, whichever
        # libblas.so.3 resolves to) and set_num_threads does not reach its thread
        # pool, which reads these variables once, when it loads.
        for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
            os.environ[var] = str(ARGS.threads)

import h5py  # noqa: E402  (after the thread variables are set)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ACTIVATIONS = {'silu': F.silu, 'relu': F.relu, 'none': None}


class ELM:
    """Parameters of one trained ELM neuron, shared by every neuron of the batch."""

    def __init__(self, path, version, dtype):
        self.version = version
        with h5py.File(path, 'r') as f:
            cfg = f['config'].attrs
            self.N, self.B = int(cfg['num_input']), int(cfg['num_branch'])
            self.K, self.M = int(cfg['num_synapse_per_branch']), int(cfg['num_memory'])
            lam, dt = float(cfg['lambda_value']), float(cfg['delta_t'])
            tau_lo, tau_hi = float(cfg['memory_tau_min']), float(cfg['memory_tau_max'])
            clamp = float(cfg['tau_clamp_min'])
            self.tanh_in = float(cfg['custom_tanh_inner_scale'])
            self.tanh_out = float(cfg['custom_tanh_outer_scale'])
            self.soma_scale = float(cfg['y_train_soma_scale'])

            def t(name):
                return torch.from_numpy(f[name][()]).to(dtype)

            # Derived constants are recomputed in `dtype` from the float32 trained
            # parameters, as the original model does after a cast to float64.
            self.w_s = F.relu(t('params/proto_w_s'))
            tau_m = tau_lo + (tau_hi - tau_lo) * torch.sigmoid(t('params/proto_tau_m'))
            self.kappa_m = torch.exp(-dt / tau_m.clamp(min=clamp))
            if version == 'v1':
                self.kappa_s = torch.exp(-dt / t('params/tau_s').clamp(min=clamp))
                self.gain = lam * (1 - self.kappa_m)
            else:
                self.kappa_b = torch.exp(-dt / t('params/tau_b').clamp(min=clamp))
                self.gain = 1 - torch.exp(-lam * dt / tau_m.clamp(min=clamp))
            self.src = torch.from_numpy(f['routing/input_to_synapse_indices'][()].astype(np.int64))
            self.valid = t('routing/valid_indices_mask')
            self.sign = t('routing/input_sign')
            mlp = f['params/mlp']
            self.mlp = [(t(f'params/mlp/layer{i}/weight'), t(f'params/mlp/layer{i}/bias'),
                         ACTIVATIONS[mlp[f'layer{i}'].attrs['activation']])
                        for i in range(int(mlp.attrs['num_linear_layers']))]
            self.w_y, self.c_y = t('params/w_y/weight'), t('params/w_y/bias')

    def forward(self, x):
        """x: signed input (T, n, N); returns the raw output y (T, n, 2)."""
        T, n, _ = x.shape
        m = x.new_zeros(n, self.M)
        trace = x.new_zeros(n, self.B * self.K if self.version == 'v1' else self.B)
        y = x.new_empty(T, n, 2)
        for t in range(T):
            u = x[t].index_select(1, self.src) * self.valid
            if self.version == 'v1':
                trace = self.kappa_s * trace + self.w_s * u
                b = trace.view(n, self.B, self.K).sum(-1)
            else:
                trace = self.kappa_b * trace + (self.w_s * u).view(n, self.B, self.K).sum(-1)
                b = trace
            # The MLP sees the decayed memory, not m(t-1) itself.
            m_decayed = self.kappa_m * m
            h = torch.cat([b, m_decayed], dim=-1)
            for weight, bias, act in self.mlp:
                h = F.linear(h, weight, bias)
                if act is not None:
                    h = act(h)
            dm = self.tanh_out * torch.tanh(self.tanh_in * h)
            m = m_decayed + self.gain * dm
            y[t] = F.linear(m, self.w_y, self.c_y)
        return y

    def eval_output(self, y):
        """[spike probability, soma voltage relative to the bias in mV]."""
        return torch.stack([torch.sigmoid(y[..., 0]), y[..., 1] / self.soma_scale], dim=-1)


def check(args, dtype):
    model = ELM(args.weights, args.version, dtype)
    group = 'test' if args.version == 'v1' else 'test_v2'
    suffix = '_f32' if dtype == torch.float32 else '_f64'
    with h5py.File(args.weights, 'r') as f:
        x_raw = torch.from_numpy(f['test/input'][()]).to(dtype)  # (batch, T, N)
        want = f[f'{group}/output_eval{suffix}'][()]
    with torch.no_grad():
        y = model.forward((x_raw * model.sign).transpose(0, 1).contiguous())
    got = model.eval_output(y).transpose(0, 1).numpy()
    diff = np.abs(got - want).max(axis=(0, 1))
    tol = 1e-3 if dtype == torch.float32 else 1e-9
    ok = diff.max() <= tol
    print(f'{args.weights} {args.version} {args.dtype}: max abs diff vs '
          f'/{group}/output_eval{suffix} = {diff.max():.3g} '
          f'(P {diff[0]:.3g}, V {diff[1]:.3g}), tol {tol:g}: '
          f'{"ok" if ok else "FAIL"}')
    return 0 if ok else 1


def spike_input(model, n, steps, rate, seed, dtype):
    rng = np.random.default_rng(seed)
    x = torch.empty(steps, n, model.N, dtype=dtype)
    for t in range(steps):  # one step at a time keeps the float draws small
        x[t] = torch.from_numpy(rng.random((n, model.N), dtype=np.float32) < rate)
    return x.mul_(model.sign)


def bench(args, dtype):
    model = ELM(args.weights, args.version, dtype)
    for n in args.neurons:
        x = spike_input(model, n, args.steps, args.rate, args.seed, dtype)
        with torch.no_grad():
            model.forward(x[:20])
            start = time.perf_counter()
            model.forward(x)
            wall = time.perf_counter() - start
        del x
        print(json.dumps({
            'peer': 'pytorch', 'torch_version': torch.__version__,
            'threads': torch.get_num_threads(), 'blas': blas_library(),
            'dtype': args.dtype, 'version': args.version, 'neurons': n, 'steps': args.steps,
            'wall_s': wall, 'steps_per_s': args.steps / wall,
            'neuron_steps_per_s': n * args.steps / wall}), flush=True)
    return 0


def blas_library():
    """The BLAS actually loaded: reference BLAS is several times slower than OpenBLAS."""
    with open('/proc/self/maps') as maps:
        libs = {os.path.realpath(line.split()[-1]) for line in maps if '/' in line}
    found = sorted(lib for lib in libs
                   if 'blas' in os.path.basename(lib) or 'mkl' in os.path.basename(lib))
    return ' '.join(found) or None


def main(args):
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    return check(args, dtype) if args.check else bench(args, dtype)


if __name__ == '__main__':
    sys.exit(main(ARGS))
