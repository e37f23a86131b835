#!/usr/bin/env bash
# The one-shot GPU check (issue 14), at most 8 minutes, with no network access:
#   1. builds Release with CUDA in build-gpu/ (only what the check runs);
#   2. runs the cuda backend's tests on the device: the backend-equivalence suite on the
#      GPU (test_cuda_backends) and the device backend's own tests (test_device_backend);
#   3. times every network (and 1000 ELM neurons, weights from models/data) on the
#      GPU and on all the machine's CPU cores (tbb) in the same invocation, checks that the
#      GPU's spikes are the CPU's bit for bit, and compares the two delivery variants
#      (bench/gpu_bench.py);
#   4. prints the table and writes it as JSON (default bench/gpu-results.json).
# Usage: bench/gpu.sh [RESULTS.json]
# Exit codes: 0 all ran and matched; 1 a test failed or the spikes differ; 3 no GPU (or no
# CUDA compiler) here: nothing was timed, and the message says why.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results=${1:-$root/bench/gpu-results.json}
build=${SPIKEQ_GPU_BUILD:-$root/build-gpu}
start=$SECONDS

nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
if [ ! -x "$nvcc" ] && ! nvcc=$(command -v nvcc); then
  echo "bench/gpu.sh: no CUDA compiler (looked for \$CUDACXX, /usr/local/cuda/bin/nvcc, nvcc on PATH)"
  exit 3
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

echo "== build (Release, CUDA: $nvcc)"
mkdir -p "$build"
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSPIKEQ_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DSPIKEQ_CHECK_HEADERS=OFF -DSPIKEQ_BUILD_EXAMPLES=OFF \
  >"$build/gpu-configure.log" 2>&1 || { cat "$build/gpu-configure.log"; exit 1; }
cmake --build "$build" --parallel "$(nproc)" \
  --target spikeq_bench spikeq_elm_bench test_cuda_backends test_device_backend >"$build/gpu-build.log" 2>&1 ||
  { tail -50 "$build/gpu-build.log"; exit 1; }
build_s=$((SECONDS - start))
echo "built in ${build_s} s"

echo "== device tests"
"$build/tests/test_cuda_backends"
code=$?
if [ $code -eq 77 ]; then
  echo "bench/gpu.sh: no GPU here (the cuda backend said why above); nothing timed"
  exit 3
fi
[ $code -eq 0 ] || { echo "bench/gpu.sh: the cuda backend differs from the serial backend"; exit 1; }
"$build/tests/test_device_backend" || exit 1

echo "== timings"
exec /usr/bin/env python3 "$root/bench/gpu_bench.py" --bench "$build/bench/spikeq_bench" \
  --elm-bench "$build/bench/spikeq_elm_bench" \
  --elm-weights "$root/models/data/best_elm_neuron.h5" \
  --json "$results" --build-seconds "$build_s" --deadline $((480 - (SECONDS - start)))
