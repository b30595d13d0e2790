#!/usr/bin/env bash
# Timers at scale: 1,000 connected users × 10 timers all due in the same minute (issue: calendar, timers
# and jobs). Every timer_expired frame is collected: all delivered? any twice? lateness p50/p99; the
# server's peak memory. Usage: bench/timers.sh [users] [timers per user] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-1000}; PER=${2:-10}; DB=${3:-sqlite}
ulimit -n 65536 || true
cargo build --release --locked --bin pam-backend --example timers_load -p pam-server >/dev/null
WORK=$(mktemp -d)
SECRET=load-test-supabase-secret-0123456789abcdef
URL="sqlite://$WORK/pam.db"
if [ "$DB" = postgres ]; then
  PG=${PAM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  psql "$PG" -qc 'DROP DATABASE IF EXISTS pam_timer_bench WITH (FORCE)' -c 'CREATE DATABASE pam_timer_bench' >/dev/null
  URL="${PG%/*}/pam_timer_bench"
fi
# Each user sets ten timers in a burst: the per-user limit is lifted for the load (it is not what is measured).
DATA_DIR=$WORK DATABASE_URL=$URL PORT=18096 SECRET_KEY=timer-bench-secret-key-0123456789abcdef01 \
  SUPABASE_JWT_SECRET=$SECRET RATE_LIMIT_DEFAULT_PER_MINUTE=100000 RUST_LOG=warn \
  target/release/pam-backend serve >"$WORK/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf http://127.0.0.1:18096/health/ready >/dev/null; do sleep 0.05; done
target/release/examples/timers_load http://127.0.0.1:18096 "$SECRET" "$PID" "$USERS" "$PER"
echo "($DB, $(nproc) cores, client and server on one machine, pushes looked for every 500 ms)"
