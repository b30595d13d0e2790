#!/usr/bin/env bash
# Many instances (issue: platform at scale). Three figures, appended to bench/RESULTS.md:
#   1. GET /api/v1/expenses through nginx with 1, 2 and 3 instances (scripts/cluster) on one Postgres and
#      one Redis, 50 users × 20 expenses, beside one instance reached directly with and without Redis;
#   2. one rate-limit check, in-process vs Redis (examples/limiter_cost.rs);
#   3. WebSocket pushes per second from one instance to sockets held by another, through Redis
#      (examples/push_fanout.rs).
# Usage: bench/cluster.sh [seconds] [connections]   (defaults 10 s, 64 connections)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
DURATION=${1:-10}; CONNS=${2:-64}
ulimit -n 65536 || true
start_local_services
ensure_packages wrk:wrk nginx:nginx
cargo build --release --locked -q --bin pam-backend --example push_fanout -p pam-server
cargo build --release --locked -q --example limiter_cost -p pam-platform
WORK=$(mktemp -d)
PG=postgres://postgres@127.0.0.1:5432
export CLUSTER_DATABASE_URL="$PG/pam_cluster_bench" CLUSTER_REDIS_URL=redis://127.0.0.1:6379
psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS pam_cluster_bench WITH (FORCE)' -c 'CREATE DATABASE pam_cluster_bench' >/dev/null
LIFTED=(RATE_LIMIT_DEFAULT_PER_MINUTE=100000000 AUTH_RATE_LIMIT_PER_MINUTE=100000 RUST_LOG=warn)
trap 'scripts/cluster down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# Users and their expenses, once (the database outlives each cluster).
scripts/cluster up 1 "${LIFTED[@]}" >/dev/null
python3 - "$WORK/tokens.lua" <<'PY'
import json, sys, urllib.request
def call(method, path, body, token=None):
    req = urllib.request.Request("http://127.0.0.1:8100" + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    return json.load(urllib.request.urlopen(req))
tokens = []
for u in range(50):
    t = call("POST", "/api/auth/register", {"email": f"bench{u}@cluster.example", "password": "correct horse battery"})["access_token"]
    for e in range(20):
        call("POST", "/api/v1/expenses", {"amount": 10 + e, "category": "fuel", "description": f"fill {e}"}, t)
    tokens.append(t)
with open(sys.argv[1], "w") as f:
    f.write("tokens = {" + ",".join(json.dumps(t) for t in tokens) + "}\n")
    f.write('request = function()\n  return wrk.format("GET", "/api/v1/expenses", {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]})\nend\n')
PY
scripts/cluster down >/dev/null

ROWS="$WORK/rows"
run() { # name port
  local out rps p50 p99 non2xx
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$WORK/tokens.lua" "http://127.0.0.1:$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  echo "| $1 | $rps | $p50 | $p99 | $non2xx |" | tee -a "$ROWS" >&2
}
for n in 1 2 3; do
  scripts/cluster up "$n" "${LIFTED[@]}" >/dev/null
  run "nginx → $n instance(s), Redis" 8100
  if [ "$n" = 1 ]; then run "1 instance directly, Redis" 8101; fi
  scripts/cluster down >/dev/null
done
CLUSTER_REDIS_URL= scripts/cluster up 1 "${LIFTED[@]}" >/dev/null
run "1 instance directly, no Redis" 8101
scripts/cluster down >/dev/null

LIMITER=$(target/release/examples/limiter_cost redis://127.0.0.1:6379 50000)
PUSHES=$(target/release/examples/push_fanout "$PG/pam_cluster_bench" redis://127.0.0.1:6379 1000 20 | tail -n 1)
{
  echo
  echo "## Many instances — $(date -u +%Y-%m-%d) ($(nproc) cores: nginx, the instances, Postgres, Redis and wrk share them)"
  echo
  echo "\`bench/cluster.sh $DURATION $CONNS\`: GET /api/v1/expenses (20 rows) for 50 users, $CONNS connections, ${DURATION} s."
  echo
  echo "| target | req/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "One rate-limit check (\`limiter_cost\`, 50,000 checks over 1,000 keys):"
  echo
  echo "$LIMITER"
  echo
  echo "Pushes across instances (\`push_fanout\`, 1,000 sockets on B × 20 pushes published on A): $PUSHES"
} | tee -a bench/RESULTS.md
