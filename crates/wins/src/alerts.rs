//! Budget alerts: when spending takes a category past its alert threshold or its limit, an alert is
//! recorded once per category, month and level. A later wave pushes it to the user's WebSocket.

use chrono::{NaiveDate, Utc};
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::locale::{month_bounds, month_key};
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WinsState;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct BudgetAlert {
    pub id: Uuid,
    pub category: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `near` (threshold reached) or `over` (limit passed).
    pub level: String,
    pub spent_cents: i64,
    pub limit_cents: i64,
    pub created_at: chrono::DateTime<Utc>,
}

pub async fn check_after_spending(
    state: &WinsState,
    user_id: Uuid,
    category: &str,
    date: NaiveDate,
) -> Result<(), DomainError> {
    let budget: Option<(String, i64, i32)> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT category, monthly_limit_cents, alert_threshold FROM budgets WHERE user_id = $1 AND category_key = $2",
        )
        .bind(user_id)
        .bind(crate::category::key(category))
        .fetch_optional(pool)
        .await
    })?;
    // Alerts carry the budget's spelling of the category, whichever spelling the expense used.
    let Some((category, limit, threshold)) = budget else { return Ok(()) };
    let category = category.as_str();
    let (first, last) = month_bounds(date);
    let spent = super::reports::spent_in_category(state, user_id, category, first, last).await?;
    let level = if spent > Money::from_cents(limit) {
        "over"
    } else if spent.cents().saturating_mul(100) >= limit.saturating_mul(i64::from(threshold)) {
        "near"
    } else {
        return Ok(());
    };
    let month = month_key(date);
    // "over" implies "near" was passed too; record both so each is said once.
    let levels: &[&str] = if level == "over" { &["near", "over"] } else { &["near"] };
    for level in levels {
        with_db!(&state.db, |pool| {
            sqlx::query(
                "INSERT INTO budget_alerts (id, user_id, category, month, level, spent_cents, limit_cents, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, category, month, level) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(category)
            .bind(&month)
            .bind(*level)
            .bind(spent.cents())
            .bind(limit)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// Alerts recorded for a month, oldest first.
pub async fn for_month(state: &WinsState, user_id: Uuid, month: &str) -> Result<Vec<BudgetAlert>, DomainError> {
    let rows: Vec<BudgetAlert> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, category, month, level, spent_cents, limit_cents, created_at FROM budget_alerts \
             WHERE user_id = $1 AND month = $2 ORDER BY created_at",
        )
        .bind(user_id)
        .bind(month)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}

/// Every alert recorded for a user, oldest first (the account export).
pub async fn all(state: &WinsState, user_id: Uuid) -> Result<Vec<BudgetAlert>, DomainError> {
    let rows: Vec<BudgetAlert> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, category, month, level, spent_cents, limit_cents, created_at FROM budget_alerts \
             WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}
