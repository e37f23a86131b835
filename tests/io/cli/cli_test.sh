#!/usr/bin/env bash
# End-to-end tests of the `spikeq` command line. Usage: cli_test.sh SPIKEQ SOURCE_DIR CASE
# Each CASE is a CTest test; a failed check prints what was expected and exits 1.
set -uo pipefail
spikeq=$1
src=$2
case_name=$3
# shellcheck source=cli_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_helpers.sh"

case "$case_name" in
outputs_checked_first)
  # Every argument and output path is checked before anything is opened: a mistake exits 2
  # and leaves every existing file as it was; devices are never replaced by files.
  cat > m.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 50 ms, seed: 5}
populations: [{name: n, model: lif_psc_exp, size: 4, params: {I_e: 500 pA}}]
YAML
  expect_code 0 "$spikeq" run m.yaml -o keep.h5 -q
  before=$(md5sum keep.h5 m.yaml)
  expect_code 2 "$spikeq" run m.yaml -o keep.h5 --checkpoint c.h5 --checkpoint-every 0ms
  grep -q "checkpoint-every: must be > 0" err.txt || fail "0 ms: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o keep.h5 --checkpoint-every 10ms
  grep -q "needs --checkpoint FILE" err.txt || fail "no --checkpoint: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o keep.h5 --checkpoint keep.h5
  grep -q "\-\-checkpoint and -o name the same file 'keep.h5'" err.txt || fail "same file: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o ./keep.h5 --stats ../"$(basename "$PWD")"/keep.h5
  grep -q "\-\-stats and -o name the same file" err.txt || fail "same file, two spellings: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o m.yaml
  grep -q "'m.yaml' is an input of this command" err.txt || fail "model overwritten: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o keep.h5 --checkpoint /dev/full
  grep -q "'/dev/full' exists and is not a regular file" err.txt || fail "device: $(cat err.txt)"
  [ -c /dev/full ] || fail "/dev/full is no longer a device"
  expect_code 2 "$spikeq" run m.yaml -o no_such_folder/x.h5
  grep -q "the folder of 'no_such_folder/x.h5' does not exist" err.txt || fail "folder: $(cat err.txt)"
  [ "$(md5sum keep.h5 m.yaml)" = "$before" ] || fail "a refused run changed keep.h5 or m.yaml"
  [ ! -e c.h5 ] || fail "a refused run wrote c.h5"
  # resume: -o may not be the checkpoint it reads; --checkpoint may be (it is replaced).
  expect_code 0 "$spikeq" run m.yaml -o a.h5 -q --checkpoint ck.h5
  expect_code 2 "$spikeq" resume ck.h5 --duration 10ms -o ck.h5
  grep -q "'ck.h5' is an input of this command" err.txt || fail "resume -o ck: $(cat err.txt)"
  expect_code 0 "$spikeq" resume ck.h5 --duration 10ms -o r.h5 -q --checkpoint ck.h5
  ;;
memory_refusal)
  # A model larger than the memory spikeq may use: validate refuses it exactly as run does,
  # with exit code 1 (a capacity limit, not a model error), and run writes nothing.
  cat > big.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 10 ms}
populations: [{name: a, model: lif_psc_exp, size: 2000000}]
projections: [{source: a, target: a, rule: all_to_all, weight: 1 pA, delay: 1 ms}]
YAML
  expect_code 1 "$spikeq" validate big.yaml
  grep -q "projection 'a->a' needs about 109.1 TiB of memory, more than" err.txt || fail "validate: $(cat err.txt)"
  expect_code 1 "$spikeq" run big.yaml -o big.h5
  grep -q "projection 'a->a' needs about 109.1 TiB" err.txt || fail "run: $(cat err.txt)"
  [ ! -e big.h5 ] || fail "a refused run wrote big.h5"
  # The address-space limit counts (not under a sanitizer, which reserves terabytes).
  if ! ldd "$spikeq" | grep -q -e libasan -e libtsan; then
    (ulimit -v 3000000; expect_code 1 "$spikeq" validate "$src/models/potjans_diesmann_microcircuit.yaml")
    grep -q "(ulimit -v)" err.txt || fail "ulimit -v: $(cat err.txt)"
  fi
  ;;
continual_learning)
  # A continual model through the command line: the matrix printed, in the output file, in
  # --stats and in `spikeq info`; the heat map; what does not apply is refused.
  m="$src/models/hlop_split_digits.yaml"
  # The digits are data this test needs (scripts/setup.sh installs them): without them it fails.
  [ -f /usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz ] ||
    fail "scikit-learn's digits are missing: install the Debian package python3-sklearn"
  small=(--set continual.tasks.count=2 --set continual.train_samples=100 --set continual.test_samples=30)
  expect_code 0 "$spikeq" run "$m" "${small[@]}" -o split.h5 --stats split.json
  grep -q "accuracy (%) after training task i (rows) on task j (columns):" out.txt || fail "no matrix: $(cat out.txt)"
  grep -qE "^  ACC [0-9.]+ %, BWT [-+][0-9.]+ points$" out.txt || fail "no ACC/BWT line: $(cat out.txt)"
  grep -q "subspace pixel_space: rows 12;" out.txt || fail "no subspace log: $(cat out.txt)"
  [ -f split.h5 ] && [ ! -e split.h5.partial ] || fail "no result file, or a partial one left"
  /usr/bin/python3 - <<'PY' || fail "the result file or the --stats JSON is not as printed"
