#!/usr/bin/env bash
# Benchmarks (by hand, not part of CI): the kernel natively, then the models
# in headless Chromium, start-up and speedups per browser engine, then the same experiments in CPython. Figures go to
# BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
bash .ci/build.sh >/dev/null
echo "== native"
cargo bench -q -p kernels --bench native_primes 2>/dev/null
cargo bench -q -p kernels --bench native_wordcount 2>/dev/null
echo "== wasm in Chromium"
(cd tests && node bench.mjs)
echo "== per browser engine (Chromium, Firefox, WebKit with and without shared memory)"
(cd tests && node bench-engines.mjs)
echo "== the same experiments in CPython (standard library)"
if command -v python3 >/dev/null; then
  python3 tests/cpython_bench.py
else
  echo "no python3 on this machine: the CPython column is skipped"
fi
