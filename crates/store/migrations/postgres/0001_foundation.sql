-- Foundation: identities, sessions, profiles, settings, privacy, idempotency and audit.
-- Every user-owned table references users(id) ON DELETE CASCADE, so deleting the users row removes
-- everything the user owns in one statement. Kept in step with ../sqlite/0001_foundation.sql (a test
-- compares their tables and columns).

-- One row per identity the backend has seen: built-in accounts (with a password hash) and Supabase
-- users (created the first time their token is seen). A Supabase user who deleted their account keeps a
-- tombstone row (deleted_at set) so tokens issued before the deletion stop working.
CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT,
    password_hash TEXT,
    auth_source   TEXT NOT NULL,            -- builtin | supabase
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX users_builtin_email ON users (email) WHERE auth_source = 'builtin';

-- Refresh tokens are stored hashed. A family is one login's chain of rotations: reusing a spent token
-- revokes the whole family (the token was stolen, or replayed).
CREATE TABLE refresh_tokens (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   UUID NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE profiles (
    id                        UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email                     TEXT,
    full_name                 TEXT,
    nickname                  TEXT,
    region                    TEXT,
    language                  TEXT NOT NULL,
    currency                  TEXT NOT NULL,
    timezone                  TEXT,
    preferred_units           TEXT NOT NULL,   -- metric | imperial
    travel_style              JSONB NOT NULL,  -- array of strings
    interests                 JSONB NOT NULL,  -- array of strings
    pets                      JSONB,
    accessibility             JSONB,
    current_latitude          DOUBLE PRECISION,
    current_longitude         DOUBLE PRECISION,
    vehicle                   JSONB,           -- free-form vehicle summary shown with the profile
    profile_image_url         TEXT,
    partner_profile_image_url TEXT,
    role                      TEXT NOT NULL,   -- user | admin
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_settings (
    user_id       UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notifications JSONB NOT NULL,
    display       JSONB NOT NULL,
    regional      JSONB NOT NULL,
    pam           JSONB NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE privacy_settings (
    user_id            UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    profile_visibility TEXT NOT NULL,     -- public | friends | private
    location_sharing   BOOLEAN NOT NULL,
    allow_messages     TEXT NOT NULL,     -- everyone | friends | none
    show_activity      BOOLEAN NOT NULL,
    data_collection    BOOLEAN NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- The first response to an unsafe POST carrying an Idempotency-Key, replayed for repeats.
CREATE TABLE idempotency_keys (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   INTEGER,          -- NULL while the first request is still running
    response_body TEXT,
    content_type  TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Who did what. Not owned by the actor: entries survive account deletion without personal details.
CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    actor_id    UUID,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    details     JSONB NOT NULL,
    ip          TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