import h5py, json, sys
s = json.load(open('split.json'))['continual']
f = h5py.File('split.h5', 'r')['continual']
m = f['accuracy'][:]
ok = m.shape == (2, 2) and m.tolist() == s['matrix'] and abs(f.attrs['acc'] - s['acc']) < 1e-15
ok = ok and abs(s['acc'] - (m[1][0] + m[1][1]) / 2) < 1e-12 and abs(s['bwt'] - (m[1][0] - m[0][0])) < 1e-12
sys.exit(0 if ok else 1)
PY
  expect_code 0 "$spikeq" info split.h5
  grep -q "split.h5: continual-learning result: 2 split tasks of digits, with HLOP" out.txt || fail "info: $(cat out.txt)"
  expect_code 0 "$spikeq" plot split.h5 -o split.png
  [ -s split.png ] || fail "no heat map"
  expect_code 0 "$spikeq" run "$m" "${small[@]}" --variant no_hlop -q -o no.h5
  expect_code 0 "$spikeq" info no.h5
  grep -q "without HLOP" out.txt || fail "info: $(cat out.txt)"
  expect_code 2 "$spikeq" run "$m" --duration 1s -q
  grep -q "trains a task schedule" err.txt || fail "message: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$m" --checkpoint c.ckpt -q
  grep -q "cannot be checkpointed" err.txt || fail "message: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$m" --set continual.learning[0].subspace=nope -q
  grep -q "hlop_split_digits.yaml:30:7: continual.learning\[0\]: learning of projection 'pixels_to_hidden': no subspace named 'nope'" err.txt ||
    fail "message: $(cat err.txt)"
  expect_code 0 "$spikeq" validate "$m"
  grep -q "continual: 5 split tasks of digits (1438 training, 359 test images), 2 learning rules, 1 subspace" out.txt ||
    fail "validate: $(cat out.txt)"
  ;;
checkpoint_resume)
  # 600 ms with checkpoints (TBB, 2 threads), resumed to 1 s on the serial backend: the
  # two spike files together are the uninterrupted run's, byte for byte.
  m="$src/models/izhikevich2003.yaml"
  expect_code 0 "$spikeq" run "$m" --duration 1s -o whole.h5 -q
  expect_code 0 "$spikeq" run "$m" --duration 600ms -o a.h5 -q --backend tbb --threads 2 \
    --checkpoint c.ckpt --checkpoint-every 250ms
  [ -f c.ckpt ] && [ ! -e c.ckpt.partial ] || fail "no checkpoint, or a partial one left"
  expect_code 0 "$spikeq" resume c.ckpt -o b.h5 -q --backend serial
  /usr/bin/python3 - <<'PY' || fail "resumed spikes differ from the uninterrupted run"
import h5py, numpy as np, sys
w, a, b = (h5py.File(f, 'r') for f in ('whole.h5', 'a.h5', 'b.h5'))
for pop in w['spikes']:
    for key in ('timestamps', 'node_ids'):
        joined = np.concatenate([a['spikes'][pop][key][:], b['spikes'][pop][key][:]])
        if not np.array_equal(joined, w['spikes'][pop][key][:]):
            sys.exit(1)
    if not len(b['spikes'][pop]['timestamps']) or b['spikes'][pop]['timestamps'][0] <= 600:
        sys.exit(1)
PY
  # Nothing left to run; not a checkpoint; a missing file.
  expect_code 0 "$spikeq" resume c.ckpt --duration 400ms -o b2.h5 -q --checkpoint end.ckpt
  expect_code 2 "$spikeq" resume end.ckpt -o b3.h5 -q
  grep -q "duration ends at the checkpoint" err.txt || fail "message: $(cat err.txt)"
  expect_code 2 "$spikeq" resume whole.h5 -q
  grep -q "whole.h5: /checkpoint" err.txt || fail "message: $(cat err.txt)"
  expect_code 2 "$spikeq" resume nothing.ckpt -q
  grep -q "nothing.ckpt" err.txt || fail "message: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$m" --checkpoint-every 1s -q --no-output
  grep -q "needs --checkpoint" err.txt || fail "message: $(cat err.txt)"
  ;;
replay_bad_data_keeps_output)
  # Recorded spikes that go back in time at line 90000 (9 s): the run stops there with
  # exit 2 and a message naming the file and line, and the output keeps everything
  # simulated before (the reader found the error when it read the chunk holding it).
  seq 1 100000 | awk '{t = $1 * 0.1; if ($1 == 90000) t = 1.0; printf "%g,%d\n", t, $1 % 5}' > rec.csv
  cat > replay.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 10 s}
