#!/usr/bin/env bash
# Rewrites the golden outputs of tests/data/golden (tests/golden/golden_test.sh --update,
# every case) with the spikeq of BUILD_DIR (default build/).
#   scripts/update_golden.sh [BUILD_DIR]
#
# The golden files are what this version's command line writes: spikes, weights and
# checkpoints, byte for byte. A change to them changes what spikeq computes or writes for
# the zoo's models, so regenerating them is a deliberate decision, never a way to make a
# failing golden test pass: the commit that changes them says what changed and why the new
# output is right (a fixed bug, a new random stream, a new file layout, a version bump:
# spikeq_version is in every file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$root/build}")
spikeq="$build/spikeq"
[ -x "$spikeq" ] || { echo "update_golden.sh: no spikeq in $build (build it first)" >&2; exit 1; }
mkdir -p "$root/tests/data/golden"
for c in $(bash "$root/tests/golden/golden_test.sh" --list); do
  bash "$root/tests/golden/golden_test.sh" "$spikeq" "$root" "$c" --update
done
ls -l "$root/tests/data/golden"
echo "update_golden.sh: now run 'git diff --stat tests/data/golden' and explain every change in the commit"
