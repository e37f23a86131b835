#!/usr/bin/python3
"""Writes models/data/shd_example.h5: a small file in the Spiking Heidelberg Digits layout.

The real SHD dataset (Cramer et al. 2020, IEEE TNNLS) is spoken digits turned into spikes
of 700 cochlear channels; it is not shipped with spikeq. This file has the same layout
(/spikes/times and /spikes/units as one variable-length array per sample, times in s as
float32, units as uint16, /labels as uint8) with synthetic samples: each "digit" is three
frequency bands (formants) that glide across the channels along paths that depend on the
label, plus sparse background spikes. It is made from a fixed seed, so the file is the
same on every run of this script:

    /usr/bin/python3 scripts/make_shd_example.py
"""
import os

import h5py
import numpy as np

CHANNELS = 700
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   'models', 'data', 'shd_example.h5')


def sample(rng, label):
    duration = 0.5 + 0.05 * label                         # s
    steps = np.arange(0.0, duration, 0.001)               # 1 ms bins
    times, units = [], []
    for f, (start, slope) in enumerate([(80, 60), (260, -40), (480, 30)]):
        centre = start + 20 * label * (f + 1) % 150 + slope * (1 + label % 3) * steps / duration
        for t, c in zip(steps, centre):
            # ~20 channels around the band centre fire with probability 0.25 per ms.
            ch = np.arange(int(c) - 10, int(c) + 10)
            ch = ch[(ch >= 0) & (ch < CHANNELS)]
            fire = ch[rng.random(ch.size) < 0.25]
            times.extend(t + rng.random(fire.size) * 0.001)
            units.extend(fire)
    n_bg = rng.poisson(2.0 * CHANNELS * duration)         # 2 Hz background per channel
    times.extend(rng.random(n_bg) * duration)
    units.extend(rng.integers(0, CHANNELS, n_bg))
    order = np.argsort(np.asarray(times), kind='stable')
    return (np.asarray(times, dtype=np.float32)[order],
            np.asarray(units, dtype=np.uint16)[order])


def main():
    rng = np.random.default_rng(2020)
    labels = [3, 0, 7, 1]
    samples = [sample(rng, label) for label in labels]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with h5py.File(OUT, 'w', track_order=True) as f:
        g = f.create_group('spikes')
        t = g.create_dataset('times', (len(samples),), dtype=h5py.vlen_dtype(np.float32))
        u = g.create_dataset('units', (len(samples),), dtype=h5py.vlen_dtype(np.uint16))
        for k, (times, units) in enumerate(samples):
            t[k] = times
            u[k] = units
        f.create_dataset('labels', data=np.asarray(labels, dtype=np.uint8))
        f.attrs['note'] = 'synthetic samples in the SHD layout (scripts/make_shd_example.py)'
    print('wrote %s: %d samples, %d spikes' % (OUT, len(samples), sum(len(s[0]) for s in samples)))


if __name__ == '__main__':
    main()
