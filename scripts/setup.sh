#!/usr/bin/env bash
# Installs the Debian 12 packages spikeq needs, skipping those already present.
# Usage: scripts/setup.sh            (build + test dependencies, Brian2 peer)
#        SPIKEQ_SKIP_PEERS=1 scripts/setup.sh   (no Brian2)
#        SPIKEQ_BENCH_PEERS=1 scripts/setup.sh  (also PyTorch with OpenBLAS, for bench/elm.py)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-graph-dev libtbb-dev libhdf5-dev zlib1g-dev libyaml-cpp-dev
  doctest-dev librandom123-dev libcli11-dev
  # Real data for the continual-learning models and tests (models/hlop_*.yaml): scikit-learn's
  # 8x8 digits (digits.csv.gz) and Fashion-MNIST, both as Debian packages.
  python3-sklearn dataset-fashion-mnist
  # scripts/fuzz.sh: clang, and libFuzzer with the sanitizer runtimes (libclang_rt.fuzzer).
  clang libclang-rt-14-dev
)
if [ "${SPIKEQ_SKIP_PEERS:-0}" != 1 ]; then
  # Brian2 is the reference peer: cross-check tests and bench/ use it. h5py is an
  # independent SONATA reader for the output tests.
  packages+=(python3-brian python3-numpy python3-h5py)
fi
if [ "${SPIKEQ_BENCH_PEERS:-0}" = 1 ]; then
  # The ELM benchmark's peer. Debian's torch uses the system BLAS; without OpenBLAS that
  # is the unoptimised reference BLAS, which would make the peer look 3-4x slower.
  packages+=(python3-torch libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
