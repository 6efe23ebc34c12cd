#!/usr/bin/env bash
# Set-up command 2: install what is missing (including Debian's chromium),
# then run every test: native unit tests, then the browser tests against the
# release build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
echo "== formatting (rustfmt.toml)"
cargo fmt --all --check
echo "== native tests (kernels, engine, the runtime's start board)"
cargo test --workspace --exclude playground --exclude compute --exclude ui
echo "== clippy (kernels and engine natively, the browser crates for wasm), warnings as errors"
cargo clippy -q -p kernels -p engine --all-targets -- -D warnings
cargo clippy -q -p runtime -p ui -p playground -p compute --target wasm32-unknown-unknown -- -D warnings
echo "== release build"
bash .ci/build.sh
echo "== browser tests (Chromium, with nginx, Apache and Caddy in servers.test.mjs; then Firefox and WebKit in engines.test.mjs)"
cd tests && node --test --test-concurrency=1 layers.test.mjs architecture.test.mjs schema.test.mjs e2e.test.mjs pools.test.mjs teach.test.mjs hosting.test.mjs servers.test.mjs embed.test.mjs plain.test.mjs lessons.test.mjs offline.test.mjs firstvisit.test.mjs machine.test.mjs answer.test.mjs predict.test.mjs downloads.test.mjs dataflow.test.mjs engines.test.mjs
