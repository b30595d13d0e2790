# Shared by the load scripts in bench/: wrk runs recorded in $RUNS, median rows in $ROWS, and starting
# pam-backend on a fresh data directory. `bench_setup` sets WORK, RUNS, ROWS, BIN and PIDS; the caller sets
# CONNS and DURATION.

# bench_setup: wrk installed (apt-get when missing), the release binary built (BIN), a scratch folder
# (WORK) removed on exit with every process in PIDS stopped, and empty RUNS and ROWS files.
bench_setup() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  cargo build --release --locked --bin pam-backend >/dev/null
  BIN=target/release/pam-backend
  WORK=$(mktemp -d)
  PIDS=()
  trap bench_cleanup EXIT
  RUNS="$WORK/runs"; : >"$RUNS"
  ROWS="$WORK/rows"; : >"$ROWS"
}
bench_cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }

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

# start_pam NAME PORT DATABASE_URL [VAR=value…]: sets PAM_PID and READY_MS (start-to-ready on the now existing database).
SECRET=bench-secret-key-0123456789abcdef0123456789
start_pam() {
  local port=$2 url=$3 dir="$WORK/$1" start pid
  mkdir -p "$dir"
  # The first start creates and migrates the database; the measured start is the second one.
  # One user sends everything here: the per-user rate limit would answer most requests with 429, so it
  # is lifted for the benchmark (the limiter's own cost stays in every request).
  export RATE_LIMIT_DEFAULT_PER_MINUTE=100000000
  env DATA_DIR="$dir" DATABASE_URL="$url" PORT="$port" SECRET_KEY="$SECRET" RUST_LOG=warn "${@:4}" "$BIN" serve >"$dir/log" 2>&1 &
  pid=$!
  wait_ready "$(date +%s%N)" "$port" >/dev/null
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  start=$(date +%s%N)
  env DATA_DIR="$dir" DATABASE_URL="$url" PORT="$port" SECRET_KEY="$SECRET" RUST_LOG=warn "${@:4}" "$BIN" serve >>"$dir/log" 2>&1 &
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
