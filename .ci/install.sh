#!/usr/bin/env bash
# Installs whatever this project needs and is missing; finds what is already
# there (by version) and leaves it alone. Usage: install.sh [--browser]
#   --browser  also Debian's browsers (chromium, firefox-esr, WebKitGTK) for the tests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

TOOLCHAIN=nightly-2026-05-20
BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.22.1
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

# 1. Rust: the pinned nightly with rust-src and the wasm target.
if ! command -v rustup >/dev/null; then
  log "rustup missing: installing it from Debian"
  apt-get update -qq && apt-get install -y -qq rustup
fi
if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
  log "installing Rust $TOOLCHAIN"
  rustup toolchain install "$TOOLCHAIN" --profile minimal \
    --component rust-src --component clippy --component rustfmt --target wasm32-unknown-unknown
fi
# clippy and rustfmt, which the test command runs (a toolchain installed before they were asked for lacks them).
for component in clippy rustfmt; do
  if ! rustup component list --installed --toolchain "$TOOLCHAIN" | grep -q "^$component"; then
    log "adding $component to Rust $TOOLCHAIN"
    rustup component add "$component" --toolchain "$TOOLCHAIN"
  fi
done

# 1b. CPython: the native tests run every Python program the page shows.
if ! command -v python3 >/dev/null; then
  log "python3 missing: installing it from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi

# 1c. The native tests' Python packages (tests/requirements.txt): Bytewax for
#     the word count's dataflow program, Dask's distributed for the Dask
#     programs, ruff to check every page program; in the project's virtual
#     environment, never the system Python.
if ! cmp -s tests/requirements.txt .venv/.installed-from; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    log "python3-venv missing: installing it from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  log "installing tests/requirements.txt (Bytewax, Dask, ruff) into .venv"
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
  cp tests/requirements.txt .venv/.installed-from
fi

# 2. wasm-bindgen-cli, equal to the crate version in Cargo.lock. Its own lock
#    file pins a webpki-roots the registry lacks, so build from a patched copy.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  log "building wasm-bindgen-cli $BINDGEN_VERSION (about 2 minutes)"
  scratch=$(mktemp -d)
  mkdir -p "$scratch/fetcher/src"
  cat > "$scratch/fetcher/Cargo.toml" <<TOML
[package]
name = "fetcher"
version = "0.0.0"
edition = "2021"
[dependencies]
wasm-bindgen-cli = "=$BINDGEN_VERSION"
TOML
  echo 'fn main() {}' > "$scratch/fetcher/src/main.rs"
  (cd "$scratch/fetcher" && cargo +"$TOOLCHAIN" fetch -q)
  src=$(find "$HOME/.cargo/registry/src" -maxdepth 2 -type d -name "wasm-bindgen-cli-$BINDGEN_VERSION" | head -n1)
  cp -r "$src" "$scratch/cli"
  (cd "$scratch/cli" && cargo +"$TOOLCHAIN" update -q -p webpki-roots --precise 1.0.10 \
     && cargo +"$TOOLCHAIN" install -q --path . --locked --force)
  rm -rf "$scratch"
fi

# 3. trunk, the build tool.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "building trunk $TRUNK_VERSION (about 7 minutes on 2 cores)"
  cargo +"$TOOLCHAIN" install -q trunk --version "$TRUNK_VERSION" --locked --force
fi

# 4. npm packages from the lock file: wasm-opt (binaryen) and playwright-core.
if ! cmp -s tests/package-lock.json tests/node_modules/.installed-from-lock; then
  log "installing npm packages from tests/package-lock.json"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error \
     && cp package-lock.json node_modules/.installed-from-lock)
fi

# 5. Real browsers for the end-to-end tests, all Debian's, never downloaded
#    builds: chromium (+ driver) for playwright-core, firefox-esr (driven
#    over its own Marionette socket), WebKitGTK's MiniBrowser with
#    WebKitWebDriver, and Xvfb for MiniBrowser, which has no headless mode.
#    And Debian's web servers, which run the README's configurations
#    (tests/servers.test.mjs); they live in /usr/sbin.
if [ "${1:-}" = "--browser" ]; then
  PATH="$PATH:/usr/sbin:/sbin"
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  [ -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ] || missing+=(libwebkit2gtk-4.1-0)
  command -v Xvfb >/dev/null || missing+=(xvfb)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v apache2 >/dev/null || missing+=(apache2)
  command -v caddy >/dev/null || missing+=(caddy)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      log "installing Debian's ${missing[*]}"
      # The tests start their own servers on loopback. Debian's packages
      # would also start theirs on port 80, and the second to start would
      # fail its install; policy-rc.d, Debian's switch for this, holds them
      # back while installing (where none is set already).
      if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      fi
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "browsers missing: run 'sudo apt-get install ${missing[*]}' and try again" >&2
      exit 1
    fi
  fi
fi
log "all tools present"
