#!/usr/bin/env python3
"""Chaos against a running PAM server: a mix of valid, malformed and hostile requests and chat messages
(including inputs that once panicked the server), some abandoned by their client halfway, for a bounded
time. Reports the number of 5xx answers (must be 0), once the dust settles the claims still held (turns,
idempotency keys, confirmations: must be 0), and whether the server still answers. Exits non-zero if any
of these fails.

    scripts/chaos.py --url http://127.0.0.1:8000 --db ./data/pam.db --seconds 30
    scripts/chaos.py --url ... --db postgres://postgres@127.0.0.1:5432/pam      (uses psql)

Standard library only.
"""
import argparse
import json
import random
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

PANIC_INPUTS = [
    "I spent $5 on coffee 100000000 days ago",
    "spent $5 on fuel 9223372036854775807 weeks ago",
    "İİİİ plan a trip FROM İstanbul TO Kẞln",
    "ẞẞẞẞ drive to İzmir from Ankara",
    "set a timer for 99999999999999 hours",
    "a hundred hundred hundred hundred hundred hundred hundred hundred hundred hundred dollars on tea",
    "\u0000\u0007log $3 for tea\u001b[31m",
]
CHATS = [
    "I spent $42.50 on diesel at Dubbo yesterday",
    "how much have I spent this month?",
    "set my fuel budget to $400",
    "are we on track with the budget?",
    "plan a trip from Sydney to Melbourne",
    "hello",
    "fish & chips $15",
    "select a campsite from the list",
]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.by_status = {}
        self.server_errors = []

    def record(self, method, path, status, body):
        with self.lock:
            self.sent += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status >= 500:
                self.server_errors.append((method, path, status, body[:200]))


def request(base, method, path, token=None, body=None, raw=None, headers=None, timeout=30):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (TimeoutError, urllib.error.URLError, ConnectionError):
        return None, ""  # abandoned on purpose, or the server closed: not an answer


def register(base):
    email = f"chaos-{uuid.uuid4().hex[:10]}@example.com"
    status, body = request(base, "POST", "/api/auth/register",
                           body={"email": email, "password": "a long passphrase", "region": "AU"})
    assert status == 201, (status, body)
    b = json.loads(body)
    return b["access_token"], b["user"]["id"]


def hostile_bodies():
    return [
        b"{not json", b"[]", b"null", b"\"text\"", b"{\"amount\": 1e400}", b"{\"amount\": \"NaN\", \"category\": 1}",
        json.dumps({"amount": -5, "category": "x" * 5000}).encode(),
        json.dumps({"amount": 12.345, "category": "fuel", "date": "99999-01-01"}).encode(),
        json.dumps({"amount": 10, "category": "fuel", "user_id": str(uuid.uuid4())}).encode(),
        json.dumps({"message": "x" * 3000}).encode(),
        json.dumps({"message": "", "context": {"user_location": {"lat": "NaN", "lng": 1e308}, "timezone": "Mars/Base"}}).encode(),
        ("{\"a\":" * 200 + "1" + "}" * 200).encode(),
    ]


def worker(base, stats, deadline, seed):
    rng = random.Random(seed)
    token, user_id = register(base)
    paths = ["/api/v1/expenses", "/api/v1/budgets", "/api/v1/income", "/api/v1/pam/chat", "/api/v1/pam-simple/chat",
             f"/api/v1/users/{user_id}/profile", f"/api/v1/users/{user_id}/settings", "/api/v1/pam/tools/execute/create_expense",
             "/api/v1/wins/summary?days=-1", "/api/v1/wins/summary?days=99999999999", "/api/v1/expenses?limit=100000",
             f"/api/v1/users/{uuid.uuid4()}/profile", "/api/v1/pam/savings/guarantee-status?month=0000-00-00",
             "/api/v1/pam/monthly-savings?year=2147483647&month=1", "/api/v1/expenses/not-a-uuid", "/api/v1/../../etc/passwd"]
    while time.time() < deadline:
        kind = rng.random()
        if kind < 0.35:
            text = rng.choice(PANIC_INPUTS + CHATS)
            body = {"message": text}
            if rng.random() < 0.3:
                body["message_id"] = f"chaos-{rng.randint(0, 20)}"  # repeats: re-sends
            # Some clients give up halfway: the turn must still finish or be released.
            timeout = 0.05 if rng.random() < 0.2 else 30
            headers = {"idempotency-key": f"k-{rng.randint(0, 30)}"} if rng.random() < 0.3 else None
            status, resp = request(base, "POST", "/api/v1/pam/chat", token, body=body, headers=headers, timeout=timeout)
            path, method = "/api/v1/pam/chat", "POST"
        elif kind < 0.6:
            path, method = rng.choice(paths), rng.choice(["POST", "PATCH", "PUT", "GET", "DELETE"])
            status, resp = request(base, method, path, token, raw=rng.choice(hostile_bodies()))
        elif kind < 0.8:
            path, method = "/api/v1/expenses", "POST"
            status, resp = request(base, method, path, token,
                                   body={"amount": round(rng.uniform(0.01, 500), 2), "category": rng.choice(["fuel", "Fuel", "RV Parks", "coffee"])},
                                   headers={"idempotency-key": f"e-{rng.randint(0, 50)}"} if rng.random() < 0.5 else None)
        else:
            path, method = rng.choice(paths), "GET"
            bad_token = rng.choice([None, token, "garbage", "Bearer x.y.z", token[:-3] + "abc"])
            status, resp = request(base, method, path, bad_token)
        if status is not None:
            stats.record(method, path, status, resp)


def held_claims(db):
    queries = {
        "turns still running": "SELECT count(*) FROM pam_turns WHERE status = 'running'",
        "idempotency keys unfinished": "SELECT count(*) FROM idempotency_keys WHERE status_code IS NULL",
        "confirmations running": "SELECT count(*) FROM pam_confirmations WHERE status = 'running'",
    }
    out = {}
    for name, sql in queries.items():
        if db.startswith("postgres"):
            res = subprocess.run(["psql", db, "-tAc", sql], capture_output=True, text=True, check=True)
            out[name] = int(res.stdout.strip() or 0)
        else:
            with sqlite3.connect(db) as conn:
                out[name] = conn.execute(sql).fetchone()[0]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--db", required=True, help="the server's SQLite file, or its postgres:// URL")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--settle", type=float, default=35, help="seconds to let abandoned turns finish")
    args = ap.parse_args()
    stats = Stats()
    deadline = time.time() + args.seconds
    threads = [threading.Thread(target=worker, args=(args.url, stats, deadline, i)) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Work abandoned by its clients finishes (or is released) on its own; give it its bound.
    settled_at = time.time() + args.settle
    claims = held_claims(args.db)
    while sum(claims.values()) and time.time() < settled_at:
        time.sleep(1)
        claims = held_claims(args.db)
    print(f"requests answered: {stats.sent}")
    print("by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(stats.by_status.items())))
    print(f"5xx: {len(stats.server_errors)}")
    for e in stats.server_errors[:10]:
        print("  ", e)
    print("claims still held: " + ", ".join(f"{k}: {v}" for k, v in claims.items()))
    # Still serving after all that: a crash would otherwise show only as abandoned requests.
    alive, _ = request(args.url, "GET", "/health", timeout=10)
    print(f"still answering: {'yes' if alive == 200 else f'no ({alive})'}")
    ok = not stats.server_errors and not sum(claims.values()) and alive == 200
    print("chaos: OK" if ok else "chaos: FAILED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
