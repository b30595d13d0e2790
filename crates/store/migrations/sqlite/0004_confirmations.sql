-- Actions PAM proposed that need the user's yes first (deletions, speaking for the user). A
-- confirmation is bound to the exact arguments it showed.
CREATE TABLE pam_confirmations (
    id              BLOB PRIMARY KEY,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id BLOB,
    tool_name       TEXT NOT NULL,
    arguments       TEXT NOT NULL,
    summary         TEXT NOT NULL,
    status          TEXT NOT NULL,     -- pending | done | cancelled
    result          TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX pam_confirmations_user ON pam_confirmations (user_id, status, created_at);
