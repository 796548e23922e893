#!/usr/bin/env bash
# Start time of the API: from spawning the process to its "api listening" log line, three runs each of the sources
# under ts-node, the compiled build, and `npm start` with the build up to date (its staleness check included).
#   DATABASE_URL=... REDIS_URL=... npm run bench:start
# Needs a PostgreSQL database and a Redis the API may use (it applies the migrations); builds dist/ when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name a database the API may use}"
PORT="${BENCH_PORT:-3999}"
node scripts/start.cjs --build-only

measure() {
  local label=$1
  shift
  for run in 1 2 3; do
    local log started ended
    log=$(mktemp)
    started=$(date +%s%3N)
    PORT=$PORT INDEX_SNAPSHOT_DIR='' "$@" >"$log" 2>&1 &
    for _ in $(seq 1 1200); do grep -q '"api listening"' "$log" && break; sleep 0.05; done
    ended=$(date +%s%3N)
    grep -q '"api listening"' "$log" && echo "$label, run $run: $((ended - started)) ms" || echo "$label, run $run: did not listen"
    fuser -k -TERM "$PORT/tcp" >/dev/null 2>&1 || true
    wait 2>/dev/null || true
    rm -f "$log"
  done
}

measure 'ts-node (sources)' node -r ts-node/register/transpile-only -r tsconfig-paths/register apps/api/src/main.ts
measure 'compiled (dist)' node dist/apps/api/src/main.js
measure 'npm start, build up to date' node scripts/start.cjs api
