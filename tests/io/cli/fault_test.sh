#!/usr/bin/env bash
# Fault injection for the `spikeq` command line: full disks, unwritable folders, a kill in
# the middle of a checkpoint, two runs writing one file. Usage: fault_test.sh SPIKEQ CASE
# Each case asserts the exit code and that every file left at an output's name is the
# complete old file or a complete new one (io::PendingFile writes under a temporary name).
set -uo pipefail
spikeq=$1
case_name=$2
# shellcheck source=cli_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_helpers.sh"
# A full disk, injected: writes past KB kilobytes to regular files fail with EFBIG ("File
# too large"), as they would with ENOSPC, for this command only. SIGXFSZ is ignored so
# that the write fails instead of killing the process (an ignored signal stays ignored
# across exec). Its messages go through a pipe, which the limit does not cover; its
# standard output is dropped.
with_disk_of() {  # with_disk_of KB COMMAND...
  local kb=$1; shift
  ( trap '' XFSZ; ulimit -f "$kb"; exec "$@" ) 2>&1 >/dev/null | cat >&2
  return "${PIPESTATUS[0]}"
}
valid_spikes() { "$spikeq" info "$1" >/dev/null 2>info_err.txt || fail "$1 is not a valid spike file: $(cat info_err.txt)"; }

# Many spikes: about 3 MB of spike file in 5 s.
cat > spiky.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 5 s, seed: 1}
populations: [{name: p, model: poisson_source, size: 2000, params: {rate: 20 Hz}}]
YAML
# Few spikes, many synapses: a checkpoint of about 1 MB, a spike file of a few KB.
cat > synaptic.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 20 ms, seed: 2}
populations: [{name: a, model: lif_psc_exp, size: 300}]
projections: [{source: a, target: a, rule: all_to_all, weight: {uniform: [0 pA, 1 pA]},
               delay: {uniform: [1 ms, 5 ms]}}]
YAML

case "$case_name" in
disk_full_mid_run)
  # The disk fills while spikes are written: exit 1, an error naming the file and the
  # reason, the old output unchanged, no temporary file left behind.
  expect_code 0 "$spikeq" run spiky.yaml -o out.h5 -q --duration 50ms
  before=$(md5sum out.h5)
  expect_code 1 with_disk_of 500 "$spikeq" run spiky.yaml -o out.h5 -q
  grep -q "out.h5.partial-[0-9a-f-]*: .*File too large" err.txt || fail "reason: $(cat err.txt)"
  grep -q "no output was replaced: out.h5: the old file is unchanged" err.txt || fail "notice: $(cat err.txt)"
  if grep -q "infinite loop\|HDF5-DIAG" err.txt; then fail "HDF5 noise: $(cat err.txt)"; fi
  [ "$(md5sum out.h5)" = "$before" ] || fail "the old out.h5 changed"
  valid_spikes out.h5
  no_temporaries
  # Without an old file there is none afterwards either.
  expect_code 1 with_disk_of 500 "$spikeq" run spiky.yaml -o new.h5 -q
  grep -q "new.h5: not written" err.txt || fail "notice: $(cat err.txt)"
  [ ! -e new.h5 ] || fail "a failed run left new.h5"
  no_temporaries
  ;;
disk_full_at_start)
  # Not even the file's header fits.
  expect_code 1 with_disk_of 0 "$spikeq" run spiky.yaml -o out.h5 -q --duration 10ms
  grep -q "cannot create file" err.txt || fail "reason: $(cat err.txt)"
  if grep -q "infinite loop" err.txt; then fail "HDF5 exit noise: $(cat err.txt)"; fi
  [ ! -e out.h5 ] || fail "left out.h5"
  no_temporaries
  ;;
checkpoint_disk_full)
  # The checkpoint does not fit: exit 1, the old checkpoint byte for byte, and the spike
  # file (which fits) complete up to the failure.
  expect_code 0 "$spikeq" run synaptic.yaml -o out.h5 -q --checkpoint ck.h5
  before=$(md5sum ck.h5)
  expect_code 1 with_disk_of 200 "$spikeq" run synaptic.yaml -o out2.h5 -q --checkpoint ck.h5
  grep -q "ck.h5.partial-[0-9a-f-]*: .*File too large" err.txt || fail "reason: $(cat err.txt)"
  [ "$(md5sum ck.h5)" = "$before" ] || fail "the old checkpoint changed"
  expect_code 0 "$spikeq" resume ck.h5 --duration 5ms -o r.h5 -q
  valid_spikes out2.h5
  no_temporaries
  ;;
