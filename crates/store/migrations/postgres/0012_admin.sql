-- Settings operators change at run time (the primary model): read by every instance, so a change takes
-- effect everywhere on the next turn without a restart.
CREATE TABLE app_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by UUID,
    updated_at TIMESTAMPTZ NOT NULL
);
