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
DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-5}
PG_BASE=${PAM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build --release --locked --bin pam-backend >/dev/null
(cd bench/hello && CARGO_TARGET_DIR=../../target/bench cargo build --release --locked >/dev/null)
(cd bench/bare && CARGO_TARGET_DIR=../../target/bench cargo build --release --locked >/dev/null)
BIN=target/release/pam-backend
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

RUNS="$WORK/runs"; : >"$RUNS"
ROWS="$WORK/rows"; : >"$ROWS"

# post NAME URL HEADER BODY: like load, with a JSON POST body.
post() {
  local name=$1 url=$2 header=$3 body=$4 out script="$WORK/post.lua"
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$body")" >"$script"
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$script" -H "$header" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$non2xx" >>"$RUNS"
  echo "$name: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx" >&2
}

# load NAME URL [HEADER]: one wrk run, appended to $RUNS as "NAME<TAB>req/s<TAB>p50<TAB>p99<TAB>non-2xx".
load() {
  local name=$1 url=$2 header=${3:-} out
  if [ -n "$header" ]; then
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$header" "$url")
  else
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$url")
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$non2xx" >>"$RUNS"
  echo "$name: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx" >&2
}

# Peak RSS is the kernel's high-water mark (VmHWM), reset before a load so the figure is that load's,
# not set-up work before it (Argon2 hashing at registration alone touches 19 MB).
reset_rss() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }
peak_rss() { awk '/VmHWM/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

# row NAME PID: the table row of NAME's median run (by req/s), with PID's peak RSS; sets RPS to that median.
row() {
  local line
  line=$(python3 - "$RUNS" "$1" <<'PY'
import sys
runs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.split("\t")[0] == sys.argv[2]]
runs.sort(key=lambda r: float(r[1]))
name, rps, p50, p99, non2xx = runs[len(runs) // 2]
print(f"{rps}\t| {name} | {rps} | {p50} | {p99} | {non2xx} |")
PY
)
  RPS=${line%%$'\t'*}
  echo "${line#*$'\t'} $(peak_rss "$2") | ${3:-1} |" >>"$ROWS"
}
share() { python3 -c "print(f'{$1/$2*100:.0f}%')"; }

wait_ready() { # start-ns port → ms until /health/ready answered 200
  local start=$1 port=$2
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

# start_pam NAME PORT DATABASE_URL: sets PAM_PID and READY_MS (start-to-ready on the now existing database).
SECRET=bench-secret-key-0123456789abcdef0123456789
start_pam() {
  local port=$2 url=$3 dir="$WORK/$1" start pid
  mkdir -p "$dir"
  # The first start creates and migrates the database; the measured start is the second one.
  # One user sends everything here: the per-user rate limit would answer most requests with 429, so it
  # is lifted for the benchmark (the limiter's own cost stays in every request).
  export RATE_LIMIT_DEFAULT_PER_MINUTE=100000000
  DATA_DIR=$dir DATABASE_URL=$url PORT=$port SECRET_KEY=$SECRET RUST_LOG=warn "$BIN" serve >"$dir/log" 2>&1 &
  pid=$!
  wait_ready "$(date +%s%N)" "$port" >/dev/null
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  start=$(date +%s%N)
  DATA_DIR=$dir DATABASE_URL=$url PORT=$port SECRET_KEY=$SECRET RUST_LOG=warn "$BIN" serve >>"$dir/log" 2>&1 &
  pid=$!
  READY_MS=$(wait_ready "$start" "$port")
  PIDS+=("$pid")
  PAM_PID=$pid
}

register() { # port → "user_id token"
  curl -sf -XPOST "http://127.0.0.1:$1/api/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"bench-$RANDOM@example.com\",\"password\":\"bench password\",\"region\":\"AU\"}" |
    python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["user"]["id"], b["access_token"])'
}

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
  read -r wuid wtoken < <(python3 bench/seed_wins.py "${URL[$db]}" "$SECRET")
  reset_rss "$pid"
  load "pam GET /api/expenses/{user_id}, 50 rows ($db)" "http://127.0.0.1:$port/api/expenses/$wuid" \
    "Authorization: Bearer $wtoken"
  row "pam GET /api/expenses/{user_id}, 50 rows ($db)" "$pid"; PAM_RPS=$RPS

  # Wheels: plan and save a trip (geocode from the gazetteer, estimate, fuel, insert), no network.
  reset_rss "$pid"
  post "pam POST /api/v1/trips/plan, Sydney → Melbourne, saved ($db)" "http://127.0.0.1:$port/api/v1/trips/plan" \
    "Authorization: Bearer $wtoken" '{"origin": "Sydney", "destination": "Melbourne"}'
  row "pam POST /api/v1/trips/plan, Sydney → Melbourne, saved ($db)" "$pid"
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