stats_disk_full)
  # --stats to a full disk: exit 1 (it used to exit 0 with an empty file); the old
  # statistics stay.
  echo '{"old": true}' > s.json
  expect_code 1 with_disk_of 0 "$spikeq" run synaptic.yaml -q --no-output --stats s.json
  grep -q "cannot write statistics file 's.json'" err.txt || fail "reason: $(cat err.txt)"
  [ "$(cat s.json)" = '{"old": true}' ] || fail "s.json changed"
  no_temporaries
  ;;
unwritable_folder)
  # A folder nobody can create files in (root included): refused before the run, exit 2.
  expect_code 2 "$spikeq" run synaptic.yaml -o /proc/out.h5
  grep -q "cannot create a file in the folder of '/proc/out.h5'" err.txt || fail "reason: $(cat err.txt)"
  expect_code 2 "$spikeq" run synaptic.yaml -q --no-output --stats /proc/s.json
  grep -q "\-\-stats: cannot create a file" err.txt || fail "stats: $(cat err.txt)"
  ;;
kill_during_checkpoint)
  # SIGKILL at arbitrary moments of a run that checkpoints every step of 2 ms: what is
  # left at ck.h5 and out.h5 is always a complete file, old or new.
  expect_code 0 "$spikeq" run synaptic.yaml -o out.h5 -q --checkpoint ck.h5
  for delay in 0.3 0.6 0.9 1.2 1.5; do
    "$spikeq" run synaptic.yaml -o out.h5 -q --duration 100s --checkpoint ck.h5 \
      --checkpoint-every 2ms >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    expect_code 0 "$spikeq" resume ck.h5 --duration 1ms -o r.h5 -q
    valid_spikes out.h5
  done
  # The kills must have hit checkpoint writes, which leave their temporary files.
  compgen -G 'ck.h5.partial-*' >/dev/null || fail "no kill landed during a checkpoint write"
  ;;
concurrent_runs)
  # Two runs writing the same files at once: both finish, and the files are complete
  # (the last one to finish wins).
  "$spikeq" run spiky.yaml -o out.h5 -q --duration 400ms --checkpoint ck.h5 2>err1.txt &
  first=$!
  "$spikeq" run spiky.yaml -o out.h5 -q --duration 300ms --checkpoint ck.h5 2>err2.txt
  second=$?
  wait "$first"
  first=$?
  [ "$first" = 0 ] && [ "$second" = 0 ] || fail "exit codes $first, $second: $(cat err1.txt err2.txt)"
  valid_spikes out.h5
  expect_code 0 "$spikeq" resume ck.h5 --duration 1ms -o r.h5 -q
  no_temporaries
  ;;
real_full_disk)
  # A real full disk (ENOSPC, not an injected limit): a 3 MB tmpfs, where the system lets
  # this process mount one (root); else skipped.
  mkdir disk
  if ! mount -t tmpfs -o size=3m tmpfs disk 2>/dev/null; then
    echo "SKIPPED: cannot mount a tmpfs here (needs root outside a restricted container)"
    exit 77
  fi
  trap 'umount "$work/disk" 2>/dev/null; rm -rf "$work"' EXIT
  expect_code 0 "$spikeq" run spiky.yaml -o disk/out.h5 -q --duration 20ms
  before=$(md5sum disk/out.h5)
  expect_code 1 "$spikeq" run spiky.yaml -o disk/out.h5 -q --checkpoint disk/ck.h5
  grep -q "No space left on device" err.txt || fail "reason: $(cat err.txt)"
  if grep -q "infinite loop\|HDF5-DIAG" err.txt; then fail "HDF5 noise: $(cat err.txt)"; fi
  [ "$(md5sum disk/out.h5)" = "$before" ] || fail "the old out.h5 changed"
  [ ! -e disk/ck.h5 ] || fail "left a checkpoint"
  ( cd disk && no_temporaries )
  ;;
state_overflow)
  # Parameters that overflow a model's equations (Izhikevich driven by 1e300 pA): exit 1
  # with the population, variable and time named, not a file of NaN and exit 0.
  cat > overflow.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 10 ms, seed: 5}
populations: [{name: n, model: izhikevich, size: 2, params: {I_e: 1e300 pA}}]
YAML
  expect_code 1 "$spikeq" run overflow.yaml -o o.h5 -q
  grep -q "population 'n': v of neuron 0 is -\?nan at 10 ms: the model's equations overflowed" err.txt ||
    fail "message: $(cat err.txt)"
  ;;
*)
  fail "unknown case $case_name"
  ;;
esac
echo "PASS: $case_name"
