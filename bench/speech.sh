#!/usr/bin/env bash
# Speech on its offline engine (espeak-ng), through the real server on SQLite:
#   1. latency of POST /api/v1/tts/synthesize for a 20-word reply, 50 sequential runs, each text new
#      (one word changes, so every run is a cache miss and espeak-ng really runs): p50/p99;
#   2. requests/s of cache hits (the same text again) under wrk;
#   3. the server's peak memory while 20 different syntheses run at once.
# Usage: bench/speech.sh [seconds] [connections] (defaults 10 s, 64 connections). Prints the table rows.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source bench/lib.sh
ensure_system_packages
DURATION=${1:-10}
CONNS=${2:-64}
bench_setup
PORT=18031
start_pam speech "$PORT" "sqlite://$WORK/speech/pam.db" RATE_LIMIT_TTS_PER_MINUTE=100000000
read -r _ TOKEN < <(register "$PORT")
URL="http://127.0.0.1:$PORT/api/v1/tts/synthesize"

# 1 and 3: sequential misses, then 20 at once with the high-water mark reset first.
python3 - "$URL" "$TOKEN" "$PAM_PID" <<'PY'
import json, sys, time, threading, urllib.request
url, token, pid = sys.argv[1], sys.argv[2], sys.argv[3]
words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
def text(i):
    # Twenty words; the amount makes each text (and so each cache key) new.
    return (f"You have spent {100 + i} dollars and {words[i % 10]} cents on fuel this month, "
            f"which is just under the budget you set.")
def say(i):
    body = json.dumps({"text": text(i)}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        audio = r.read()
        assert r.headers["X-Engine"] == "espeak-ng" and r.headers["X-Cache-Hit"] == "false", dict(r.headers)
        assert audio[:4] == b"RIFF"
    return (time.perf_counter() - start) * 1000
assert len(text(0).split()) == 20, len(text(0).split())
say(999)  # warm: the voice list and the first process start
times = sorted(say(i) for i in range(50))
p = lambda q: times[min(len(times) - 1, int(round(q * (len(times) - 1))))]
print(f"| espeak-ng synthesis, 20-word reply (50 runs, each a miss) | p50 {p(0.5):.0f} ms | p99 {p(0.99):.0f} ms |")
rss = lambda key: int([l for l in open(f"/proc/{pid}/status") if l.startswith(key)][0].split()[1]) / 1024
before = rss("VmRSS")
open(f"/proc/{pid}/clear_refs", "w").write("5")
threads = [threading.Thread(target=say, args=(100 + i,)) for i in range(20)]
start = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - start
print(f"| 20 concurrent syntheses (server peak RSS; resident before) | {rss('VmHWM'):.1f} MB ({before:.1f} MB) | all done in {wall:.2f} s |")
PY

# 2: cache hits.
BODY='{"text":"Your next service is due in 2,000 kilometres."}'
curl -sf -XPOST "$URL" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$BODY" -o /dev/null
post "tts cache hit" "$URL" "Authorization: Bearer $TOKEN" "$BODY"
row "tts cache hit" "$PAM_PID"
cat "$ROWS"
