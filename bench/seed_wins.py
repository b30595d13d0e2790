#!/usr/bin/env python3
"""Seeds 1,000 built-in users with 50 expenses each into a migrated PAM database and prints
"<user_id> <access token>" for one of them. Usage: seed_wins.py DATABASE_URL SECRET_KEY
(sqlite:///path/to/pam.db or postgres://...). Uses only the standard library and psql."""
import base64, datetime, hashlib, hmac, json, random, sqlite3, subprocess, sys, uuid

url, secret = sys.argv[1], sys.argv[2]
USERS, PER_USER = 1000, 50
rng = random.Random(42)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
ts = now.isoformat()
categories = ["fuel", "campground", "groceries", "dining", "maintenance", "utilities", "entertainment"]
users = [uuid.UUID(hashlib.md5(f"bench-user-{i}".encode()).hexdigest()) for i in range(USERS)]
expenses = []
for u in users:
    for j in range(PER_USER):
        day = (now - datetime.timedelta(days=rng.randint(0, 180))).date().isoformat()
        expenses.append((uuid.uuid4(), u, rng.randint(100, 50000), rng.choice(categories), f"expense {j}", day))

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def token(user):
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": str(user), "email": f"{user}@bench.example", "role": "authenticated",
        "aud": "authenticated", "iss": "pam-backend", "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 3 * 3600}).encode())
    sig = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(sig)}"

if url.startswith("sqlite"):
    con = sqlite3.connect(url.split("://", 1)[1])
    con.executemany("INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at) VALUES (?, ?, NULL, 'builtin', ?, ?)",
                    [(u.bytes, f"{u}@bench.example", ts, ts) for u in users])
    con.executemany("INSERT INTO profiles (id, email, language, currency, preferred_units, travel_style, interests, role, created_at, updated_at) "
                    "VALUES (?, ?, 'en', 'AUD', 'metric', '[]', '[]', 'user', ?, ?)", [(u.bytes, f"{u}@bench.example", ts, ts) for u in users])
    con.executemany("INSERT INTO expenses (id, user_id, amount_cents, currency, category, description, expense_date, location, tags, receipt_url, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'AUD', ?, ?, ?, NULL, '[]', NULL, ?, ?)",
                    [(e[0].bytes, e[1].bytes, e[2], e[3], e[4], e[5], ts, ts) for e in expenses])
    con.commit()
else:
    lines = ["BEGIN;"]
    lines += [f"INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at) VALUES ('{u}', '{u}@bench.example', NULL, 'builtin', '{ts}', '{ts}');" for u in users]
    lines += [f"INSERT INTO profiles (id, email, language, currency, preferred_units, travel_style, interests, role, created_at, updated_at) "
              f"VALUES ('{u}', '{u}@bench.example', 'en', 'AUD', 'metric', '[]', '[]', 'user', '{ts}', '{ts}');" for u in users]
    for i in range(0, len(expenses), 1000):
        values = ",".join(f"('{e[0]}', '{e[1]}', {e[2]}, 'AUD', '{e[3]}', '{e[4]}', '{e[5]}', NULL, '[]', NULL, '{ts}', '{ts}')" for e in expenses[i:i + 1000])
        lines.append("INSERT INTO expenses (id, user_id, amount_cents, currency, category, description, expense_date, location, tags, receipt_url, created_at, updated_at) VALUES " + values + ";")
    lines.append("COMMIT;")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input="\n".join(lines).encode(), check=True, stdout=subprocess.DEVNULL)

chosen = users[USERS // 2]
print(chosen, token(chosen))
