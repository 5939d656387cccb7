#!/usr/bin/env bash
# The collector's tests, PostgreSQL included:
#   1. `cargo test -p rapport-collector` with a throwaway PostgreSQL server started by
#      scripts/pg-test.sh (which sets RAPPORT_PG_URL; RAPPORT_REQUIRE_PG=1 turns a missing
#      server into a failure instead of a skip): HTTP tests of every endpoint and error, the
#      storage suite on SQLite and on PostgreSQL, the SIGKILL crash test, two instances on one
#      PostgreSQL, graceful shutdown, the CLI, the property test.
#   2. End to end (needs dist/ from `cargo xtask dist`): the demo page and widget served by
#      the collector in headless Chromium post a response; the aggregate endpoint shows it
#      under the right relationship type; the hosted page from a signed link; a shop page of
#      a second origin embeds the collector's widget and its response is stored.
# Extra arguments go to `cargo test`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"

export RAPPORT_REQUIRE_PG=1
scripts/pg-test.sh cargo test -p rapport-collector "$@"

if [ ! -f dist/index.html ]; then
  echo "[test-collector] error: dist/index.html is missing; run \`cargo xtask dist\` first (the end-to-end test serves it)" >&2
  exit 1
fi
cargo build -q -p rapport-collector --bin rapport-collector
echo "[test-collector] end to end: demo page in headless Chromium -> collector -> aggregate"
node crates/collector/tests/e2e/demo-page.js "$TARGET/debug/rapport-collector" dist surveys
