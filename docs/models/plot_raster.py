#!/usr/bin/python3
"""Raster plot and population rate of the Izhikevich (2003) network in spikeq.

Regenerates docs/models/izhikevich2003_raster.png. The network is the one of
examples/izhikevich2003.cpp (same heterogeneity seed 2003, simulation seed 42), so the
figure shows the run whose rates the example prints.

Usage (from the repository root, after building the library, e.g. into build/):

    /usr/bin/python3 docs/models/plot_raster.py --build-dir build
    /usr/bin/python3 docs/models/plot_raster.py --spikes spikes.txt   # plot a dump only

Without --spikes the script runs <build-dir>/examples/izhikevich2003, which writes one
spike per line, "<time in ms> <neuron id>", with excitatory ids 0-799 and inhibitory ids
800-999, and plots that file.
"""
import argparse
import os
import subprocess
import sys
import tempfile

def run_example(build_dir):
    exe = os.path.join(build_dir, "examples", "izhikevich2003")
    if not os.path.exists(exe):
        sys.exit(f"plot_raster: {exe} not found; build spikeq first (cmake --build {build_dir})")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "spikes.txt")
        summary = subprocess.run([exe, path], check=True, capture_output=True, text=True).stdout
        with open(path) as f:
            return f.read() + "".join("# " + line + "\n" for line in summary.splitlines())


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=os.path.join(root, "build"),
                    help="spikeq build folder holding examples/izhikevich2003 (default: build)")
    ap.add_argument("--spikes", help="plot this spike file instead of running the network")
    ap.add_argument("--save-spikes", help="also write the spikes to this file")
    ap.add_argument("--out", default=os.path.join(root, "docs", "models",
                                                  "izhikevich2003_raster.png"))
    args = ap.parse_args()

    if args.spikes:
        with open(args.spikes) as f:
            text = f.read()
    else:
        text = run_example(os.path.abspath(args.build_dir))
    if args.save_spikes:
        with open(args.save_spikes, "w") as f:
            f.write(text)

    times, ids, summary = [], [], []
    for line in text.splitlines():
        if line.startswith("#"):
            summary.append(line[1:].strip())
        elif line.strip():
            t, i = line.split()
            times.append(float(t))
            ids.append(int(i))
    for s in summary:
        print(s)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    times = np.asarray(times)
    ids = np.asarray(ids)
    ne, n, duration = 800, 1000, 1000.0
    exc = ids < ne

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                   gridspec_kw={"height_ratios": [3, 1]})
    ax1.plot(times[exc], ids[exc], ".", ms=1.5, mew=0, color="tab:blue", rasterized=True)
    ax1.plot(times[~exc], ids[~exc], ".", ms=1.5, mew=0, color="tab:red", rasterized=True)
    ax1.axhline(ne - 0.5, color="0.6", lw=0.5)
    ax1.set_ylim(0, n)
    ax1.set_ylabel("neuron (exc 0-799, inh 800-999)")
    ax1.set_title("Izhikevich (2003) network in spikeq: 1000 neurons, dt = 1 ms, seed 42")

    # Population rate in 1 ms bins: a spike stamped at t = S ms lies in bin (S-1, S].
    edges = np.arange(0.0, duration + 1.0, 1.0)
    counts, _ = np.histogram(times - 0.5, bins=edges)
    ax2.plot(edges[:-1] + 1.0, counts / n / 1e-3, lw=0.6, color="k")
    ax2.set_xlim(0, duration)
    ax2.set_xlabel("time (ms)")
    ax2.set_ylabel("rate (Hz)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out} ({len(times)} spikes)")


if __name__ == "__main__":
    main()
