#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#   scripts/pg-test.sh cargo test -p rapport-collector
#
# Starts Debian's PostgreSQL (apt package `postgresql`, binaries in /usr/lib/postgresql/*/bin)
# on 127.0.0.1 at a free port, with its data and socket in a new temporary folder, exports
# RAPPORT_PG_URL=postgres://rapport@127.0.0.1:PORT/postgres (a trust-authenticated superuser,
# so tests can create one database each), runs the command, then stops the server and removes
# the folder — also when the command fails or is interrupted. PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` system user (created by the apt
# package; created here if missing).
set -euo pipefail

log() { printf '[pg-test] %s\n' "$*" >&2; }

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  log "error: no PostgreSQL server found in /usr/lib/postgresql/*/bin; install it with: apt-get install postgresql"
  exit 1
fi

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    log "creating the system user postgres"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_pg=(runuser -u postgres --)
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/rapport-pg.XXXXXX")"
chmod 755 "$DIR"
if [ "${#as_pg[@]}" -gt 0 ]; then chown postgres: "$DIR"; fi

stop() {
  local status=$?
  if [ -f "$DIR/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
  exit "$status"
}
trap stop EXIT INT TERM

# A free port, below the kernel's ephemeral range (32768+ here), so that no outgoing connection
# holds it as its local port; a port that still turns out taken makes us try another one.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local candidate
  for candidate in $(shuf -i 20000-32000 -n 50); do
    if port_free "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

"${as_pg[@]}" "$PG_BIN/initdb" -D "$DIR/data" -U rapport -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
# fsync and synchronous_commit keep their durable defaults: the benchmark and the crash
# tests measure durable commits.
PORT=""
for attempt in 1 2 3 4 5; do
  candidate="$(pick_port)" || { log "error: no free port found"; exit 1; }
  if "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $DIR -c max_connections=300" start >/dev/null; then
    PORT="$candidate"
    break
  fi
  if grep -q "Address already in use" "$DIR/server.log"; then
    log "port $candidate was taken meanwhile (attempt $attempt); trying another"
    : >"$DIR/server.log"
    continue
  fi
  cat "$DIR/server.log" >&2
  exit 1
done
[ -n "$PORT" ] || { cat "$DIR/server.log" >&2; log "error: PostgreSQL found no free port in 5 attempts"; exit 1; }

export RAPPORT_PG_URL="postgres://rapport@127.0.0.1:$PORT/postgres"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $DIR); RAPPORT_PG_URL=$RAPPORT_PG_URL"
"$@"
