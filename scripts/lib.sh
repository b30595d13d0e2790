# Shared by scripts/run, scripts/test and .ci/run.

# True when something accepts TCP connections on host:port.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Waits (30 s at most) until host:port accepts connections.
wait_for_port() { # host port name
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  echo "$3 did not come up on $1:$2" >&2
  return 1
}

# Starts this machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) when they are not up.
start_local_services() {
  if ! port_open 127.0.0.1 5432; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  fi
  wait_for_port 127.0.0.1 5432 PostgreSQL
  if ! port_open 127.0.0.1 6379; then
    echo "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  fi
  wait_for_port 127.0.0.1 6379 Redis
}

# Installs Debian packages that are missing (as root, with apt-get); the arguments are command:package
# pairs, e.g. nginx:nginx.
ensure_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install ${missing[*]}" >&2
    return 1
  fi
}

# System programs the server shells out to: espeak-ng for offline speech.
ensure_system_packages() {
  ensure_packages espeak-ng:espeak-ng || echo "warning: offline speech needs espeak-ng" >&2
}

# Starts the server built from this tree on a free port with a fresh data dir and generous limits (the
# contract and chaos runs are about answers, not throttling); sets SERVER_URL, SERVER_DATA, SERVER_PID and
# stops it on exit (a trap on EXIT running stop_test_server: a caller that sets its own trap afterwards
# calls it there). Extra VAR=value arguments are passed to the server.
start_test_server() {
  cargo build --locked -q --bin pam-backend
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  SERVER_DATA=$(mktemp -d)
  SERVER_URL="http://127.0.0.1:$port"
  env DATA_DIR="$SERVER_DATA" PORT="$port" RUST_LOG=warn \
    RATE_LIMIT_DEFAULT_PER_MINUTE=100000 RATE_LIMIT_PAM_PER_MINUTE=100000 RATE_LIMIT_TTS_PER_MINUTE=100000 \
    RATE_LIMIT_ADMIN_PER_MINUTE=100000 AUTH_RATE_LIMIT_PER_MINUTE=100000 WS_CHAT_PER_MINUTE=100000 "$@" \
    target/debug/pam-backend serve > "$SERVER_DATA/server.log" 2>&1 &
  SERVER_PID=$!
  trap stop_test_server EXIT
  for _ in $(seq 1 100); do port_open 127.0.0.1 "$port" && return 0; sleep 0.1; done
  echo "the server did not start:" >&2
  cat "$SERVER_DATA/server.log" >&2
  return 1
}

# Stops the server start_test_server started and removes its data dir.
stop_test_server() {
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  rm -rf "$SERVER_DATA"
}
