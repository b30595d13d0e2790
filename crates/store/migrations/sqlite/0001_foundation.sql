-- Foundation: identities, sessions, profiles, settings, privacy, idempotency and audit.
-- Every user-owned table references users(id) ON DELETE CASCADE, so deleting the users row removes
-- everything the user owns in one statement. Kept in step with ../postgres/0001_foundation.sql (a test
-- compares their tables and columns).

-- One row per identity the backend has seen: built-in accounts (with a password hash) and Supabase
-- users (created the first time their token is seen). A Supabase user who deleted their account keeps a
-- tombstone row (deleted_at set) so tokens issued before the deletion stop working.
CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    email         TEXT,
    password_hash TEXT,
    auth_source   TEXT NOT NULL,            -- builtin | supabase
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX users_builtin_email ON users (email) WHERE auth_source = 'builtin';

-- Refresh tokens are stored hashed. A family is one login's chain of rotations: reusing a spent token
-- revokes the whole family (the token was stolen, or replayed).
CREATE TABLE refresh_tokens (
    id          BLOB PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   BLOB NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE profiles (
    id                        BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email                     TEXT,
    full_name                 TEXT,
    nickname                  TEXT,
    region                    TEXT,
    language                  TEXT NOT NULL,
    currency                  TEXT NOT NULL,
    timezone                  TEXT,
    preferred_units           TEXT NOT NULL,   -- metric | imperial
    travel_style              TEXT NOT NULL,  -- array of strings
    interests                 TEXT NOT NULL,  -- array of strings
    pets                      TEXT,
    accessibility             TEXT,
    current_latitude          REAL,
    current_longitude         REAL,
    vehicle                   TEXT,           -- free-form vehicle summary shown with the profile
    profile_image_url         TEXT,
    partner_profile_image_url TEXT,
    role                      TEXT NOT NULL,   -- user | admin
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
);

CREATE TABLE user_settings (
    user_id       BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notifications TEXT NOT NULL,
    display       TEXT NOT NULL,
    regional      TEXT NOT NULL,
    pam           TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE privacy_settings (
    user_id            BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    profile_visibility TEXT NOT NULL,     -- public | friends | private
    location_sharing   INTEGER NOT NULL,
    allow_messages     TEXT NOT NULL,     -- everyone | friends | none
    show_activity      INTEGER NOT NULL,
    data_collection    INTEGER NOT NULL,
    updated_at         TEXT NOT NULL
);

-- The first response to an unsafe POST carrying an Idempotency-Key, replayed for repeats.
CREATE TABLE idempotency_keys (
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   INTEGER,          -- NULL while the first request is still running
    response_body TEXT,
    content_type  TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Who did what. Not owned by the actor: entries survive account deletion without personal details.
CREATE TABLE audit_log (
    id          BLOB PRIMARY KEY,
    actor_id    BLOB,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    details     TEXT NOT NULL,
    ip          TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