populations:
  - {name: rec, model: spike_replay, size: 5, params: {file: rec.csv}}
  - {name: lif, model: lif_psc_exp, size: 5}
projections:
  - {source: rec, target: lif, rule: one_to_one, weight: 100 pA, delay: 1 ms}
YAML
  expect_code 2 "$spikeq" run replay.yaml -o out.h5 -q
  grep -q "rec.csv: times decrease at line 90000" err.txt || fail "message: $(cat err.txt)"
  expect_code 0 "$spikeq" info out.h5
  grep -q "simulated time: 6500 ms" out.txt || fail "kept output: $(cat out.txt)"
  grep -Eq "^  rec +5 +65000 " out.txt || fail "replayed spikes kept: $(cat out.txt)"
  ;;
malformed_corpus)
  # Every malformed model: exit 2, its message on stderr, and no output file created;
  # an existing file at the output path is left untouched.
  n=0
  for f in "$src"/tests/io/yaml/malformed/*.yaml; do
    fragment=$(head -1 "$f" | sed 's/^# expect: //')
    expect_code 2 "$spikeq" validate "$f"
    grep -qF -- "$fragment" err.txt || fail "$(basename "$f"): stderr lacks '$fragment': $(cat err.txt)"
    echo "precious" > keep.h5
    expect_code 2 "$spikeq" run "$f" -o keep.h5 --duration 10ms
    grep -qF -- "$fragment" err.txt || fail "$(basename "$f") (run): stderr lacks '$fragment'"
    [ "$(cat keep.h5)" = "precious" ] || fail "$(basename "$f"): run overwrote an existing file"
    expect_code 2 "$spikeq" run "$f" -o new.h5 --duration 10ms
    [ ! -e new.h5 ] || fail "$(basename "$f"): run left an output file"
    n=$((n + 1))
  done
  [ "$n" -ge 40 ] || fail "only $n malformed models"
  echo "checked $n malformed models"
  ;;
run_default_model)
  expect_code 0 "$spikeq" run "$src/models/izhikevich2003.yaml" -o izh.h5 --stats stats.json
  grep -q "exc" out.txt && grep -q "wall time: build" out.txt || fail "summary missing: $(cat out.txt)"
  for key in build_s simulate_s neurons synapses spikes rates_hz peak_rss_bytes bytes_per_synapse realtime_factor; do
    grep -q "\"$key\"" stats.json || fail "stats.json lacks $key"
  done
  grep -q '"neurons": 1000' stats.json || fail "stats.json: neurons"
  expect_code 0 "$spikeq" info izh.h5
  grep -qE "exc +800 +[0-9]+" out.txt || fail "info: $(cat out.txt)"
  expect_code 0 "$spikeq" plot izh.h5 -o raster.png
  head -c 8 raster.png | od -An -c | grep -q "P   N   G" || fail "raster.png is not a PNG"
  expect_code 0 "$spikeq" plot izh.h5 -o raster.svg --start 200 --stop 400
  grep -q "<svg" raster.svg || fail "raster.svg is not SVG"
  expect_code 0 "$spikeq" graph "$src/models/izhikevich2003.yaml" -o model.dot
  grep -q "digraph" model.dot && grep -q "exc" model.dot || fail "model.dot: $(cat model.dot)"
  ;;
overrides_and_reports)
  # --set changes the run exactly like an edited file; state reports become SONATA reports.
  cat > m.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 100 ms, seed: 5}
populations: [{name: n, model: lif_psc_exp, size: 4, params: {I_e: 300 pA}}]
recorders: {state: [{population: n, variable: V, neurons: [1, 3], interval: 1 ms}]}
YAML
  expect_code 0 "$spikeq" run m.yaml -o a.h5 -q --stats a.json
  grep -q '"n": 0' a.json || fail "300 pA should not fire: $(cat a.json)"
  [ -e a.n.V.h5 ] || fail "no report file a.n.V.h5"
  expect_code 0 "$spikeq" run m.yaml -o b.h5 -q --stats b.json --set "populations.n.params.I_e=0.5 nA" --duration "0.2 s"
  grep -q '"simulated_ms": 200' b.json || fail "--duration ignored: $(cat b.json)"
  grep -q '"n": 0' b.json && fail "--set ignored: 500 pA fires"
  expect_code 2 "$spikeq" run m.yaml -o c.h5 --set "populations.n.params.I_e=5 ms"
  grep -q "expected a current" err.txt || fail "--set not checked: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o c.h5 --duration "5 mV"
  expect_code 2 "$spikeq" run does_not_exist.yaml
  grep -q "cannot read model file" err.txt || fail "missing file: $(cat err.txt)"
  # Seeds are taken exactly or refused: never wrapped (-1) or clamped (2^64 and more).
  expect_code 2 "$spikeq" run m.yaml -o c.h5 --seed -1
  grep -q "'-1' is not a whole number from 0 to 18446744073709551615" err.txt || fail "--seed -1: $(cat err.txt)"
  expect_code 2 "$spikeq" run m.yaml -o c.h5 --seed 18446744073709551616
  expect_code 0 "$spikeq" run m.yaml -o d.h5 -q --seed 9007199254740993 --stats d.json
  grep -q '"seed": 9007199254740993' d.json || fail "--seed not exact: $(cat d.json)"
  [ ! -e c.h5 ] || fail "a refused run wrote c.h5"
  expect_code 2 "$spikeq" frobnicate
  ;;
backends_and_threads)
  # The tbb backend writes the same spikes as the serial one; bad thread counts and
  # backends are input errors (exit 2) that write nothing.
  model="$src/models/vogels_abbott_cuba.yaml"
  expect_code 0 "$spikeq" run "$model" -o serial.h5 -q --duration 100ms --backend serial --stats s.json
  grep -q '"threads": 1' s.json || fail "serial threads: $(cat s.json)"
  sleep 1  # a second later: the files hold no time stamps either
  expect_code 0 "$spikeq" run "$model" -o tbb.h5 -q --duration 100ms --backend tbb --threads 1 --stats t.json
  grep -q '"backend": "tbb"' t.json || fail "backend not reported: $(cat t.json)"
  cores=$(nproc)
  expect_code 0 "$spikeq" run "$model" -o tbbn.h5 -q --duration 100ms --backend tbb --threads "$cores"
  # The files record no backend or wall time: same spikes, same bytes.
  cmp serial.h5 tbb.h5 || fail "tbb.h5 differs from serial.h5"
  cmp serial.h5 tbbn.h5 || fail "tbbn.h5 ($cores threads) differs from serial.h5"
  echo "precious" > keep.h5
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --threads 0 --backend tbb
  grep -q -- "--threads must be at least 1" err.txt || fail "threads 0: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend tbb --threads $((cores + 1))
  grep -q "threads requested but this machine" err.txt || fail "too many threads: $(cat err.txt)"
  # The cuda backend's kernels on the CPU: the same bytes again, for any block order.
  expect_code 0 "$spikeq" run "$model" -o emu.h5 -q --duration 100ms --backend cuda-emulated --device 3
  cmp serial.h5 emu.h5 || fail "emu.h5 (cuda-emulated) differs from serial.h5"
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend tbb --device 1
  grep -q "the tbb backend runs on no device" err.txt || fail "tbb --device: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend cuda-emulated --device -1
  grep -q -- "--device must be at least 0" err.txt || fail "device -1: $(cat err.txt)"
  if "$spikeq" --version | grep -q "cuda,"; then
    # Built with CUDA: without a GPU the run fails at start (exit 1) and says why.
    if ! "$spikeq" run "$model" -o cuda.h5 -q --duration 100ms --backend cuda 2>err.txt; then
      grep -q "no CUDA device" err.txt || fail "cuda without a GPU: $(cat err.txt)"
    else
      cmp serial.h5 cuda.h5 || fail "cuda.h5 differs from serial.h5"
    fi
  else
    expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend cuda
    grep -q "not compiled into this build" err.txt || fail "cuda: $(cat err.txt)"
  fi
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend gpu
  grep -q "unknown backend 'gpu'" err.txt || fail "unknown backend: $(cat err.txt)"
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend serial --threads 2
  grep -q "serial backend runs on one thread" err.txt || fail "serial threads: $(cat err.txt)"
  [ "$(cat keep.h5)" = "precious" ] || fail "a rejected run overwrote an existing file"
  ;;
version_lists_backends)
  # --version names the backends of this build (the registry); --backend is checked
  # against the same list before anything runs, and the help shows it.
  expect_code 0 "$spikeq" --version
  head -1 out.txt | grep -qE '^[0-9]+\.[0-9]+\.[0-9]+$' || fail "version line: $(cat out.txt)"
  grep -qE '^backends: serial, tbb(, [a-z-]+)*$' out.txt || fail "--version lacks the backends: $(cat out.txt)"
  # docs/user-guide.md shows the line of a build without CUDA.
  line=$(grep '^backends:' out.txt | sed 's/, cuda, /, /')
  grep -qxF "$line" "$src/docs/user-guide.md" || fail "the user guide's --version output is not '$line'"
  model="$src/models/vogels_abbott_cuba.yaml"
  echo "precious" > keep.h5
  expect_code 2 "$spikeq" run "$model" -o keep.h5 --backend nonsense
  grep -qF "unknown backend 'nonsense' (available: serial, tbb" err.txt || fail "unknown backend: $(cat err.txt)"
  expect_code 2 "$spikeq" resume nothing.ckpt --backend nonsense
  grep -qF "unknown backend 'nonsense'" err.txt || fail "resume --backend: $(cat err.txt)"
  [ "$(cat keep.h5)" = "precious" ] || fail "a rejected run overwrote an existing file"
  "$spikeq" run --help >out.txt 2>&1
  grep -qF -- "{serial,tbb" out.txt || fail "run --help lacks the backends: $(cat out.txt)"
  printf 'simulation: {backend: nonsense}\npopulations: [{name: a, model: lif_psc_exp, size: 2}]\n' > b.yaml
  expect_code 2 "$spikeq" validate b.yaml
  grep -qF "simulation.backend: unknown value 'nonsense'" err.txt && grep -qF "(expected one of 'serial', 'tbb'" err.txt ||
    fail "YAML backend: $(cat err.txt)"
  ;;
models_from_registry)
  # spikeq models lists the registry's models; one model's parameters come from its table
  # (docs/user-guide.md shows this output); an unknown name is a usage error.
  expect_code 0 "$spikeq" models
  [ "$(head -1 out.txt)" = "izhikevich" ] || fail "first model: $(cat out.txt)"
  for m in lif_psc_exp lif_cond_exp aeif_cond_exp poisson_source elm spike_replay; do
    grep -qx "$m" out.txt || fail "models lacks $m: $(cat out.txt)"
  done
  expect_code 0 "$spikeq" models lif_psc_delta
  cat > want.txt <<'TXT'
lif_psc_delta
  E_L      -70 mV              resting potential
  C_m      250 pF              membrane capacitance
  tau_m    10 ms               membrane time constant
  t_ref    2 ms                refractory period (rounded to whole steps)
  V_th     -55 mV  per neuron  spike threshold
  V_reset  -70 mV  per neuron  reset potential
  I_e      0 pA    per neuron  constant bias current
  V_init   -70 mV  per neuron  initial membrane potential
  recordables: V (mV) V_th (mV) V_reset (mV) I_e (pA)
  receptors: delta (mV)
TXT
  diff want.txt out.txt >&2 || fail "spikeq models lif_psc_delta differs from docs/user-guide.md"
  grep -qF "$(sed -n 2p want.txt)" "$src/docs/user-guide.md" || fail "user guide lacks the models output"
  expect_code 0 "$spikeq" models --markdown
  grep -qF '| `integrator` | `exponential` or `euler` | exponential | no |' out.txt || fail "markdown: $(head -5 out.txt)"
  expect_code 2 "$spikeq" models lif_psc_expp
  grep -qF "unknown model 'lif_psc_expp'" err.txt || fail "unknown model: $(cat err.txt)"
  ;;
interrupt_keeps_output)
  # Ctrl-C (SIGINT) mid-run: exit 130, and a valid file with every spike so far.
  cat > long.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 600 s, seed: 1}
populations: [{name: p, model: poisson_source, size: 2000, params: {rate: 20 Hz}}]
YAML
  "$spikeq" run long.yaml -o long.h5 -q >out.txt 2>err.txt &
  pid=$!
  sleep 3
  kill -INT "$pid"
  wait "$pid"
  code=$?
  [ "$code" = 130 ] || fail "interrupted run exited $code: $(cat err.txt)"
  grep -q "interrupted" err.txt || fail "no interruption notice"
  expect_code 0 "$spikeq" info long.h5
  grep -qE "p +2000 +[1-9][0-9]*" out.txt || fail "no spikes kept: $(cat out.txt)"
  ;;
plasticity_weights)
  # Plastic projections with weight recorders: /weights/<projection>/ in the spike file,
  # streamed while running, summarised by `spikeq info`; the same run writes the same bytes.
  cat > plastic.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 1 s, seed: 3}
populations:
  - {name: in, model: poisson_source, size: 20, params: {rate: 20 Hz}}
  - {name: out, model: lif_psc_exp, size: 5, params: {I_e: 300 pA}}
modulators:
  - {name: da, tau: 200 ms, baseline: 0.01, sources: [{type: spikes, population: out, amount: 0.1}]}
projections:
  - {source: in, target: out, rule: all_to_all, weight: 100 pA, delay: 1 ms,
     plasticity: {A_plus: 1 pA, A_minus: 1.05 pA, tau_plus: 20 ms, pairing: nearest, w_max: 200 pA}}
  - {name: rec, source: out, target: out, rule: all_to_all, weight: 10 pA, delay: 1 ms,
     plasticity: {modulator: da, update: {tau_c: 200 ms}, w_max: 20 pA}}
recorders:
  weights:
    - {projection: in->out, interval: 100 ms}
    - {projection: rec, interval: 250 ms}
YAML
  expect_code 0 "$spikeq" run plastic.yaml -o w.h5 -q
  expect_code 0 "$spikeq" info w.h5
  grep -qF "projection in->out: 100 synapses, 10 snapshots (100 ms to 1000 ms), units pA" out.txt ||
    fail "info lacks in->out: $(cat out.txt)"
  grep -qF "projection rec: 25 synapses, 4 snapshots (250 ms to 1000 ms), units pA" out.txt ||
    fail "info lacks rec: $(cat out.txt)"
  grep -qE "^ +first +100 " out.txt && grep -qE "^ +last +1000 " out.txt ||
    fail "info lacks first/last rows: $(cat out.txt)"
  grep -qF "histogram of the last snapshot (pA):" out.txt || fail "info lacks a histogram: $(cat out.txt)"
  sleep 1  # a second later: the weights hold no time stamps either
  expect_code 0 "$spikeq" run plastic.yaml -o w2.h5 -q --backend tbb --threads 1
  cmp w.h5 w2.h5 || fail "w2.h5 (tbb) differs from w.h5"
  if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    /usr/bin/python3 - <<'PY' || fail "layout of /weights"
import sys
import h5py
import numpy as np

with h5py.File("w.h5", "r") as f:
    for name, rows, cols, step in (("in->out", 10, 100, 100.0), ("rec", 4, 25, 250.0)):
        g = f["weights"][name]
        v, t = g["values"], g["times"]
        checks = {
            "values shape": v.shape == (rows, cols) and v.maxshape == (None, cols),
            "values float32, chunked": v.dtype == np.float32 and v.chunks is not None,
            "times": t.shape == (rows,) and t.maxshape == (None,) and t.dtype == np.float64
                     and np.array_equal(t[:], step * np.arange(1, rows + 1)),
            "ids": all(g[d].dtype == np.uint32 and g[d].shape == (cols,)
                       for d in ("source_ids", "target_ids")),
            "delays": g["delays"].dtype == np.float64 and np.allclose(g["delays"][:], 1.0),
            "units": v.attrs["units"] == "pA" and t.attrs["units"] == "ms"
                     and g["delays"].attrs["units"] == "ms",
            "bounds": v[:].min() >= 0 and v[:].max() <= (200 if name == "in->out" else 20),
        }
        for what, ok in checks.items():
            if not ok:
                sys.exit(f"{name}: {what}")
    if np.array_equal(f["weights/in->out/values"][0], f["weights/in->out/values"][-1]):
        sys.exit("in->out: the weights did not change")
PY
  fi
  # A run shorter than the interval leaves the series without snapshots.
  expect_code 0 "$spikeq" run plastic.yaml -o short.h5 -q --duration 50ms
  expect_code 0 "$spikeq" info short.h5
  grep -qF "projection in->out: 100 synapses, 0 snapshots" out.txt || fail "short run: $(cat out.txt)"
  if ! /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    echo "skipped: h5py is missing (Debian package python3-h5py), so the layout of /weights was not checked"
    exit 77
  fi
  ;;
plot_reports)
  # State reports beside the spike file become rows of the plot below the rates:
  # --no-reports leaves them out, --report picks exactly the files given.
  cat > r.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 200 ms, seed: 5}
populations:
  - {name: n, model: lif_psc_exp, size: 20, params: {I_e: 400 pA}}
  - {name: m, model: lif_psc_exp, size: 2, params: {I_e: 450 pA}}
recorders:
  state:
    - {population: n, variable: V, interval: 0.1 ms}
    - {population: m, variable: V, neurons: [1], interval: 1 ms}
YAML
  expect_code 0 "$spikeq" run r.yaml -o r.h5 -q
  [ -e r.n.V.h5 ] && [ -e r.m.V.h5 ] || fail "no report files: $(ls)"
  expect_code 0 "$spikeq" plot r.h5 -o all.svg
  [ "$(grep -o '>time (ms)<' all.svg | wc -l)" = 3 ] || fail "all.svg: expected the raster and 2 report rows"
  grep -qF '>n V<' all.svg && grep -qF '>m V<' all.svg || fail "all.svg lacks the report titles"
  grep -qF '>V (mV)<' all.svg || fail "all.svg lacks the unit on the y axis"
  grep -qF '>mean<' all.svg || fail "all.svg: 20 neurons should be drawn as their mean"
  expect_code 0 "$spikeq" plot r.h5 -o all.png
  [ "$(od -An -tu1 -j16 -N8 all.png | awk '{print $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}')" = 1360 ] ||
    fail "all.png: expected 800 + 2 x 280 rows"
  expect_code 0 "$spikeq" plot r.h5 -o none.svg --no-reports
  [ "$(grep -o '>time (ms)<' none.svg | wc -l)" = 1 ] || fail "--no-reports drew report rows"
  expect_code 0 "$spikeq" plot r.h5 -o one.svg --report r.m.V.h5
  [ "$(grep -o '>time (ms)<' one.svg | wc -l)" = 2 ] || fail "--report: expected 1 report row"
  grep -qF '>m V<' one.svg && ! grep -qF '>n V<' one.svg || fail "--report plotted other reports"
  expect_code 1 "$spikeq" plot r.h5 -o missing.svg --report r.m.V.h5 --report nowhere.h5
  grep -qF "nowhere.h5" err.txt || fail "missing --report file not named: $(cat err.txt)"
  [ ! -e missing.svg ] || fail "a failed plot left a file"
  expect_code 2 "$spikeq" plot r.h5 -o both.svg --report r.m.V.h5 --no-reports
  # Moved away from its reports, the spike file plots alone, with a warning.
  mkdir alone && cp r.h5 alone/
  expect_code 0 "$spikeq" plot alone/r.h5 -o alone.svg
  grep -qF "r.n.V.h5" err.txt || fail "no warning about the missing report: $(cat err.txt)"
  [ "$(grep -o '>time (ms)<' alone.svg | wc -l)" = 1 ] || fail "alone.svg has report rows"
  "$spikeq" plot --help >out.txt 2>&1
  grep -q -- "--no-reports" out.txt && grep -q -- "--report" out.txt || fail "plot --help: $(cat out.txt)"
  ;;
write_failures_mid_run)
  # An output whose folder is removed while the run goes: the write that fails ends the
  # run with exit 1 and a message naming the file, and every other output keeps what was
  # simulated (a complete file). Disk-full failures are in fault_test.sh.
  cat > long.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 600 s, seed: 1}
populations: [{name: p, model: poisson_source, size: 2000, params: {rate: 20 Hz}}]
YAML
  wait_for() {  # wait_for PATTERN: until a file matches it (20 s at most)
    for _ in $(seq 400); do compgen -G "$1" >/dev/null && return 0; sleep 0.05; done
    fail "no file matching $1 appeared"
  }
  # The checkpoint's folder: the next checkpoint fails, and the run stops there by itself.
  mkdir ck
  "$spikeq" run long.yaml -o kept.h5 -q --checkpoint ck/c.ckpt --checkpoint-every 200ms >out.txt 2>err.txt &
  pid=$!
  wait_for ck/c.ckpt
  rm -rf ck
  wait "$pid"
  code=$?
  [ "$code" = 1 ] || fail "checkpoint folder removed: exit $code, expected 1: $(cat err.txt)"
  grep -q "ck/c.ckpt" err.txt || fail "the message does not name the checkpoint: $(cat err.txt)"
  expect_code 0 "$spikeq" info kept.h5
  grep -qE "simulated time: [1-9][0-9]* ms" out.txt && grep -qE "^  p +2000 +[1-9][0-9]* " out.txt ||
    fail "kept.h5 lost what was simulated: $(cat out.txt)"
  no_temporaries
  # The spike file's folder: the file cannot be put in place at the end (Ctrl-C ends the run).
  mkdir sub
  "$spikeq" run long.yaml -o sub/lost.h5 -q >out.txt 2>err.txt &
  pid=$!
  wait_for 'sub/lost.h5.partial-*'
  sleep 1  # past the start, where Ctrl-C is taken as a request to stop
  rm -rf sub
  kill -INT "$pid"
  wait "$pid"
  code=$?
  [ "$code" = 1 ] || fail "output folder removed: exit $code, expected 1: $(cat err.txt)"
  grep -q "sub/lost.h5: " err.txt || fail "the message does not name the output: $(cat err.txt)"
  no_temporaries
  # The --stats file's folder: written last, it fails; the spike file is complete.
  mkdir gone
  "$spikeq" run long.yaml -o done.h5 -q --stats gone/s.json >out.txt 2>err.txt &
  pid=$!
  wait_for 'done.h5.partial-*'
  sleep 1
  rm -rf gone
  kill -INT "$pid"
  wait "$pid"
  code=$?
  [ "$code" = 1 ] || fail "--stats folder removed: exit $code, expected 1: $(cat err.txt)"
  grep -q "cannot write statistics file 'gone/s.json'" err.txt || fail "message: $(cat err.txt)"
  expect_code 0 "$spikeq" info done.h5
  grep -qE "^  p +2000 +[1-9][0-9]* " out.txt || fail "done.h5 lost its spikes: $(cat out.txt)"
  no_temporaries
  ;;
resume_memory_refusal)
  # Resuming a checkpoint whose network does not fit the memory spikeq may use: exit 1 (a
  # capacity limit) before anything is written, the checkpoint left as it was.
  if ldd "$spikeq" | grep -q -e libasan -e libtsan; then
    echo "skipped: a sanitizer reserves terabytes of address space, so ulimit -v cannot be used"
    exit 77
  fi
  cat > big.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 10 ms, seed: 2}
populations: [{name: a, model: lif_psc_exp, size: 3000, params: {I_e: 400 pA}}]
projections: [{source: a, target: a, rule: all_to_all, weight: 1 pA, delay: 1 ms}]
YAML
  expect_code 0 "$spikeq" run big.yaml -o big.h5 -q --checkpoint big.ckpt
  before=$(md5sum big.ckpt)
  (ulimit -v 200000; expect_code 1 "$spikeq" resume big.ckpt --duration 5ms -o r.h5 -q --checkpoint big.ckpt) ||
    fail "resume under ulimit -v: $(cat err.txt)"
  grep -q "projection 'a->a' needs about 257.5 MiB of memory, more than the process's address-space limit" err.txt ||
    fail "message: $(cat err.txt)"
  [ ! -e r.h5 ] || fail "a refused resume wrote r.h5"
  [ "$(md5sum big.ckpt)" = "$before" ] || fail "a refused resume changed its checkpoint"
  ! compgen -G '*.partial-*' >/dev/null || fail "temporary files left: $(ls ./*.partial-*)"
  ;;
unreadable_results)
  # info, plot and graph on files they cannot read or write: exit 1, naming the file, and
  # no output left.
  cat > m.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 50 ms, seed: 5}
populations: [{name: n, model: lif_psc_exp, size: 4, params: {I_e: 500 pA}}]
YAML
  expect_code 0 "$spikeq" run m.yaml -o a.h5 -q --checkpoint c.ckpt
  expect_code 1 "$spikeq" info missing.h5
  grep -qF "missing.h5: no such file" err.txt || fail "info, missing file: $(cat err.txt)"
  echo "not a spike file" > notes.txt
  expect_code 1 "$spikeq" info notes.txt
  grep -qF "notes.txt: not an HDF5 file" err.txt || fail "info, text file: $(cat err.txt)"
  expect_code 1 "$spikeq" info c.ckpt
  grep -qF "c.ckpt: /spikes: group missing (not a SONATA spike file)" err.txt || fail "info, checkpoint: $(cat err.txt)"
  expect_code 1 "$spikeq" plot c.ckpt -o c.png
  grep -qF "c.ckpt: /spikes: group missing" err.txt || fail "plot, checkpoint: $(cat err.txt)"
  [ ! -e c.png ] || fail "a failed plot left c.png"
  expect_code 1 "$spikeq" plot a.h5 -o no_such_folder/a.png
  grep -qF "'no_such_folder/a.png'" err.txt || fail "plot, folder: $(cat err.txt)"
  expect_code 1 "$spikeq" graph m.yaml -o no_such_folder/m.dot
  grep -qF "'no_such_folder/m.dot'" err.txt || fail "graph, folder: $(cat err.txt)"
  [ ! -e no_such_folder ] || fail "graph created the folder"
  ! compgen -G '*.partial-*' >/dev/null || fail "temporary files left: $(ls ./*.partial-*)"
  ;;
damaged_results)
  # Result files damaged after they were written (h5py removes a dataset): info and plot
  # exit 1 naming the dataset, and plot says how to plot the rest.
  if ! /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    echo "skipped: h5py is missing (Debian package python3-h5py), so no damaged file can be made"
    exit 77
  fi
  cat > plastic.yaml <<'YAML'
simulation: {dt: 0.1 ms, duration: 300 ms, seed: 3}
populations:
  - {name: in, model: poisson_source, size: 20, params: {rate: 20 Hz}}
  - {name: out, model: lif_psc_exp, size: 5, params: {I_e: 300 pA}}
projections:
  - {source: in, target: out, rule: all_to_all, weight: 100 pA, delay: 1 ms,
     plasticity: {A_plus: 1 pA, A_minus: 1.05 pA, tau_plus: 20 ms, w_max: 200 pA}}
recorders:
  weights: [{projection: in->out, interval: 100 ms}]
YAML
  expect_code 0 "$spikeq" run plastic.yaml -o w.h5 -q
  /usr/bin/python3 - <<'PY' || fail "could not damage the files"
import shutil
import h5py
shutil.copy("w.h5", "bad_weights.h5")
with h5py.File("bad_weights.h5", "r+") as f:
    del f["weights/in->out/values"]
with h5py.File("bad_continual.h5", "w") as f:
    f.create_group("continual")
PY
  expect_code 1 "$spikeq" info bad_weights.h5
  grep -qF "bad_weights.h5: /weights/in->out/values: dataset missing" err.txt || fail "info: $(cat err.txt)"
  expect_code 1 "$spikeq" plot bad_weights.h5 -o b.png
  grep -qF "bad_weights.h5: /weights/in->out/values: dataset missing (--no-weights plots the spikes alone)" err.txt ||
    fail "plot: $(cat err.txt)"
  [ ! -e b.png ] || fail "a failed plot left b.png"
  expect_code 0 "$spikeq" plot bad_weights.h5 -o b.png --no-weights
  [ -s b.png ] || fail "--no-weights drew nothing"
  expect_code 1 "$spikeq" info bad_continual.h5
  grep -qF "bad_continual.h5: /continual/accuracy: dataset missing" err.txt || fail "info, continual: $(cat err.txt)"
  expect_code 1 "$spikeq" plot bad_continual.h5 -o c.png
  grep -qF "bad_continual.h5: /continual/accuracy: dataset missing" err.txt || fail "plot, continual: $(cat err.txt)"
  [ ! -e c.png ] || fail "a failed plot left c.png"
  ;;
*)
  fail "unknown case $case_name"
  ;;
esac
echo "ok: $case_name"
