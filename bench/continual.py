#!/usr/bin/env python3
"""The continual-learning benchmark (issue 15): each HLOP zoo model with and without the
projection, on the same seeds, in one invocation; Fashion-MNIST also trained on all tasks
together (the multitask upper bound). Prints ACC, BWT and wall time against the targets,
and writes everything (matrices included) as JSON.

Usage: bench/continual.py [--spikeq build/spikeq] [--out bench/continual-results.json]
                          [--outputs DIR]  (keep each run's result file there, for plots)
                          [--quick]        (digits only: the Fashion-MNIST runs take ~15 min)
Exit code 1 when a target is missed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (model, variant): None is the model as it is, with HLOP.
RUNS = [
    ("hlop_permuted_digits", None), ("hlop_permuted_digits", "no_hlop"),
    ("hlop_split_digits", None), ("hlop_split_digits", "no_hlop"),
    ("hlop_permuted_fashion", None), ("hlop_permuted_fashion", "no_hlop"),
    ("hlop_permuted_fashion", "multitask"),
]


def run(spikeq, model, variant, work, outputs):
    stats = os.path.join(work, f"{model}-{variant or 'hlop'}.json")
    result = (["-o", os.path.join(outputs, model + (f"_{variant}" if variant else "") + ".h5")]
              if outputs else ["--no-output"])
    cmd = [spikeq, "run", os.path.join(ROOT, "models", model + ".yaml"), "-q", "--stats", stats] + result
    if variant:
        cmd += ["--variant", variant]
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    wall = time.monotonic() - start
    with open(stats) as f:
        c = json.load(f)["continual"]
    return {"model": model, "variant": variant or "hlop", "acc": c["acc"], "bwt": c["bwt"],
            "matrix": c["matrix"], "wall_s": wall,
            "command": f"spikeq run models/{model}.yaml" + (f" --variant {variant}" if variant else "")}


def targets(results):
    """The issue's targets, as (description, met) pairs."""
    r = {(x["model"], x["variant"]): x for x in results}
    out = []
    def have(*keys):
        return all(k in r for k in keys)
    if have(("hlop_permuted_digits", "hlop"), ("hlop_permuted_digits", "no_hlop")):
        h, n = r[("hlop_permuted_digits", "hlop")], r[("hlop_permuted_digits", "no_hlop")]
        out.append(("permuted digits: ACC with HLOP >= without + 20 points", h["acc"] >= n["acc"] + 0.20))
        out.append(("permuted digits: BWT with HLOP >= -15", h["bwt"] >= -0.15))
    if have(("hlop_split_digits", "hlop")):
        out.append(("split digits: BWT with HLOP >= -2", r[("hlop_split_digits", "hlop")]["bwt"] >= -0.02))
    if have(("hlop_permuted_fashion", "hlop"), ("hlop_permuted_fashion", "no_hlop")):
        out.append(("permuted Fashion-MNIST: BWT with HLOP >= -5",
                    r[("hlop_permuted_fashion", "hlop")]["bwt"] >= -0.05))
        out.append(("permuted Fashion-MNIST: BWT without HLOP <= -15",
                    r[("hlop_permuted_fashion", "no_hlop")]["bwt"] <= -0.15))
    for x in results:
        out.append((f"{x['model']} ({x['variant']}) runs in at most 15 minutes", x["wall_s"] <= 900))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spikeq", default=os.path.join(ROOT, "build", "spikeq"))
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "continual-results.json"))
    p.add_argument("--quick", action="store_true", help="the digits models only")
    p.add_argument("--outputs", help="keep the result files in this folder")
    a = p.parse_args()
    runs = [x for x in RUNS if not (a.quick and "fashion" in x[0])]
    results = []
    with tempfile.TemporaryDirectory() as work:
        for model, variant in runs:
            x = run(a.spikeq, model, variant, work, a.outputs)
            results.append(x)
            print(f"{model:24s} {x['variant']:10s} ACC {100 * x['acc']:5.1f} %  "
                  f"BWT {100 * x['bwt']:+6.1f}  {x['wall_s']:7.1f} s", flush=True)
    checks = targets(results)
    for what, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {what}")
    with open(a.out, "w") as f:
        json.dump({"nproc": os.cpu_count(), "results": results,
                   "targets": [{"target": w, "met": ok} for w, ok in checks]}, f, indent=1)
    print(f"wrote {a.out}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
