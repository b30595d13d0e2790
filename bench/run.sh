#!/usr/bin/env bash
# Load benchmarks for the figures the issues name. Usage: bench/run.sh [seconds] [connections] [rounds]
# (defaults 10 s, 64 connections, 5 rounds). Needs wrk (installed here with apt-get when missing) and, for
# the Postgres rows, a local Postgres (PAM_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
# Results are printed as a Markdown table and appended to bench/RESULTS.md with the date.
#
# The /health comparison runs in rounds (hello-world, contract floor, pam on SQLite, pam on Postgres, in
# a shuffled order each round) and reports each one's median run: on a shared 2-core machine the speed of the
# whole machine drifts by ±15% from one run to the next, so a single run each says little about a ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source bench/lib.sh
DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-5}
PG_BASE=${PAM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
bench_setup
(cd bench/hello && CARGO_TARGET_DIR=../../target/bench cargo build --release --locked >/dev/null)
(cd bench/bare && CARGO_TARGET_DIR=../../target/bench cargo build --release --locked >/dev/null)

target/bench/release/bench-hello 18080 & HELLO=$!; PIDS+=("$HELLO")
target/bench/release/bench-hello 18081 contract & FLOOR=$!; PIDS+=("$FLOOR")
until curl -sf http://127.0.0.1:18080/health >/dev/null && curl -sf http://127.0.0.1:18081/health >/dev/null; do
  sleep 0.01
done

declare -A READY PAM URL PORT
psql "$PG_BASE" -qc 'DROP DATABASE IF EXISTS pam_bench WITH (FORCE)' -c 'CREATE DATABASE pam_bench' >/dev/null
URL[sqlite]="sqlite://$WORK/sqlite/pam.db"; PORT[sqlite]=18001
URL[postgres]="${PG_BASE%/*}/pam_bench"; PORT[postgres]=18002
for db in sqlite postgres; do
  start_pam "$db" "${PORT[$db]}" "${URL[$db]}"
  READY[$db]=$READY_MS; PAM[$db]=$PAM_PID
done

# GET /health, interleaved rounds.
for pid in "$HELLO" "$FLOOR" "${PAM[sqlite]}" "${PAM[postgres]}"; do reset_rss "$pid"; done
HEALTH_TARGETS=("bare axum hello-world /health|18080" "bare axum sending pam's /health bytes (contract floor)|18081"
  "pam /health (sqlite)|${PORT[sqlite]}" "pam /health (postgres)|${PORT[postgres]}")
for _ in $(seq "$ROUNDS"); do
  # A fresh order each round, so no server always runs right after the same other one.
  while IFS= read -r target; do
    load "${target%|*}" "http://127.0.0.1:${target##*|}/health"
  done < <(printf '%s\n' "${HEALTH_TARGETS[@]}" | shuf)
done
row "bare axum hello-world /health" "$HELLO" "$ROUNDS"; HELLO_RPS=$RPS
row "bare axum sending pam's /health bytes (contract floor)" "$FLOOR" "$ROUNDS"; FLOOR_RPS=$RPS
echo "| ↳ contract floor as share of hello-world | $(share "$FLOOR_RPS" "$HELLO_RPS") | | | | | |" >>"$ROWS"
for db in sqlite postgres; do
  row "pam /health ($db)" "${PAM[$db]}" "$ROUNDS"
  echo "| ↳ pam /health ($db) as share of hello-world / of the contract floor |" \
    "$(share "$RPS" "$HELLO_RPS") / $(share "$RPS" "$FLOOR_RPS") | | | | | |" >>"$ROWS"
done
kill "$HELLO" "$FLOOR"

for db in sqlite postgres; do
  port=${PORT[$db]}; pid=${PAM[$db]}
  read -r uid token < <(register "$port")
  reset_rss "$pid"
  load "pam GET own profile, authenticated ($db)" "http://127.0.0.1:$port/api/v1/users/$uid/profile" \
    "Authorization: Bearer $token"
  row "pam GET own profile, authenticated ($db)" "$pid"

  # Wins: one of 1,000 seeded users, 50 rows, against a bare axum + sqlx handler on the same database.
  # (and the community: 1,000 users following 50 others each, 100,000 posts)
  read -r wuid wtoken < <(python3 bench/seed_wins.py "${URL[$db]}" "$SECRET" --social)
  reset_rss "$pid"
  load "pam GET /api/expenses/{user_id}, 50 rows ($db)" "http://127.0.0.1:$port/api/expenses/$wuid" \
    "Authorization: Bearer $wtoken"
  row "pam GET /api/expenses/{user_id}, 50 rows ($db)" "$pid"; PAM_RPS=$RPS

  # Wheels: plan and save a trip (geocode from the gazetteer, estimate, fuel, insert), no network.
  reset_rss "$pid"
  post "pam POST /api/v1/trips/plan, Sydney → Melbourne, saved ($db)" "http://127.0.0.1:$port/api/v1/trips/plan" \
    "Authorization: Bearer $wtoken" '{"origin": "Sydney", "destination": "Melbourne"}'
  row "pam POST /api/v1/trips/plan, Sydney → Melbourne, saved ($db)" "$pid"

  # Social: the following feed of one of the seeded users (50 followed authors, 50 posts a page).
  reset_rss "$pid"
  load "pam GET /api/v1/social/posts?filter=following, 100,000 posts ($db)" \
    "http://127.0.0.1:$port/api/v1/social/posts?filter=following" "Authorization: Bearer $wtoken"
  row "pam GET /api/v1/social/posts?filter=following, 100,000 posts ($db)" "$pid"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  target/bench/release/bench-bare $((port + 100)) "${URL[$db]}" & BARE=$!; PIDS+=("$BARE")
  until curl -sf "http://127.0.0.1:$((port + 100))/api/expenses/$wuid" >/dev/null; do sleep 0.05; done
  reset_rss "$BARE"
  load "bare axum + sqlx, same query and JSON ($db)" "http://127.0.0.1:$((port + 100))/api/expenses/$wuid"
  row "bare axum + sqlx, same query and JSON ($db)" "$BARE"
  echo "| ↳ expenses route as share of bare handler | $(share "$PAM_RPS" "$RPS") | | | | | |" >>"$ROWS"
  kill "$BARE"
done

{
  echo
  echo "### $(date -u +%Y-%m-%d) — ${CONNS} connections, ${DURATION}s per run, wrk -t2, $(nproc) cores"
  echo
  echo "| run | req/s (median run) | p50 | p99 | non-2xx | server peak RSS | runs |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "Start to ready on an existing database: SQLite ${READY[sqlite]} ms, Postgres ${READY[postgres]} ms."
} | tee -a bench/RESULTS.md
