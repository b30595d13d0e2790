#!/usr/bin/env bash
# The social feed beside the Wins expenses route, on one database, in alternating rounds.
# Usage: bench/feed.sh [seconds] [connections] [rounds] [postgres|sqlite] (defaults 10 s, 64, 3, postgres).
# A shorter loop than bench/run.sh for work on the feed alone; prints the median run of each and appends
# the table to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source bench/lib.sh
DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-3}
DB=${4:-postgres}
PG_BASE=${PAM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
bench_setup

if [ "$DB" = postgres ]; then
  psql "$PG_BASE" -qc 'DROP DATABASE IF EXISTS pam_bench WITH (FORCE)' -c 'CREATE DATABASE pam_bench' >/dev/null
  URL="${PG_BASE%/*}/pam_bench"
else
  URL="sqlite://$WORK/$DB/pam.db"
fi
PORT=18003
start_pam "$DB" "$PORT" "$URL"
read -r wuid wtoken < <(python3 bench/seed_wins.py "$URL" "$SECRET" --social)
EXPENSES="pam GET /api/expenses/{user_id}, 50 rows ($DB)"
FEED="pam GET /api/v1/social/posts?filter=following, 100,000 posts ($DB)"
reset_rss "$PAM_PID"
for _ in $(seq "$ROUNDS"); do
  load "$EXPENSES" "http://127.0.0.1:$PORT/api/expenses/$wuid" "Authorization: Bearer $wtoken"
  load "$FEED" "http://127.0.0.1:$PORT/api/v1/social/posts?filter=following" "Authorization: Bearer $wtoken"
done
row "$EXPENSES" "$PAM_PID" "$ROUNDS"
row "$FEED" "$PAM_PID" "$ROUNDS"
{
  echo
  echo "### $(date -u +%Y-%m-%d) — the feed beside the expenses route, ${CONNS} connections, ${DURATION}s per run, wrk -t2, $(nproc) cores"
  echo
  echo "| run | req/s (median run) | p50 | p99 | non-2xx | server peak RSS | runs |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
} | tee -a bench/RESULTS.md
