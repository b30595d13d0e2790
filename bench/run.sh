#!/usr/bin/env bash
# Load benchmarks for the figures the issues name. Usage: bench/run.sh [seconds] [connections]
# Needs wrk (installed here with apt-get when missing) and, for the Postgres rows, a local Postgres
# (PAM_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test). Results are printed as a
# Markdown table and appended to bench/RESULTS.md with the date.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
DURATION=${1:-10}
CONNS=${2:-64}
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

ROWS="$WORK/rows"; : >"$ROWS"
# wrk_row NAME URL HEADER PID: one load run → a table row (req/s, p50, p99, peak RSS during it); sets RPS.
wrk_row() {
  local name=$1 url=$2 header=${3:-} pid=$4 out
  # Reset the peak-RSS mark so the figure is this load's, not set-up work before it (Argon2 hashing at
  # registration alone touches 19 MB).
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  if [ -n "$header" ]; then
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "$header" "$url")
  else
    out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$url")
  fi
  local rps p50 p99 non2xx rss
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  rss=$(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' "/proc/$pid/status")
  echo "| $name | $rps | $p50 | $p99 | $non2xx | $rss |" >>"$ROWS"
  echo "$name: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx, peak RSS $rss" >&2
  RPS=$rps
}

wait_ready() { # port → ms until /health/ready answered 200
  local start=$1 port=$2
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

# start_pam NAME PORT DATABASE_URL → pid; also measures start-to-ready on the (now existing) database.
SECRET=bench-secret-key-0123456789abcdef0123456789
start_pam() {
  local port=$2 url=$3 dir="$WORK/$1" start pid
  mkdir -p "$dir"
  # First start creates and migrates the database; the measured start is the second one.
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
until curl -sf http://127.0.0.1:18080/health >/dev/null; do sleep 0.01; done
wrk_row "bare axum hello-world /health" http://127.0.0.1:18080/health "" "$HELLO"
HELLO_RPS=$RPS
kill "$HELLO"

declare -A READY
for db in sqlite postgres; do
  if [ "$db" = sqlite ]; then url="sqlite://$WORK/sqlite/pam.db"; port=18001; else
    psql "$PG_BASE" -qc 'DROP DATABASE IF EXISTS pam_bench WITH (FORCE)' -c 'CREATE DATABASE pam_bench' >/dev/null
    url="${PG_BASE%/*}/pam_bench"; port=18002; fi
  start_pam "$db" "$port" "$url"
  READY[$db]=$READY_MS
  wrk_row "pam /health ($db)" "http://127.0.0.1:$port/health" "" "$PAM_PID"
  share=$(python3 -c "print(f'{$RPS/$HELLO_RPS*100:.0f}%')")
  echo "  /health vs hello-world: $share" >&2
  echo "| ↳ /health as share of hello-world | $share | | | | |" >>"$ROWS"
  read -r uid token < <(register "$port")
  wrk_row "pam GET own profile, authenticated ($db)" "http://127.0.0.1:$port/api/v1/users/$uid/profile" \
    "Authorization: Bearer $token" "$PAM_PID"

  # Wins: one of 1,000 seeded users, 50 rows, against a bare axum + sqlx handler on the same database.
  read -r wuid wtoken < <(python3 bench/seed_wins.py "$url" "$SECRET")
  wrk_row "pam GET /api/expenses/{user_id}, 50 rows ($db)" "http://127.0.0.1:$port/api/expenses/$wuid" \
    "Authorization: Bearer $wtoken" "$PAM_PID"
  PAM_RPS=$RPS
  kill -TERM "$PAM_PID"
  target/bench/release/bench-bare $((port + 100)) "$url" & BARE=$!; PIDS+=("$BARE")
  until curl -sf "http://127.0.0.1:$((port + 100))/api/expenses/$wuid" >/dev/null; do sleep 0.05; done
  wrk_row "bare axum + sqlx, same query and JSON ($db)" "http://127.0.0.1:$((port + 100))/api/expenses/$wuid" "" "$BARE"
  share=$(python3 -c "print(f'{$PAM_RPS/$RPS*100:.0f}%')")
  echo "| ↳ expenses route as share of bare handler | $share | | | | |" >>"$ROWS"
  kill "$BARE"
done

{
  echo
  echo "### $(date -u +%Y-%m-%d) — ${CONNS} connections, ${DURATION}s, wrk -t2, $(nproc) cores"
  echo
  echo "| run | req/s | p50 | p99 | non-2xx | server peak RSS |"
  echo "|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "Start to ready on an existing database: SQLite ${READY[sqlite]} ms, Postgres ${READY[postgres]} ms."
} | tee -a bench/RESULTS.md
