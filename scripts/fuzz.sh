#!/usr/bin/env bash
# Fuzzes the readers of hostile input (issue 16) with libFuzzer: builds the harnesses of
# tests/fuzz with clang, ASan and UBSan in build-fuzz, runs each for a bounded time from
# its seeds, and prints the executions per harness and in total. Exits non-zero when a
# harness found a crash, a sanitizer report, an escaping exception, a leak, a timeout or an
# out-of-memory; the input is then copied to tests/fuzz/regressions/<harness>/, where the
# normal test suite replays it (fuzz_regressions:<harness>) once committed with its fix.
#
# Usage: scripts/fuzz.sh [HARNESS...]        (default: all; names as in tests/fuzz/CMakeLists.txt)
#   SPIKEQ_FUZZ_SECONDS  seconds per harness (default 30)
#   SPIKEQ_FUZZ_JOBS     harnesses run at once (default: the number of cores)
#   SPIKEQ_FUZZ_BUILD    the build folder (default build-fuzz)
# Each harness's working corpus (build-fuzz/fuzz-corpus/<harness>) is kept between runs,
# so later runs start from what earlier ones found.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${SPIKEQ_FUZZ_SECONDS:-30}
jobs=${SPIKEQ_FUZZ_JOBS:-$(nproc)}
build=${SPIKEQ_FUZZ_BUILD:-build-fuzz}
harnesses=(yaml_model yaml_set replay_csv replay_sonata replay_nwb replay_shd elm_weights checkpoint)
if [ $# -gt 0 ]; then harnesses=("$@"); fi

# Only the harnesses and the library they test: no tests, examples, benchmarks or CUDA.
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPIKEQ_FUZZ=ON \
  -DSPIKEQ_WERROR=ON -DSPIKEQ_BUILD_TESTS=OFF -DSPIKEQ_BUILD_EXAMPLES=OFF -DSPIKEQ_BUILD_BENCH=OFF \
  -DSPIKEQ_CUDA=OFF "${launcher[@]}" >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

logs=$build/fuzz-logs
artifacts=$build/fuzz-artifacts
rm -rf "$logs" "$artifacts"
mkdir -p "$logs" "$artifacts"

# Copies the seeds into the working corpus: tests/fuzz/corpus/<harness> and
# regressions/<harness>, and for the model text the zoo and the malformed-model corpus, less
# the two that take seconds each (Fashion-MNIST read at load; the 10^6-value alias bomb):
# fuzzing their mutations would spend the time on what they already pin.
copy_seeds() {
  local h=$1 work=$2
  for d in "tests/fuzz/corpus/$h" "tests/fuzz/regressions/$h"; do
    if [ -d "$d" ]; then cp "$d"/* "$work"/; fi
  done
  if [ "$h" = yaml_model ]; then
    cp models/*.yaml tests/io/yaml/malformed/*.yaml "$work"/
    rm -f "$work/hlop_permuted_fashion.yaml" "$work/alias_bomb.yaml"
  fi
}

run_harness() {
  local h=$1 work=$build/fuzz-corpus/$1 extra=()
  mkdir -p "$work"
  copy_seeds "$h" "$work"
  case $h in
    yaml_*) extra=(-dict=tests/fuzz/yaml.dict -rss_limit_mb=2048) ;;
    replay_csv) extra=(-rss_limit_mb=2048) ;;
    # The HDF5 readers read each file first in a forked child (io/isolated_read.hpp). The
    # RSS limit runs a thread beside the fuzzer's, and under clang 14's ASan a fork while
    # another thread is inside the allocator leaves the child locked forever: here the
    # limit is on each allocation only. A child that hangs inside libhdf5 is stopped after
    # 60 s, a clean FileError: the timeout is above that.
    *) extra=(-rss_limit_mb=0 -malloc_limit_mb=2048 -timeout=75) ;;
  esac
  # -timeout: seconds one input may take (the largest legal documents take well under one);
  # -rss_limit_mb: the memory any input may take; -max_len: the largest seed (a checkpoint,
  # about 40 KB) fits.
  # The input file (tests/fuzz/fuzz_support.hpp) goes to TMPDIR: a crash leaves it there.
  local tmp
  tmp=$(realpath -m "$build/fuzz-tmp/$h")
  rm -rf "$tmp"
  mkdir -p "$tmp"
  TMPDIR=$tmp "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 \
    -max_len=65536 -timeout=10 -artifact_prefix="$artifacts/$h-" "${extra[@]}" "$work" \
    >"$logs/$h.log" 2>&1
}

# Runs the harnesses, `jobs` at a time; each one's exit status goes to its .status file.
running=0
for h in "${harnesses[@]}"; do
  ( set +e; run_harness "$h"; echo $? >"$logs/$h.status" ) &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
total=0
printf '\n%-14s %12s %9s  %s\n' harness executions 'exec/s' result
for h in "${harnesses[@]}"; do
  log=$logs/$h.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  execs=${execs:-0}
  total=$((total + execs))
  if [ "$(cat "$logs/$h.status")" = 0 ]; then
    result=clean
  else
    failed=1
    result="FAILED (log: $log)"
    while read -r input; do
      mkdir -p "tests/fuzz/regressions/$h"
      cp "$input" "tests/fuzz/regressions/$h/"
      result+=$'\n'"    input: $input, copied to tests/fuzz/regressions/$h/$(basename "$input")"
    done < <(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | sort -u)
  fi
  printf '%-14s %12s %9s  %s\n' "$h" "$execs" "${rate:-?}" "$result"
done
printf '%-14s %12s\n' total "$total"

if [ "$failed" != 0 ]; then
  echo "fuzz: a harness failed; its log shows the report and the input (above)" >&2
  exit 1
fi
