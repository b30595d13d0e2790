//! Budget alerts: when spending takes a category past its alert threshold or its limit, an alert is
//! recorded once per category, month and level, and pushed to the user's sockets as a
//! `proactive_alert` (through the platform's push outbox, keyed by the alert so it goes out once; an
//! hourly sweep pushes any alert whose push was not scheduled, e.g. after a crash in between).

use chrono::{NaiveDate, Utc};
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::locale::{month_bounds, month_key};
use pam_platform::push_frames::{
    AlertAction, AlertContent, AlertContentKind, AlertPriority, ProactiveAlert, PushFrame,
};
use pam_store::with_db;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WinsState;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct BudgetAlert {
    pub id: Uuid,
    #[serde(skip)]
    pub user_id: Uuid,
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
    let top = level;
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
    // Say the highest level reached; the lower one is implied.
    let alert: Option<BudgetAlert> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, user_id, category, month, level, spent_cents, limit_cents, created_at FROM budget_alerts \
             WHERE user_id = $1 AND category = $2 AND month = $3 AND level = $4",
        )
        .bind(user_id)
        .bind(category)
        .bind(&month)
        .bind(top)
        .fetch_optional(pool)
        .await
    })?;
    if let Some(alert) = alert {
        push(state, &alert).await?;
    }
    Ok(())
}

/// The `proactive_alert` frame of SPEC §5.2 for an alert.
pub fn frame(alert: &BudgetAlert, currency: &str) -> PushFrame {
    let spent = Money::from_cents(alert.spent_cents).display(currency);
    let limit = Money::from_cents(alert.limit_cents).display(currency);
    let (message, priority, alert_type) = if alert.level == "over" {
        (
            format!("You're over your {} budget: {spent} of {limit} this month.", alert.category),
            AlertPriority::High,
            "budget_exceeded",
        )
    } else {
        (
            format!("Heads up: you've spent {spent} of your {limit} {} budget this month.", alert.category),
            AlertPriority::Medium,
            "budget_warning",
        )
    };
    let action = |label: &str, action: &str, message: Option<&str>| AlertAction {
        label: label.into(),
        action: action.into(),
        message: message.map(Into::into),
    };
    PushFrame::ProactiveAlert(ProactiveAlert {
        id: alert.id,
        timestamp: alert.created_at,
        content: AlertContent {
            kind: AlertContentKind::ProactiveSuggestion,
            category: "budget".into(),
            message,
            priority,
            alert_type: alert_type.into(),
            actions: vec![
                action("See my budgets", "open_budgets", None),
                action("Where can I save?", "ask_pam", Some("Where can I save money?")),
            ],
        },
    })
}

/// Schedules the alert's push (once: keyed by the alert).
pub async fn push(state: &WinsState, alert: &BudgetAlert) -> Result<(), DomainError> {
    let currency = state.locales.of(alert.user_id).await?.currency;
    let push = pam_platform::outbox::NewPush {
        user_id: alert.user_id,
        kind: "alert",
        frame: frame(alert, &currency),
        due_at: Utc::now(),
        valid_for: chrono::Duration::days(1),
        dedupe_key: format!("budget_alert:{}", alert.id),
    };
    pam_platform::outbox::schedule(&state.db, push).await?;
    Ok(())
}

/// Pushes every alert of the last day whose push was never scheduled (the hourly sweep): scheduling is
/// keyed by the alert, so an alert already pushed is left alone.
pub async fn sweep(state: &WinsState) -> Result<usize, DomainError> {
    let since = Utc::now() - chrono::Duration::days(1);
    let rows: Vec<BudgetAlert> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, user_id, category, month, level, spent_cents, limit_cents, created_at \
             FROM budget_alerts WHERE created_at >= $1",
        )
        .bind(since)
        .fetch_all(pool)
        .await
    })?;
    // Only the highest level of each category and month is said.
    let mut pushed = 0;
    let superseded = |a: &BudgetAlert| {
        a.level != "over"
            && rows
                .iter()
                .any(|b| b.user_id == a.user_id && b.category == a.category && b.month == a.month && b.level == "over")
    };
    for alert in rows.iter().filter(|a| !superseded(a)) {
        push(state, alert).await?;
        pushed += 1;
    }
    Ok(pushed)
}

/// Alerts recorded for a month, oldest first.
pub async fn for_month(state: &WinsState, user_id: Uuid, month: &str) -> Result<Vec<BudgetAlert>, DomainError> {
    let rows: Vec<BudgetAlert> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT id, user_id, category, month, level, spent_cents, limit_cents, created_at FROM budget_alerts \
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
            "SELECT id, user_id, category, month, level, spent_cents, limit_cents, created_at FROM budget_alerts \
             WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows)
}
