#!/usr/bin/env bash
# Golden outputs: zoo models run through the command line at their fixed seeds, compared
# byte for byte with the files stored in tests/data/golden (gzipped: the spike writer's
# 512 KB chunks make each file 2 MB, mostly zeros). Every backend is compared with one
# stored file, so this catches what comparing backends with each other cannot: a bug all
# backends share, a change of random streams, of a model's defaults or of the file layout.
#
# Usage: golden_test.sh SPIKEQ SOURCE_DIR CASE            compare (a CTest test per CASE)
#        golden_test.sh SPIKEQ SOURCE_DIR CASE --update   rewrite CASE's stored files
#        golden_test.sh --list                            the cases
# scripts/update_golden.sh runs --update for every case; read it before using it.
set -uo pipefail

cases="izhikevich2003 brunel2000_hetero vogels_abbott_coba polychronization reservoir_three_factor checkpoint"
if [ "${1:-}" = --list ]; then echo "$cases"; exit 0; fi
spikeq=$(realpath "$1")
src=$(realpath "$2")
case_name=$3
update=${4:-}
golden="$src/tests/data/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
# The threaded backend with up to 4 threads (spikeq refuses more threads than cores).
threads=$(nproc)
[ "$threads" -le 4 ] || threads=4
backends=("--backend serial" "--backend tbb --threads $threads")

run_spikeq() {  # run_spikeq ARGS...: exit code 0 or the test fails, showing stderr
  "$spikeq" "$@" -q 2>err.txt
  local code=$?
  [ "$code" = 0 ] || { cat err.txt >&2; fail "spikeq $* exited $code"; }
}

# same_as_golden FILE NAME: FILE equals tests/data/golden/NAME.gz byte for byte.
same_as_golden() {
  [ -f "$golden/$2.gz" ] || fail "missing golden file $golden/$2.gz (scripts/update_golden.sh makes it)"
  gzip -dc "$golden/$2.gz" > want.bin || fail "cannot decompress $golden/$2.gz"
  cmp "$1" want.bin && return 0
  # Say whether only the HDF5 layout differs (another libhdf5?) or the data itself.
  if /usr/bin/python3 -c 'import h5py' 2>/dev/null &&
     /usr/bin/python3 "$src/scripts/h5_same_content.py" "$1" want.bin >&2; then
    fail "$1 holds the data of golden $2, in another HDF5 byte layout"
  fi
  fail "$1 differs from golden $2"
}

# store FILE NAME: FILE becomes tests/data/golden/NAME.gz (gzip -n: no name or time in it).
store() {
  gzip -9 -n -c "$1" > "$golden/$2.gz" || fail "cannot write $golden/$2.gz"
  echo "stored $2.gz ($(wc -c < "$golden/$2.gz") bytes)"
}

# The model and arguments of each spike-file case: short runs at the model's own seed.
hetero='{uniform: [0.5 ms, 3 ms]}'
brunel_hetero=(  # Brunel's model A at 1000 neurons (J x C_E kept) with delays of 0.5-3 ms
  "$src/models/brunel2000.yaml" --set populations.exc.size=800 --set populations.inh.size=200
  --set parameters.C_E=100 --set parameters.C_I=25 --set "parameters.J=1 mV"
  --set "projections[0].delay=$hetero" --set "projections[1].delay=$hetero"
  --set "projections[2].delay=$hetero" --set "projections[3].delay=$hetero")
model_args() {  # model_args CASE: sets args
  case "$1" in
  izhikevich2003) args=("$src/models/izhikevich2003.yaml" --duration 200ms) ;;
  brunel2000_hetero) args=("${brunel_hetero[@]}" --duration 100ms) ;;
  vogels_abbott_coba) args=("$src/models/vogels_abbott_coba.yaml" --duration 100ms) ;;
  # STDP with delays of 1-20 ms: the weights change at 1 s, and the spikes after it with them.
  polychronization) args=("$src/models/izhikevich2006_polychronization.yaml" --duration 1500ms
                          --set 'recorders.weights=[]') ;;
  # The error-modulated readout: its weights every 250 ms, and the spikes of the cue and readout.
  reservoir_three_factor) args=("$src/models/reservoir_three_factor.yaml" --duration 2s
                                --set 'recorders.weights=[{projection: readout, interval: 250 ms}]'
                                --set 'recorders.spikes=[cue, readout]') ;;
  *) fail "unknown case $1" ;;
  esac
}

