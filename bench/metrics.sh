#!/usr/bin/env bash
# The cost of Prometheus metrics on the hot path: the same build started twice on SQLite, once with metrics
# on (the default) and once with METRICS_ENABLED=false, loaded with GET /health and the Wins expenses route
# (one of 1,000 seeded users, 50 rows) in shuffled, interleaved rounds; each row is the median run.
# Then, because req/s drifts by ±15% on this shared machine, the cost of recording one request's metrics
# measured in-process (examples/metrics_cost.rs), set against the CPU a /health request has.
# Usage: bench/metrics.sh [seconds] [connections] [rounds] (defaults 10 s, 64 connections, 5 rounds).
# Appends the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source bench/lib.sh
DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-5}
bench_setup

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
  [ "$what" = "/health" ] && HEALTH_OFF=$OFF
  echo "| ↳ $what: metrics on as share of off | $(share "$ON" "$OFF") | | | | | |" >>"$ROWS"
done
for mode in on off; do kill "${PID[$mode]}"; wait "${PID[$mode]}" 2>/dev/null || true; done

# What recording costs per request, measured in-process (req/s between two servers drifts more than the
# cost being measured): the edge's counter and histogram, recorder installed and not.
cargo build --release --locked -q -p pam-server --example metrics_cost
COST_ON=$(target/release/examples/metrics_cost on)
COST_OFF=$(target/release/examples/metrics_cost off)
# Server CPU per /health request at the measured rate, on this machine's cores (an upper bound on what
# the server spends: wrk's own work shares the cores).
CPU_NS=$(python3 -c "print(round($(nproc) * 1e9 / $HEALTH_OFF))")

{
  echo
  echo "### $(date -u +%Y-%m-%d) — metrics on vs off (SQLite), ${CONNS} connections, ${DURATION}s per run, wrk -t2, $(nproc) cores"
  echo
  echo "| run | req/s (median run) | p50 | p99 | non-2xx | server peak RSS | runs |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "Recording one request's metrics in-process (\`cargo run --release -p pam-server --example metrics_cost\`):" \
    "$COST_ON; $COST_OFF. At the /health rate above, 2 cores give at most ${CPU_NS} ns of CPU per request."
} | tee -a bench/RESULTS.md
