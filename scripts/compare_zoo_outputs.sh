#!/usr/bin/env bash
# Runs the zoo models (short runs, every variant that exercises a different model path)
# with two spikeq binaries and compares their output files byte for byte, spikes and
# state reports included (and, where the new binary has cuda-emulated, its outputs against
# the new serial ones). For refactors that must not change behaviour:
#   scripts/compare_zoo_outputs.sh OLD/spikeq NEW/spikeq [work-dir]
# Prints one line per output file and exits 1 if any holds other data ("same data" where
# only the HDF5 layout differs, as between binaries that lay files out differently).
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-$(mktemp -d)}
cd "$(dirname "$0")/.."
mkdir -p "$work/old" "$work/new"

runs=(
  "izhikevich2003|models/izhikevich2003.yaml|--duration 1s"
  "brunel_AI|models/brunel2000.yaml|--variant AI --duration 300ms"
  "brunel_SR|models/brunel2000.yaml|--variant SR --duration 300ms"
  "cuba|models/vogels_abbott_cuba.yaml|--duration 500ms"
  "coba|models/vogels_abbott_coba.yaml|--duration 500ms"
  "coba_euler|models/vogels_abbott_coba.yaml|--duration 300ms --set populations.exc.params.integrator=euler --set populations.inh.params.integrator=euler"
  "polychronization|models/izhikevich2006_polychronization.yaml|--duration 2s"
  "dastdp|models/izhikevich2007_dastdp.yaml|--duration 2s"
  "reservoir|models/reservoir_three_factor.yaml|--duration 2s"
  "replay_shd|models/replay_shd.yaml|--duration 1s"
  "microcircuit|models/potjans_diesmann_microcircuit.yaml|--duration 20ms"
  "elm_drive|models/elm_neuronio.yaml|--variant drive --duration 200ms"
)

status=0
# compare A B LABEL: identical bytes; else the same data in another HDF5 layout (a binary
# that lays files out differently); else different.
compare() {
  if cmp -s "$1" "$2"; then
    echo "identical  $(basename "$2")$3"
  elif ./scripts/h5_same_content.py "$1" "$2" >/dev/null; then
    echo "same data  $(basename "$2")$3 (HDF5 layout differs)"
  else
    echo "DIFFERENT  $(basename "$2")$3"; status=1
  fi
}
for entry in "${runs[@]}"; do
  IFS='|' read -r name model args <<<"$entry"
  for backend in "serial" "tbb --threads 2"; do
    tag="${name}_${backend%% *}"
    # shellcheck disable=SC2086
    "$old" run "$model" $args --backend $backend -q -o "$work/old/$tag.h5"
    # shellcheck disable=SC2086
    "$new" run "$model" $args --backend $backend -q -o "$work/new/$tag.h5"
    for f in "$work/old/$tag"*; do
      compare "$f" "$work/new/$(basename "$f")" ""
    done
  done
  # The new binary's device kernels on the CPU must write the serial bytes too.
  if "$new" --version | grep -q "cuda-emulated"; then
    # shellcheck disable=SC2086
    "$new" run "$model" $args --backend cuda-emulated -q -o "$work/new/${name}_device.h5"
    for f in "$work/new/${name}_serial"*; do
      compare "$f" "$work/new/${name}_device${f#"$work/new/${name}_serial"}" " (cuda-emulated vs serial)"
    done
  fi
done
exit $status
