#!/usr/bin/env bash
# The static site: a release build of the playground into dist/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The first build also fetches std's own dependencies (build-std), so it
# runs online; later builds could add --offline.
trunk build --release
