//! The push outbox: frames (timer expired, reminder, alert) waiting for one of the user's sockets. A
//! domain schedules a push with a due time and a dedupe key; whichever instance holds a socket of the
//! user claims it when due — one atomic update, so it is sent once however many instances look — and
//! hands it to its hub. A push not delivered before it expires is marked missed (a timer more than an
//! hour late is not worth ringing). Rows survive restarts: nothing scheduled is lost.

use chrono::{DateTime, Duration, Utc};
use pam_kernel::DomainError;
use pam_store::{Db, with_db};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json as SqlJson;

use crate::push_frames::PushFrame;
use uuid::Uuid;

/// A push to schedule.
#[derive(Clone, Debug)]
pub struct NewPush {
    pub user_id: Uuid,
    /// `timer`, `reminder` or `alert`.
    pub kind: &'static str,
    /// Typed where it is made, so every push stored is one the socket can send.
    pub frame: PushFrame,
    pub due_at: DateTime<Utc>,
    /// How late it may still be delivered.
    pub valid_for: Duration,
    /// At most one push ever carries it; its owner cancels by it ("timer:<id>").
    pub dedupe_key: String,
}

/// A push claimed for delivery.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClaimedPush {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub frame: SqlJson<Value>,
    pub dedupe_key: String,
    pub due_at: DateTime<Utc>,
}

/// A push as its owner sees it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PushState {
    pub status: String,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Schedules a push; `false` when one with the same key exists already (nothing is added twice).
pub async fn schedule(db: &Db, push: NewPush) -> Result<bool, DomainError> {
    let now = Utc::now();
    let inserted = with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO push_outbox (id, user_id, kind, frame, dedupe_key, status, due_at, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(push.user_id)
        .bind(push.kind)
        .bind(SqlJson(&push.frame))
        .bind(&push.dedupe_key)
        .bind(push.due_at)
        .bind(push.due_at + push.valid_for)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(inserted == 1)
}

/// Replaces a scheduled push (a moved event's reminder): the old one is cancelled, the new one takes
/// its key.
pub async fn reschedule(db: &Db, push: NewPush) -> Result<(), DomainError> {
    with_db!(db, |pool| {
        sqlx::query("DELETE FROM push_outbox WHERE dedupe_key = $1 AND status IN ('scheduled', 'cancelled')")
            .bind(&push.dedupe_key)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    schedule(db, push).await.map(|_| ())
}

/// Cancels a push that has not gone out; `true` when one was cancelled.
pub async fn cancel(db: &Db, dedupe_key: &str) -> Result<bool, DomainError> {
    let n = with_db!(db, |pool| {
        sqlx::query("UPDATE push_outbox SET status = 'cancelled' WHERE dedupe_key = $1 AND status = 'scheduled'")
            .bind(dedupe_key)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n > 0)
}

/// Cancels every scheduled push whose key starts with `prefix` ("reminder:<event id>:").
pub async fn cancel_prefix(db: &Db, prefix: &str) -> Result<u64, DomainError> {
    let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
    let n = with_db!(db, |pool| {
        sqlx::query("UPDATE push_outbox SET status = 'cancelled' WHERE dedupe_key LIKE $1 AND status = 'scheduled'")
            .bind(&pattern)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n)
}

pub async fn state(db: &Db, dedupe_key: &str) -> Result<Option<PushState>, DomainError> {
    let row = with_db!(db, |pool| {
        sqlx::query_as("SELECT status, delivered_at FROM push_outbox WHERE dedupe_key = $1")
            .bind(dedupe_key)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Claims the due pushes of these users (sockets held here) for delivery: marked delivered in the same
/// statement, so no other instance sends them too. Oldest first, at most `limit`.
pub async fn claim_due(
    db: &Db,
    users: &[Uuid],
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ClaimedPush>, DomainError> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let mut claimed = Vec::new();
    // Bounded parameter lists: SQLite and Postgres both take this many binds comfortably.
    for chunk in users.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "UPDATE push_outbox SET status = 'delivered', delivered_at = $1 WHERE id IN (SELECT id FROM push_outbox \
             WHERE status = 'scheduled' AND due_at <= $1 AND expires_at > $1 AND user_id IN ({}) \
             ORDER BY due_at LIMIT $2) AND status = $3 RETURNING id, user_id, kind, frame, dedupe_key, due_at",
            marks.join(", ")
        );
        let rows: Vec<ClaimedPush> = with_db!(db, |pool| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(now).bind(limit).bind("scheduled");
            for u in chunk {
                q = q.bind(*u);
            }
            q.fetch_all(pool).await
        })?;
        claimed.extend(rows);
        if claimed.len() as i64 >= limit {
            break;
        }
    }
    claimed.sort_by_key(|p| p.due_at);
    Ok(claimed)
}

/// A claimed push that reached no socket after all (it closed meanwhile): due again.
pub async fn unclaim(db: &Db, id: Uuid) -> Result<(), DomainError> {
    with_db!(db, |pool| {
        sqlx::query(
            "UPDATE push_outbox SET status = 'scheduled', delivered_at = NULL WHERE id = $1 AND status = 'delivered'",
        )
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Marks pushes past their time as missed, and forgets finished ones after a week. Returns (missed,
/// removed).
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<(u64, u64), DomainError> {
    let missed = with_db!(db, |pool| {
        sqlx::query("UPDATE push_outbox SET status = 'missed' WHERE status = 'scheduled' AND expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    let removed = with_db!(db, |pool| {
        sqlx::query("DELETE FROM push_outbox WHERE status <> 'scheduled' AND due_at < $1")
            .bind(now - Duration::days(7))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok((missed, removed))
}

/// Every push of the user still to come or recently sent (account export).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PushExport {
    pub kind: String,
    pub frame: SqlJson<Value>,
    pub status: String,
    pub due_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

pub async fn all(db: &Db, user_id: Uuid) -> Result<Vec<PushExport>, DomainError> {
    let rows = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT kind, frame, status, due_at, delivered_at FROM push_outbox WHERE user_id = $1 ORDER BY due_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}
