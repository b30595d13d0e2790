# Shared by scripts/run, scripts/test and .ci/run.

# True when something accepts TCP connections on host:port.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# System programs the server shells out to: espeak-ng for offline speech.
ensure_system_packages() {
  local missing=()
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing: ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "warning: please install ${missing[*]} (offline speech needs it)" >&2
    fi
  fi
}

# Starts the server built from this tree on a free port with a fresh data dir and generous limits (the
# contract and chaos runs are about answers, not throttling); sets SERVER_URL, SERVER_DATA, SERVER_PID and
# stops it on exit. Extra VAR=value arguments are passed to the server.
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
  trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$SERVER_DATA"' EXIT
  for _ in $(seq 1 100); do port_open 127.0.0.1 "$port" && return 0; sleep 0.1; done
  echo "the server did not start:" >&2
  cat "$SERVER_DATA/server.log" >&2
  return 1
}
