-- Wins: the money domain. Amounts are exact integer cents (BIGINT); sums are computed in cents.
-- Categories are stored normalised (lower case, synonyms mapped to the canonical set where known).

CREATE TABLE expenses (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    currency     TEXT NOT NULL,
    category     TEXT NOT NULL,
    description  TEXT,
    expense_date DATE NOT NULL,
    location     TEXT,
    tags         JSONB NOT NULL,
    receipt_url  TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX expenses_user_date ON expenses (user_id, expense_date);

-- One monthly limit per user and category (the unique index turns a duplicate into 409).
CREATE TABLE budgets (
    id                  UUID PRIMARY KEY,
    user_id             UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category            TEXT NOT NULL,
    monthly_limit_cents BIGINT NOT NULL CHECK (monthly_limit_cents > 0),
    alert_threshold     INTEGER NOT NULL,
    currency            TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX budgets_user_category ON budgets (user_id, category);

CREATE TABLE income_entries (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    currency     TEXT NOT NULL,
    source       TEXT NOT NULL,
    income_type  TEXT NOT NULL,   -- salary | pension | investment | side_hustle | other
    income_date  DATE NOT NULL,
    description  TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX income_user_date ON income_entries (user_id, income_date);

-- Savings PAM found. actual_savings_cents = baseline_cents - optimized_cents always (checked here too).
CREATE TABLE pam_savings_events (
    id                      UUID PRIMARY KEY,
    user_id                 UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    savings_type            TEXT NOT NULL,
    baseline_cents          BIGINT NOT NULL,
    optimized_cents         BIGINT NOT NULL,
    actual_savings_cents    BIGINT NOT NULL CHECK (actual_savings_cents = baseline_cents - optimized_cents),
    predicted_savings_cents BIGINT,
    description             TEXT NOT NULL,
    verification_method     TEXT,
    confidence_score        DOUBLE PRECISION,
    category                TEXT,
    location                TEXT,
    saved_on                DATE NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX savings_user_date ON pam_savings_events (user_id, saved_on);

-- A budget alert is recorded once per user, category, month and level (near | over); delivery to the
-- user's sockets is marked when it happens.
CREATE TABLE budget_alerts (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    month        TEXT NOT NULL,   -- YYYY-MM in the user's zone
    level        TEXT NOT NULL,
    spent_cents  BIGINT NOT NULL,
    limit_cents  BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX budget_alerts_once ON budget_alerts (user_id, category, month, level);
