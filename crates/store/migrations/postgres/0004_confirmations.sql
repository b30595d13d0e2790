-- Actions PAM proposed that need the user's yes first (deletions, speaking for the user). A
-- confirmation is bound to the exact arguments it showed.
CREATE TABLE pam_confirmations (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id UUID,
    tool_name       TEXT NOT NULL,
    arguments       JSONB NOT NULL,
    summary         TEXT NOT NULL,
    status          TEXT NOT NULL,     -- pending | done | cancelled
    result          JSONB,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX pam_confirmations_user ON pam_confirmations (user_id, status, created_at);
