#!/usr/bin/python3
"""Exit 0 when two HDF5 files hold the same groups, datasets (values and dtypes, bit for
bit) and attributes, whatever their byte layout; else print the first difference and
exit 1.

Two spikeq binaries may lay out the same data differently (spikeq's writer changed how it
allocates chunks), so compare_zoo_outputs.sh falls back on this where the bytes differ.
    scripts/h5_same_content.py A.h5 B.h5
"""
import sys

import h5py
import numpy as np


def items(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj))
    return out


def same_attrs(a, b, where):
    if sorted(a.attrs) != sorted(b.attrs):
        return f'{where}: attributes {sorted(a.attrs)} != {sorted(b.attrs)}'
    for k in a.attrs:
        x, y = np.asarray(a.attrs[k]), np.asarray(b.attrs[k])
        if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
            return f'{where}: attribute {k} differs'
    return None


def main(a_path, b_path):
    with h5py.File(a_path, 'r') as a, h5py.File(b_path, 'r') as b:
        ia, ib = items(a), items(b)
        if sorted(ia) != sorted(ib):
            return f'objects differ: {sorted(set(ia) ^ set(ib))[:5]}'
        problem = same_attrs(a, b, '/')
        for name in sorted(ia):
            problem = problem or same_attrs(ia[name], ib[name], name)
            if isinstance(ia[name], h5py.Dataset):
                x, y = ia[name][()], ib[name][()]
                if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                    problem = problem or f'{name}: values differ'
        return problem


if __name__ == '__main__':
    why = main(sys.argv[1], sys.argv[2])
    if why:
        print(why)
        sys.exit(1)
