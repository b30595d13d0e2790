-- Pushes waiting for the user's socket (timers, reminders, alerts). The row is the truth: a push is
-- delivered by whichever instance holds one of the user's sockets, claimed by one atomic update so it is
-- sent once; one not delivered before `expires_at` is marked missed. `dedupe_key` makes scheduling the
-- same push twice (a retried job, two instances) a no-op, and lets its owner cancel it (a dismissed timer).
CREATE TABLE push_outbox (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,      -- timer | reminder | alert
    frame        JSONB NOT NULL,     -- the WebSocket frame
    dedupe_key   TEXT NOT NULL,
    status       TEXT NOT NULL,      -- scheduled | delivered | cancelled | missed
    due_at       TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX push_outbox_dedupe ON push_outbox (dedupe_key);
CREATE INDEX push_outbox_user_due ON push_outbox (user_id, status, due_at);
CREATE INDEX push_outbox_due ON push_outbox (status, due_at);
