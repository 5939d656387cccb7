#!/usr/bin/env bash
# The Rapport performance bench (see bench/README.md): installs the bench's pinned npm
# packages if they are missing, builds dist/ if it is missing, then runs bench/run.mjs with
# the given arguments (e.g. --runs 5 for a quick look).
set -euo pipefail
BENCH="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(dirname "$BENCH")"
cd "$REPO"
if [ ! -d "$BENCH/node_modules/survey-core" ] || [ ! -d "$BENCH/node_modules/playwright-core" ]; then
  echo "[bench] npm ci --prefix bench"
  npm ci --prefix "$BENCH" --no-audit --no-fund
fi
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
exec node "$BENCH/run.mjs" "$@"
