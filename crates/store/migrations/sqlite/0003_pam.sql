-- PAM: conversations, provider-neutral messages, turns (for re-send de-duplication), tool executions,
-- the LLM usage ledger and feedback.

CREATE TABLE pam_conversations (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pam_conversations_user ON pam_conversations (user_id, updated_at);

-- One row per transcript message; blocks are the brain's provider-neutral blocks as JSON.
CREATE TABLE pam_messages (
    id              BLOB PRIMARY KEY,
    conversation_id BLOB NOT NULL REFERENCES pam_conversations (id) ON DELETE CASCADE,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,     -- user | assistant
    blocks          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX pam_messages_conversation ON pam_messages (conversation_id, created_at);

-- A chat turn: claimed before it runs so a re-send (same message_id, or same text within 45 s) waits
-- for it and gets its reply instead of acting twice.
CREATE TABLE pam_turns (
    id              BLOB PRIMARY KEY,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id BLOB NOT NULL,
    message_id      TEXT NOT NULL,
    text_hash       TEXT NOT NULL,
    status          TEXT NOT NULL,     -- running | done
    reply           TEXT,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX pam_turns_message ON pam_turns (user_id, message_id);
CREATE INDEX pam_turns_recent ON pam_turns (user_id, text_hash, created_at);

CREATE TABLE tool_executions (
    id              BLOB PRIMARY KEY,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id BLOB,
    turn_id         BLOB NOT NULL,
    tool_use_id     TEXT NOT NULL,
    tool_name       TEXT NOT NULL,
    arguments_hash  TEXT NOT NULL,
    outcome         TEXT NOT NULL,     -- ok | error | confirmation_required
    result          TEXT NOT NULL,
    duration_ms     BIGINT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX tool_executions_once ON tool_executions (turn_id, tool_use_id);

CREATE TABLE llm_usage (
    id                 BLOB PRIMARY KEY,
    user_id            BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id    BLOB,
    turn_id            BLOB,
    model              TEXT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cost_micro_usd     BIGINT NOT NULL,
    latency_ms         BIGINT NOT NULL,
    outcome            TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX llm_usage_user_time ON llm_usage (user_id, created_at);

CREATE TABLE pam_feedback (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id    TEXT NOT NULL,
    rating        INTEGER,
    thumbs_up     INTEGER,
    feedback_text TEXT,
    created_at    TEXT NOT NULL
);
