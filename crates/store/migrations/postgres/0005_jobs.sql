-- Background jobs (timers due, reminders, alerts, cleanup): claimed with a lease, retried with backoff,
-- parked after too many failures. `dedupe_key` makes "enqueue this once" safe across instances: a timer
-- fires once, a periodic job is scheduled once per slot.
CREATE TABLE jobs (
    id           UUID PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      JSONB NOT NULL,
    dedupe_key   TEXT,
    status       TEXT NOT NULL,     -- queued | running | done | parked | cancelled
    run_at       TIMESTAMPTZ NOT NULL,
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    lease_token  UUID,
    locked_until TIMESTAMPTZ,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key);
CREATE INDEX jobs_due ON jobs (status, run_at);
