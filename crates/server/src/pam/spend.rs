//! Per-user LLM spend caps from the usage ledger (SPEC §5.4): a soft warning past 80 % of a cap, then
//! the offline brain only — which still logs expenses and checks budgets. Paid speech engines book in
//! the same ledger and stop at the same caps (espeak-ng still speaks).

use chrono::{Datelike, TimeZone, Utc};
use pam_store::{Db, with_db};
use pam_web::error::AppError;
use uuid::Uuid;

use crate::state::AppState;

#[derive(Debug, Clone, PartialEq)]
pub enum Allowance {
    Ok,
    /// Close to a cap: the reply says so.
    Warn(String),
    /// Past a cap: the model is not called.
    Capped(String),
}

async fn spent_since(db: &Db, user_id: Uuid, since: chrono::DateTime<Utc>) -> Result<u64, AppError> {
    let micro: i64 = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(cost_micro_usd), 0) AS BIGINT) FROM llm_usage WHERE user_id = $1 AND created_at >= $2")
            .bind(user_id)
            .bind(since)
            .fetch_one(pool)
            .await
    })?;
    Ok(micro.max(0) as u64)
}

fn usd(micro: u64) -> String {
    format!("US${:.2}", micro as f64 / 1_000_000.0)
}

pub async fn allowance(state: &AppState, user_id: Uuid) -> Result<Allowance, AppError> {
    let caps = (state.config.daily_spend_cap_micro_usd, state.config.monthly_spend_cap_micro_usd);
    allowance_within(&state.db, caps, user_id).await
}

/// The allowance under the (daily, monthly) caps, for callers that hold the database but not the
/// application state (the speech service, built before it).
pub async fn allowance_within(db: &Db, (day_cap, month_cap): (u64, u64), user_id: Uuid) -> Result<Allowance, AppError> {
    let now = Utc::now();
    let day_start = Utc.with_ymd_and_hms(now.year(), now.month(), now.day(), 0, 0, 0).single().unwrap_or(now);
    let month_start = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).single().unwrap_or(now);
    let today = spent_since(db, user_id, day_start).await?;
    let month = spent_since(db, user_id, month_start).await?;
    if today >= day_cap || month >= month_cap {
        let which = if today >= day_cap {
            format!("today's limit of {}", usd(day_cap))
        } else {
            format!("this month's limit of {}", usd(month_cap))
        };
        return Ok(Allowance::Capped(format!(
            "You've reached {which} for PAM's online brain, so I'm answering offline: I can still log expenses, \
             check budgets and spending, and set timers."
        )));
    }
    if today * 10 >= day_cap * 8 || month * 10 >= month_cap * 8 {
        return Ok(Allowance::Warn("Heads up: you're close to your PAM usage limit.".into()));
    }
    Ok(Allowance::Ok)
}
