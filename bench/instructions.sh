#!/usr/bin/env bash
# User-space instructions per GET /health, counted by callgrind: the bare hello-world, the contract floor
# (bare axum sending the same bytes as ours) and pam-backend. Unlike req/s on a shared machine, these
# counts repeat to within a few percent, so they show what a change to the edge costs or saves.
# Usage: bench/instructions.sh [seconds of load per server] (default 5). Needs valgrind and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_LOAD=${1:-5}
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked --bin pam-backend 2>/dev/null
(cd bench/hello && CARGO_TARGET_DIR=../../target/bench cargo build --release --locked 2>/dev/null)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# count NAME PORT COMMAND...: runs COMMAND under callgrind, warms it up, zeroes the counters, loads it
# for SECONDS_OF_LOAD and prints instructions per request (the runtime's idle work included).
count() {
  local name=$1 port=$2; shift 2
  local out="$WORK/$port"
  valgrind --tool=callgrind --callgrind-out-file="$out.out" "$@" >"$out.log" 2>&1 &
  local vg=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  wrk -t1 -c8 -d2s "http://127.0.0.1:$port/health" >/dev/null
  callgrind_control -z "$vg" >/dev/null 2>&1
  local requests
  requests=$(wrk -t1 -c8 -d"${SECONDS_OF_LOAD}s" "http://127.0.0.1:$port/health" | awk '/requests in/ {print $1}')
  callgrind_control -d "$vg" >/dev/null 2>&1
  sleep 1
  local instructions
  instructions=$(awk '/^summary:/ {print $2}' "$(ls -t "$out".out* | head -1)")
  kill "$vg"; wait "$vg" 2>/dev/null || true
  echo "| $name | $requests | $((instructions / requests)) |"
}

echo "| server | requests | user-space instructions per request |"
echo "|---|---|---|"
count "bare axum hello-world" 18090 target/bench/release/bench-hello 18090
count "contract floor (same bytes as pam's /health)" 18091 target/bench/release/bench-hello 18091 contract
DATA_DIR="$WORK/data" PORT=18092 RUST_LOG=warn SECRET_KEY=bench-secret-key-0123456789abcdef0123456789 \
  count "pam-backend /health (sqlite)" 18092 target/release/pam-backend serve
