-- Calendar & timers (SPEC §4). Instants are stored in UTC and shown in the user's zone; the zone the
-- times were given in is kept beside them. An all-day event is its dates (start_date..end_date,
-- inclusive); it also carries the instants its first day starts and the day after its last starts in
-- that zone, so every event is ordered, filtered and judged "past" by the same two columns.
CREATE TABLE calendar_events (
    id               BLOB PRIMARY KEY,
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    description      TEXT,
    all_day          BOOLEAN NOT NULL,
    starts_at        TEXT NOT NULL,      -- instant (UTC)
    ends_at          TEXT NOT NULL,      -- instant (UTC), not before starts_at
    start_date       TEXT,               -- all-day events only
    end_date         TEXT,               -- all-day events only, inclusive
    event_type       TEXT NOT NULL,      -- personal | reminder | trip | booking | maintenance | inspection
    location_name    TEXT,
    reminder_minutes TEXT NOT NULL,      -- JSON array of minutes before the start
    timezone         TEXT NOT NULL,      -- IANA zone the times were given in
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX calendar_events_user_start ON calendar_events (user_id, starts_at);

-- Timers (a duration) and alarms (a local time). The push that rings them lives in push_outbox under
-- the key "timer:<id>"; `status` records what the user did (dismissed, cancelled) and, once seen,
-- what the outbox did (fired, missed), which outlives the outbox's own rows.
CREATE TABLE timers_and_alarms (
    id               BLOB PRIMARY KEY,
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,      -- timer | alarm
    label            TEXT,
    duration_seconds BIGINT,             -- timers
    alarm_at         TEXT,               -- alarms: the time asked ("06:00", or an RFC 3339 time)
    fires_at         TEXT NOT NULL,      -- instant (UTC)
    status           TEXT NOT NULL,      -- scheduled | fired | dismissed | cancelled | missed
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX timers_and_alarms_user_fires ON timers_and_alarms (user_id, fires_at);
