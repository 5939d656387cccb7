#!/usr/bin/env bash
# Rapport's one run command: set up, build dist/, start the collector on SQLite, which serves
# the demo shop page, receives its responses, and serves the researcher console. Extra
# arguments go to rapport-collector (e.g. --listen 127.0.0.1:9000; see
# crates/collector/README.md).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$REPO/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh
cargo xtask dist
cargo build --release -p rapport-collector --bin rapport-collector
COLLECTOR="${CARGO_TARGET_DIR:-$REPO/target}/release/rapport-collector"

# The researcher console needs a researcher token: the first run makes one, `console-demo`,
# in the default database (rapport.db, or RAPPORT_DATABASE_URL) and prints it once.
CONSOLE="researcher console: http://127.0.0.1:8080/console/"
if [[ " $* " == *" --database-url"* ]]; then
  echo "[run] $CONSOLE — sign in with a token from \`$COLLECTOR --database-url … token create NAME\`"
elif ! "$COLLECTOR" token list | cut -f1 | grep -qx console-demo; then
  if TOKEN="$("$COLLECTOR" token create console-demo)"; then
    echo "[run] $CONSOLE — sign in with this token (shown only now): $TOKEN"
  else
    echo "[run] $CONSOLE — no token could be made (above); make one with \`$COLLECTOR token create NAME\`"
  fi
else
  echo "[run] $CONSOLE — sign in with the token printed at the first run (lost it? \`$COLLECTOR token revoke console-demo\` and run again)"
fi
echo "[run] collector on SQLite (rapport.db); demo page: http://127.0.0.1:8080/ (unless --listen says otherwise)"
exec "$COLLECTOR" --dist dist --surveys surveys "$@"
