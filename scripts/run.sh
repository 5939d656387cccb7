#!/usr/bin/env bash
# Rapport's one run command: set up, build dist/, start the collector on SQLite, which serves
# the demo shop page and receives its responses. Extra arguments go to rapport-collector
# (e.g. --listen 127.0.0.1:9000; see crates/collector/README.md).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh
cargo xtask dist
echo "[run] collector on SQLite (rapport.db); demo page: http://127.0.0.1:8080/ (unless --listen says otherwise)"
exec cargo run --release -p rapport-collector -- --dist dist --surveys surveys "$@"
