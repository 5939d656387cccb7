#!/usr/bin/env bash
# Rapport's one run command: set up, build dist/, serve the demo shop page.
# Extra arguments go to `cargo xtask serve` (e.g. --addr 127.0.0.1:9000, --no-build).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh
echo "[run] building and serving; demo page: http://127.0.0.1:8080/ (unless --addr says otherwise)"
exec cargo xtask serve "$@"
