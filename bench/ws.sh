#!/usr/bin/env bash
# WebSocket load through the offline brain: 1,000 connections × 10 chat messages (issue: PAM in the app).
# Usage: bench/ws.sh [connections] [messages] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS=${1:-1000}; MSGS=${2:-10}; DB=${3:-sqlite}
ulimit -n 65536 || true
cargo build --release --locked --bin pam-backend --example ws_load -p pam-server >/dev/null
WORK=$(mktemp -d)
SECRET=load-test-supabase-secret-0123456789abcdef
URL="sqlite://$WORK/pam.db"
if [ "$DB" = postgres ]; then
  PG=${PAM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  psql "$PG" -qc 'DROP DATABASE IF EXISTS pam_ws_bench WITH (FORCE)' -c 'CREATE DATABASE pam_ws_bench' >/dev/null
  URL="${PG%/*}/pam_ws_bench"
fi
DATA_DIR=$WORK DATABASE_URL=$URL PORT=18095 SECRET_KEY=ws-bench-secret-key-0123456789abcdef0123 SUPABASE_JWT_SECRET=$SECRET \
  RUST_LOG=warn target/release/pam-backend serve >"$WORK/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf http://127.0.0.1:18095/health/ready >/dev/null; do sleep 0.05; done
target/release/examples/ws_load ws://127.0.0.1:18095 "$SECRET" "$PID" "$CONNS" "$MSGS" | tee -a "$WORK/out"
echo "($DB, $(nproc) cores, client and server on one machine)"
