#!/usr/bin/env python3
"""Seeds 1,000 built-in users with 50 expenses each into a migrated PAM database and prints
"<user_id> <access token>" for one of them. Usage: seed_wins.py DATABASE_URL SECRET_KEY [--social]
(sqlite:///path/to/pam.db or postgres://...). With --social it also seeds the community: each user follows 50
others and has written 100 posts (100,000 in all; most public, some for followers, a few private or drafts);
the database's triggers fill each follower's timeline (feed_entries, about 4.5 million rows) as they go in.
Uses only the standard library and psql."""
import base64, datetime, hashlib, hmac, json, random, sqlite3, subprocess, sys, uuid

url, secret = sys.argv[1], sys.argv[2]
social = "--social" in sys.argv[3:]
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

follows, posts = [], []
if social:
    for u in users:
        for f in rng.sample([x for x in users if x != u], 50):
            follows.append((u, f))
        for j in range(100):
            at = (now - datetime.timedelta(minutes=rng.randint(0, 90 * 24 * 60))).isoformat()
            visibility = rng.choices(["public", "followers", "private"], [70, 20, 10])[0]
            status = "draft" if rng.random() < 0.05 else "published"
            text = f"Post {j}: " + " ".join(rng.choice(["free camp", "dump point", "water", "diesel", "views", "quiet",
                                                         "dusty road", "showers", "river", "sunset"]) for _ in range(12))
            posts.append((uuid.uuid4(), u, text, visibility, status, at, at if status == "published" else None))

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
    con.executemany("INSERT INTO user_follows (user_id, followed_id, created_at) VALUES (?, ?, ?)",
                    [(a.bytes, b.bytes, ts) for a, b in follows])
    con.executemany("INSERT INTO social_posts (id, user_id, title, content, image_url, location, tags, visibility, status, "
                    "created_at, updated_at, published_at) VALUES (?, ?, NULL, ?, NULL, NULL, '[]', ?, ?, ?, ?, ?)",
                    [(p[0].bytes, p[1].bytes, p[2], p[3], p[4], p[5], p[5], p[6]) for p in posts])
    con.commit()
else:
    lines = ["BEGIN;"]
    lines += [f"INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at) VALUES ('{u}', '{u}@bench.example', NULL, 'builtin', '{ts}', '{ts}');" for u in users]
    lines += [f"INSERT INTO profiles (id, email, language, currency, preferred_units, travel_style, interests, role, created_at, updated_at) "
              f"VALUES ('{u}', '{u}@bench.example', 'en', 'AUD', 'metric', '[]', '[]', 'user', '{ts}', '{ts}');" for u in users]
    for i in range(0, len(expenses), 1000):
        values = ",".join(f"('{e[0]}', '{e[1]}', {e[2]}, 'AUD', '{e[3]}', '{e[4]}', '{e[5]}', NULL, '[]', NULL, '{ts}', '{ts}')" for e in expenses[i:i + 1000])
        lines.append("INSERT INTO expenses (id, user_id, amount_cents, currency, category, description, expense_date, location, tags, receipt_url, created_at, updated_at) VALUES " + values + ";")
    for i in range(0, len(follows), 5000):
        values = ",".join(f"('{a}', '{b}', '{ts}')" for a, b in follows[i:i + 5000])
        lines.append("INSERT INTO user_follows (user_id, followed_id, created_at) VALUES " + values + ";")
    for i in range(0, len(posts), 2000):
        values = ",".join(f"('{p[0]}', '{p[1]}', NULL, '{p[2]}', NULL, NULL, '[]', '{p[3]}', '{p[4]}', '{p[5]}', '{p[5]}', "
                          + (f"'{p[6]}'" if p[6] else "NULL") + ")" for p in posts[i:i + 2000])
        lines.append("INSERT INTO social_posts (id, user_id, title, content, image_url, location, tags, visibility, status, "
                     "created_at, updated_at, published_at) VALUES " + values + ";")
    lines.append("COMMIT;")
    # What autovacuum does within a minute of a bulk insert (it vacuums after inserts, not only updates):
    # statistics, and the visibility map that lets a count read the index alone. Without it the first
    # minutes measure a database no deployment runs on for long.
    lines.append("VACUUM (ANALYZE);")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input="\n".join(lines).encode(), check=True, stdout=subprocess.DEVNULL)

chosen = users[USERS // 2]
print(chosen, token(chosen))
