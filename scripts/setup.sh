#!/usr/bin/env bash
# Rapport development set-up: installs only what is missing, at pinned versions.
# Idempotent and quick when everything is already there; run by scripts/test.sh
# and scripts/run.sh, so it rarely needs to be run by hand.
#
#   - apt:    chromium chromium-driver postgresql (and nodejs/npm if absent)
#   - rustup: target wasm32-unknown-unknown, components clippy rustfmt
#   - cargo:  wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#   - npm:    tools/ (binaryen's wasm-opt, esbuild, playwright-core, axe-core, ajv) via `npm ci` from tools/package-lock.json
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

APT_PACKAGES=(chromium chromium-driver postgresql)
WASM_TARGET=wasm32-unknown-unknown
RUST_COMPONENTS=(clippy rustfmt)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

log() { printf '[setup] %s\n' "$*"; }

# Runs "$@" and logs how long it took.
timed() {
  local start=$SECONDS
  "$@"
  log "  done in $((SECONDS - start))s"
}

apt_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

setup_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    apt_installed "$pkg" || missing+=("$pkg")
  done
  if ! command -v npm >/dev/null 2>&1; then
    apt_installed nodejs || missing+=(nodejs)
    missing+=(npm)
  fi
  if [ "${#missing[@]}" -eq 0 ]; then
    log "apt: ${APT_PACKAGES[*]} already installed"
    return
  fi
  log "apt: installing ${missing[*]}"
  timed "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  timed "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

setup_rustup() {
  if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    log "rustup: target $WASM_TARGET already installed"
  else
    log "rustup: adding target $WASM_TARGET"
    timed rustup target add "$WASM_TARGET"
  fi
  local component
  for component in "${RUST_COMPONENTS[@]}"; do
    if rustup component list --installed | grep -q "^$component"; then
      log "rustup: component $component already installed"
    else
      log "rustup: adding component $component"
      timed rustup component add "$component"
    fi
  done
}

# The version of package "$1" in Cargo.lock (first match).
locked_version() {
  awk -v want="name = \"$1\"" '
    /^\[\[package\]\]/ { in_pkg = 0 }
    $0 == want         { in_pkg = 1; next }
    in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$REPO/Cargo.lock"
}

setup_wasm_bindgen() {
  local want have
  want="$(locked_version wasm-bindgen)"
  if [ -z "$want" ]; then
    echo "[setup] error: no wasm-bindgen package in $REPO/Cargo.lock" >&2
    exit 1
  fi
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" = "$want" ]; then
    log "cargo: wasm-bindgen-cli $want already installed"
    return
  fi
  log "cargo: installing wasm-bindgen-cli =$want (found: ${have:-none}); this compiles for a few minutes"
  # No --locked: the crate's own lock file does not build with current toolchains.
  timed cargo install wasm-bindgen-cli --version "=$want"
}

setup_npm_tools() {
  local tools="$REPO/tools" stamp lock_hash
  stamp="$tools/node_modules/.rapport-lock.sha256"
  lock_hash="$(sha256sum "$tools/package-lock.json" | awk '{print $1}')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -x "$tools/node_modules/.bin/wasm-opt" ]; then
    log "npm: tools/node_modules up to date"
    return
  fi
  log "npm: npm ci in tools/"
  # --ignore-scripts: the pinned packages need no install scripts (and must not download anything).
  timed npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund
  printf '%s\n' "$lock_hash" >"$stamp"
}

main() {
  local start=$SECONDS
  setup_apt
  setup_rustup
  setup_wasm_bindgen
  setup_npm_tools
  log "ready in $((SECONDS - start))s; tools used: $(command -v wasm-bindgen), $(command -v wasm-opt), $(command -v chromedriver)"
  log "hint: export PATH=\"$REPO/tools/node_modules/.bin:\$HOME/.cargo/bin:\$PATH\""
}

main "$@"
