#!/usr/bin/env bash
# The cost of Prometheus metrics on the hot path: the same build started twice on SQLite, once with metrics
# on (the default) and once with METRICS_ENABLED=false, loaded with GET /health and the Wins expenses route
# (one of 1,000 seeded users, 50 rows) in shuffled, interleaved rounds; each row is the median run.
# Then, because req/s drifts by ±15% on this shared machine, user-space instructions per /health request
# under callgrind for both, which repeat to within a few percent.
# Usage: bench/metrics.sh [seconds] [connections] [rounds] (defaults 10 s, 64 connections, 5 rounds).
# Appends the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source bench/lib.sh
DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-5}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
cargo build --release --locked --bin pam-backend >/dev/null
BIN=target/release/pam-backend
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
RUNS="$WORK/runs"; : >"$RUNS"
ROWS="$WORK/rows"; : >"$ROWS"

declare -A PID PORTS UID_OF TOKEN
PORTS[on]=18011; PORTS[off]=18012
for mode in on off; do
  enabled=true; [ "$mode" = off ] && enabled=false
  url="sqlite://$WORK/$mode/pam.db"
  start_pam "$mode" "${PORTS[$mode]}" "$url" METRICS_ENABLED=$enabled
  PID[$mode]=$PAM_PID
  read -r UID_OF[$mode] TOKEN[$mode] < <(python3 bench/seed_wins.py "$url" "$SECRET")
done
curl -sf "http://127.0.0.1:${PORTS[on]}/metrics" >/dev/null || { echo "metrics are not on where they should be" >&2; exit 1; }
if curl -sf "http://127.0.0.1:${PORTS[off]}/metrics" >/dev/null; then echo "metrics are on where they should be off" >&2; exit 1; fi

TARGETS=()
for mode in on off; do
  TARGETS+=("health|$mode" "expenses|$mode")
done
for _ in $(seq "$ROUNDS"); do
  while IFS= read -r target; do
    what=${target%|*}; mode=${target#*|}; port=${PORTS[$mode]}
    if [ "$what" = health ]; then
      load "/health, metrics $mode" "http://127.0.0.1:$port/health"
    else
      load "GET /api/expenses/{user_id}, metrics $mode" "http://127.0.0.1:$port/api/expenses/${UID_OF[$mode]}" \
        "Authorization: Bearer ${TOKEN[$mode]}"
    fi
  done < <(printf '%s\n' "${TARGETS[@]}" | shuf)
done
for what in "/health" "GET /api/expenses/{user_id}"; do
  row "$what, metrics on" "${PID[on]}" "$ROUNDS"; ON=$RPS
  row "$what, metrics off" "${PID[off]}" "$ROUNDS"; OFF=$RPS
  echo "| ↳ $what: metrics on as share of off | $(share "$ON" "$OFF") | | | | | |" >>"$ROWS"
done
for mode in on off; do kill "${PID[$mode]}"; wait "${PID[$mode]}" 2>/dev/null || true; done

# Instructions per /health request under callgrind, metrics on and off.
instructions() {
  local mode=$1 enabled=$2 port=$3 out="$WORK/cg-$1"
  env DATA_DIR="$WORK/$mode" DATABASE_URL="sqlite://$WORK/$mode/pam.db" PORT="$port" SECRET_KEY="$SECRET" \
    RUST_LOG=warn METRICS_ENABLED="$enabled" valgrind --tool=callgrind --callgrind-out-file="$out.out" \
    "$BIN" serve >"$out.log" 2>&1 &
  local vg=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  wrk -t1 -c8 -d2s "http://127.0.0.1:$port/health" >/dev/null
  callgrind_control -z "$vg" >/dev/null 2>&1
  local requests count
  requests=$(wrk -t1 -c8 -d5s "http://127.0.0.1:$port/health" | awk '/requests in/ {print $1}')
  callgrind_control -d "$vg" >/dev/null 2>&1
  sleep 1
  count=$(awk '/^summary:/ {print $2}' "$(ls -t "$out".out* | head -1)")
  kill "$vg"; wait "$vg" 2>/dev/null || true
  echo $((count / requests))
}
I_ON=$(instructions on true 18021)
I_OFF=$(instructions off false 18022)

{
  echo
  echo "### $(date -u +%Y-%m-%d) — metrics on vs off (SQLite), ${CONNS} connections, ${DURATION}s per run, wrk -t2, $(nproc) cores"
  echo
  echo "| run | req/s (median run) | p50 | p99 | non-2xx | server peak RSS | runs |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "User-space instructions per GET /health (callgrind): metrics on $I_ON, off $I_OFF" \
    "($(python3 -c "print(f'{($I_ON/$I_OFF-1)*100:+.1f}%')"))."
} | tee -a bench/RESULTS.md
