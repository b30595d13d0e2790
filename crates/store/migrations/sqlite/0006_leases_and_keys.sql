-- Claims become leases: a turn, an idempotency key or a confirmation being worked on records when it was
-- claimed, so a claim whose worker died is taken over after a bound instead of blocking forever.
ALTER TABLE pam_turns ADD COLUMN claimed_at TEXT;
UPDATE pam_turns SET claimed_at = created_at;
-- One turn in flight per user: spend caps and turn order hold however many copies arrive at once.
-- Turns left "running" by the old code (a panic or a cancelled request never released them) are released
-- first, or the index could not be built; a re-send runs them again.
UPDATE pam_turns SET status = 'released' WHERE status = 'running';
CREATE UNIQUE INDEX pam_turns_one_running ON pam_turns (user_id) WHERE status = 'running';

ALTER TABLE idempotency_keys ADD COLUMN claimed_at TEXT;
UPDATE idempotency_keys SET claimed_at = created_at;

-- The turn that made a proposal: a retried run of that turn must not cancel its own proposal.
ALTER TABLE pam_confirmations ADD COLUMN turn_id BLOB;
ALTER TABLE pam_confirmations ADD COLUMN claimed_at TEXT;

-- A retried turn of the same message finds what its tools already did by tool and arguments.
CREATE INDEX tool_executions_replay ON tool_executions (turn_id, tool_name, arguments_hash);

-- Categories are the user's own words, matched without regard to case: the key is the folded text.
ALTER TABLE expenses ADD COLUMN category_key TEXT NOT NULL DEFAULT '';
UPDATE expenses SET category_key = lower(trim(category));
CREATE INDEX expenses_user_category ON expenses (user_id, category_key, expense_date);
ALTER TABLE budgets ADD COLUMN category_key TEXT NOT NULL DEFAULT '';
UPDATE budgets SET category_key = lower(trim(category));
DROP INDEX budgets_user_category;
CREATE UNIQUE INDEX budgets_user_category ON budgets (user_id, category_key);

-- A saving PAM detected is recorded once per user, month, type and method however often detection runs.
ALTER TABLE pam_savings_events ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX savings_once ON pam_savings_events (user_id, dedupe_key);