spike_case() {
  model_args "$case_name"
  if [ "$update" = --update ]; then
    # Stored only when two serial runs and a threaded run agree byte for byte.
    run_spikeq run "${args[@]}" -o a.h5 --backend serial
    run_spikeq run "${args[@]}" -o b.h5 --backend serial
    run_spikeq run "${args[@]}" -o c.h5 ${backends[1]}
    cmp a.h5 b.h5 || fail "two serial runs differ: not deterministic"
    cmp a.h5 c.h5 || fail "the tbb backend differs from the serial one"
    store a.h5 "$case_name.h5"
    return
  fi
  for backend in "${backends[@]}"; do
    # shellcheck disable=SC2086  # $backend is several words
    run_spikeq run "${args[@]}" -o out.h5 $backend
    same_as_golden out.h5 "$case_name.h5"
    echo "ok: $case_name, $backend"
  done
}

# Brunel's hetero-delay network checkpointed at 50 ms (spikes in flight in the rings) and
# resumed to 100 ms. Stored: the spikes of the first 50 ms, the checkpoint at 50 ms, the
# spikes resumed from it, and the checkpoint that resumed run writes at 100 ms.
checkpoint_case() {
  local first=(run "${brunel_hetero[@]}" --duration 50ms)
  if [ "$update" = --update ]; then
    # A checkpoint holds the absolute path of its model file: the stored one is written
    # from a fixed path, so that regenerating it anywhere gives the same bytes.
    local fixed=/tmp/spikeq-golden-model
    [ ! -e "$fixed" ] || fail "$fixed exists: another update running?"
    mkdir "$fixed" && cp "$src/models/brunel2000.yaml" "$fixed/"
    brunel_hetero[0]="$fixed/brunel2000.yaml"
    run_spikeq run "${brunel_hetero[@]}" --duration 50ms -o first.h5 --checkpoint at50.ckpt --backend serial
    run_spikeq run "${brunel_hetero[@]}" --duration 50ms -o first2.h5 --checkpoint again.ckpt ${backends[1]}
    cmp first.h5 first2.h5 || fail "serial and tbb runs differ"
    cmp at50.ckpt again.ckpt || fail "serial and tbb checkpoints differ"
    run_spikeq resume at50.ckpt --duration 50ms -o resumed.h5 --checkpoint at100.ckpt --backend serial
    run_spikeq resume at50.ckpt --duration 50ms -o resumed2.h5 --checkpoint at100b.ckpt ${backends[1]}
    rm -rf "$fixed"
    cmp resumed.h5 resumed2.h5 || fail "serial and tbb resumes differ"
    cmp at100.ckpt at100b.ckpt || fail "serial and tbb checkpoints at 100 ms differ"
    store first.h5 checkpoint_first.h5
    store at50.ckpt checkpoint_at50ms.ckpt
    store resumed.h5 checkpoint_resumed.h5
    store at100.ckpt checkpoint_at100ms.ckpt
    return
  fi
  [ -f "$golden/checkpoint_at50ms.ckpt.gz" ] || fail "missing golden file checkpoint_at50ms.ckpt.gz"
  gzip -dc "$golden/checkpoint_at50ms.ckpt.gz" > stored50.ckpt || fail "cannot decompress checkpoint_at50ms.ckpt.gz"
  for backend in "${backends[@]}"; do
    # The stored checkpoint resumes to the stored spikes, and this version writes the
    # stored checkpoint at 100 ms byte for byte (the model path stored in both is the
    # stored one's): the format and the restored state are unchanged.
    # shellcheck disable=SC2086  # $backend is several words
    run_spikeq resume stored50.ckpt --duration 50ms -o resumed.h5 --checkpoint at100.ckpt $backend
    same_as_golden resumed.h5 checkpoint_resumed.h5
    same_as_golden at100.ckpt checkpoint_at100ms.ckpt
    # A fresh run writes the first 50 ms, and a checkpoint that resumes to the same spikes
    # (its model file's path differs from the stored checkpoint's, so not its bytes).
    # shellcheck disable=SC2086
    run_spikeq "${first[@]}" -o first.h5 --checkpoint at50.ckpt $backend
    same_as_golden first.h5 checkpoint_first.h5
    # shellcheck disable=SC2086
    run_spikeq resume at50.ckpt --duration 50ms -o resumed_fresh.h5 $backend
    same_as_golden resumed_fresh.h5 checkpoint_resumed.h5
    echo "ok: checkpoint, $backend"
  done
}

if [ "$case_name" = checkpoint ]; then checkpoint_case; else spike_case; fi
echo "ok: $case_name"
