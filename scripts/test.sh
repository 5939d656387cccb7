#!/usr/bin/env bash
# Rapport's one test command (also what CI runs via .ci/run).
# Stages fail fast; each prints a header, and the total time is printed at the end.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Headless Chromium for wasm-bindgen-test (also set in .cargo/config.toml).
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

START=$SECONDS
CURRENT_STAGE="(none)"

stage() {
  CURRENT_STAGE="$*"
  printf '\n==== [%4ds] %s ====\n' "$((SECONDS - START))" "$*"
}

finish() {
  local status=$?
  if [ "$status" -eq 0 ]; then
    printf '\n==== all stages passed in %ds ====\n' "$((SECONDS - START))"
  else
    printf '\n==== FAILED in stage "%s" (exit %d) after %ds ====\n' "$CURRENT_STAGE" "$status" "$((SECONDS - START))" >&2
  fi
}
trap finish EXIT

stage "setup (scripts/setup.sh)"
scripts/setup.sh

stage "format (cargo fmt --check)"
cargo fmt --all -- --check

stage "lint, native (cargo clippy --workspace --all-targets --all-features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

stage "lint, wasm32 (cargo clippy --target wasm32-unknown-unknown)"
# rapport-survey's dev-dependencies (proptest → getrandom) do not build for
# wasm32-unknown-unknown, so only its library is linted for that target.
cargo clippy -p rapport --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p rapport-console --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p rapport-survey --target wasm32-unknown-unknown --lib -- -D warnings

stage "tests, native (cargo test --workspace, collector in its own stage below)"
cargo test --workspace --exclude rapport-collector

stage "tests, wasm32 in headless Chromium (cargo test -p rapport --target wasm32-unknown-unknown)"
cargo test -p rapport --target wasm32-unknown-unknown

stage "release build (cargo xtask dist)"
cargo xtask dist

stage "size budget of the shop bundle, gzip (node bench/size-budget.mjs; budget in bench/size-budget.json)"
node bench/size-budget.mjs

stage "end-to-end, headless Chromium (node --test e2e/)"
node --test e2e/

stage "collector: SQLite + PostgreSQL suites, crash test, two instances, end to end in headless Chromium (scripts/test-collector.sh)"
scripts/test-collector.sh

stage "researcher console, end to end in headless Chromium (node crates/console/tests/e2e/console.js)"
node crates/console/tests/e2e/console.js "${CARGO_TARGET_DIR:-$REPO/target}/debug/rapport-collector" dist surveys
