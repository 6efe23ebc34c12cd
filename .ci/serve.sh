#!/usr/bin/env bash
# Set-up command 1: install what is missing, then serve the playground on
# http://127.0.0.1:8080 with the cross-origin isolation headers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/.ci/install.sh"
bash "$root/.ci/build.sh"
echo "Serving the release build at http://127.0.0.1:8080 (Ctrl-C stops)"
cd "$root/tests" && exec node server.mjs ../dist 8080
