#!/usr/bin/env bash
# Makes sure a PostgreSQL and a Redis answer on their default local ports, installing them from Debian and starting
# them only when they are not already answering, and creates the test role and database. Idempotent.
# --fresh (CI): the test database is made anew and Redis's test database emptied, so no run sees an earlier one's rows.
set -euo pipefail
FRESH=0
if [ "${1:-}" = "--fresh" ]; then FRESH=1; fi

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
TEST_USER=techtransfer
TEST_PASSWORD=techtransfer
TEST_DB=techtransfer_test

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
  pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 1; done
fi
echo "postgres: $(pg_isready -h 127.0.0.1 -p "$PG_PORT")"

psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $PG_PORT $*"; }
psql_admin "-tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$TEST_USER'\"" | grep -q 1 ||
  psql_admin "-c \"CREATE ROLE $TEST_USER LOGIN CREATEDB PASSWORD '$TEST_PASSWORD'\""
if [ "$FRESH" = 1 ]; then psql_admin "-c \"DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)\""; fi
psql_admin "-tAc \"SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'\"" | grep -q 1 ||
  psql_admin "-c \"CREATE DATABASE $TEST_DB OWNER $TEST_USER\""

if ! redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  command -v redis-server >/dev/null || apt_install redis-server
  redis-server --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
fi
if [ "$FRESH" = 1 ]; then redis-cli -p "$REDIS_PORT" -n 15 flushdb >/dev/null; fi
echo "redis: $(redis-cli -p "$REDIS_PORT" ping)"
