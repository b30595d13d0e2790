//! Housekeeping, hourly: refresh tokens past their expiry, idempotency keys older than a day, turns'
//! stored replies older than the re-send window's need (a week), finished jobs older than a week, shared
//! locations past their expiry, and pushes that are done with.

use chrono::{Duration, Utc};
use pam_kernel::DomainError;
use pam_platform::jobs::JobOutcome;
use pam_store::with_db;

use super::outcome;
use crate::state::AppState;

async fn delete(state: &AppState, sql: &'static str, before: chrono::DateTime<Utc>) -> Result<u64, DomainError> {
    let n =
        with_db!(&state.db, |pool| { sqlx::query(sql).bind(before).execute(pool).await.map(|r| r.rows_affected()) })?;
    Ok(n)
}

pub async fn run(state: &AppState) -> JobOutcome {
    let now = Utc::now();
    let result = async {
        let tokens = delete(state, "DELETE FROM refresh_tokens WHERE expires_at < $1", now).await?;
        let keys = delete(state, "DELETE FROM idempotency_keys WHERE created_at < $1", now - Duration::days(1)).await?;
        let turns =
            delete(state, "DELETE FROM pam_turns WHERE status = 'done' AND created_at < $1", now - Duration::days(7))
                .await?;
        let jobs = delete(
            state,
            "DELETE FROM jobs WHERE status IN ('done', 'cancelled') AND updated_at < $1",
            now - Duration::days(7),
        )
        .await?;
        let locations = pam_social::locations::remove_expired(&state.db, now).await?;
        tracing::info!(tokens, keys, turns, jobs, locations, "cleanup removed expired rows");
        Ok::<_, DomainError>(())
    }
    .await;
    outcome(result)
}

/// Pushes past their time are marked missed; delivered ones are forgotten after a week.
pub async fn pushes(state: &AppState) -> JobOutcome {
    let result = pam_platform::outbox::sweep(&state.db, Utc::now()).await;
    if let Ok((missed, removed)) = &result
        && (*missed > 0 || *removed > 0)
    {
        tracing::info!(missed, removed, "push outbox swept");
    }
    outcome(result)
}
