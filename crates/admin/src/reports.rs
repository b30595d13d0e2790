//! What operators ask of the data: who uses PAM (active users, messages, tool calls by outcome, errors,
//! LLM spend) and what it costs (the usage ledger, grouped by user, model or day). Money is summed in
//! micro-USD, exactly as the ledger records it; dollars are derived only for display.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use pam_kernel::DomainError;
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AdminState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ActiveUsers {
    pub today: i64,
    pub last_7_days: i64,
    pub last_30_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Spend {
    pub micro_usd: i64,
    pub usd: f64,
}

impl Spend {
    fn of(micro_usd: i64) -> Spend {
        Spend { micro_usd, usd: micro_usd as f64 / 1_000_000.0 }
    }
}

/// The operators' summary (`GET /api/v1/admin/metrics`). Days are UTC days.
#[derive(Debug, Serialize, ToSchema)]
// Named apart from wins' `Summary`: two components of one name, and one replaced the other.
#[schema(as = OperatorsSummary)]
pub struct Summary {
    /// Users who sent PAM a message.
    pub active_users: ActiveUsers,
    pub messages_today: i64,
    pub messages_last_30_days: i64,
    /// Tool calls in the last 30 days by outcome (ok, error, confirmation_required).
    pub tool_calls: BTreeMap<String, i64>,
    /// Failed model calls and failed tool calls in the last 30 days.
    pub errors_last_30_days: i64,
    pub llm_spend_today: Spend,
    pub llm_spend_this_month: Spend,
}

fn start_of_day(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now)
}

async fn count(state: &AdminState, sql: &'static str, since: DateTime<Utc>) -> Result<i64, DomainError> {
    let n = with_db!(&state.db, |pool| { sqlx::query_scalar(sql).bind(since).fetch_one(pool).await })?;
    Ok(n)
}

pub async fn summary(state: &AdminState) -> Result<Summary, DomainError> {
    let now = Utc::now();
    let today = start_of_day(now);
    let month = today - Duration::days(i64::from(chrono::Datelike::day(&today.date_naive())) - 1);
    let active = "SELECT COUNT(DISTINCT user_id) FROM pam_turns WHERE created_at >= $1";
    let messages = "SELECT COUNT(*) FROM pam_turns WHERE created_at >= $1";
    let spend = "SELECT CAST(COALESCE(SUM(cost_micro_usd), 0) AS BIGINT) FROM llm_usage WHERE created_at >= $1";
    let model_errors = "SELECT COUNT(*) FROM llm_usage WHERE created_at >= $1 AND outcome <> 'ok'";
    let tool_errors = "SELECT COUNT(*) FROM tool_executions WHERE created_at >= $1 AND outcome = 'error'";
    let since30 = today - Duration::days(29);
    let outcomes: Vec<(String, i64)> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT outcome, COUNT(*) FROM tool_executions WHERE created_at >= $1 GROUP BY outcome")
            .bind(since30)
            .fetch_all(pool)
            .await
    })?;
    Ok(Summary {
        active_users: ActiveUsers {
            today: count(state, active, today).await?,
            last_7_days: count(state, active, today - Duration::days(6)).await?,
            last_30_days: count(state, active, since30).await?,
        },
        messages_today: count(state, messages, today).await?,
        messages_last_30_days: count(state, messages, since30).await?,
        tool_calls: outcomes.into_iter().collect(),
        errors_last_30_days: count(state, model_errors, since30).await? + count(state, tool_errors, since30).await?,
        llm_spend_today: Spend::of(count(state, spend, today).await?),
        llm_spend_this_month: Spend::of(count(state, spend, month).await?),
    })
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    User,
    #[default]
    Model,
    Day,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    pub user_id: Option<Uuid>,
    /// Inclusive start (RFC 3339); default 30 days ago.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive end (RFC 3339); default now.
    pub to: Option<DateTime<Utc>>,
    /// user | model | day (default model).
    #[param(inline)]
    pub group_by: Option<GroupBy>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct UsageRow {
    /// The user id, the model, or the UTC day.
    pub key: String,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_write_tokens: i64,
    pub cache_read_tokens: i64,
    pub cost_micro_usd: i64,
    pub cost_usd: f64,
    pub latency_ms_p50: i64,
    pub latency_ms_p95: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub rows: Vec<UsageRow>,
    pub total: UsageRow,
}

type LedgerRow = (Uuid, String, i64, i64, i64, i64, i64, i64, DateTime<Utc>);

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    // Nearest rank: the smallest value with at least p of the values at or below it.
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn fold(key: String, rows: &[&LedgerRow]) -> UsageRow {
    let mut latencies: Vec<i64> = rows.iter().map(|r| r.7).collect();
    latencies.sort_unstable();
    let cost: i64 = rows.iter().map(|r| r.6).sum();
    UsageRow {
        key,
        calls: rows.len() as i64,
        input_tokens: rows.iter().map(|r| r.2).sum(),
        output_tokens: rows.iter().map(|r| r.3).sum(),
        cache_write_tokens: rows.iter().map(|r| r.4).sum(),
        cache_read_tokens: rows.iter().map(|r| r.5).sum(),
        cost_micro_usd: cost,
        cost_usd: cost as f64 / 1_000_000.0,
        latency_ms_p50: percentile(&latencies, 0.5),
        latency_ms_p95: percentile(&latencies, 0.95),
    }
}

pub async fn usage(state: &AdminState, q: &UsageQuery) -> Result<Usage, DomainError> {
    let to = q.to.unwrap_or_else(Utc::now);
    let from = q.from.unwrap_or(to - Duration::days(30));
    if from >= to {
        return Err(DomainError::invalid(&["query", "from"], "must be before to"));
    }
    if to - from > Duration::days(400) {
        return Err(DomainError::invalid(&["query", "from"], "a range of at most 400 days"));
    }
    let rows: Vec<LedgerRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT user_id, model, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, cost_micro_usd, \
             latency_ms, created_at FROM llm_usage WHERE created_at >= $1 AND created_at < $2 \
             AND ($3 IS NULL OR user_id = $3) ORDER BY created_at",
        )
        .bind(from)
        .bind(to)
        .bind(q.user_id)
        .fetch_all(pool)
        .await
    })?;
    let group = q.group_by.unwrap_or_default();
    let mut groups: BTreeMap<String, Vec<&LedgerRow>> = BTreeMap::new();
    for r in &rows {
        let key = match group {
            GroupBy::User => r.0.to_string(),
            GroupBy::Model => r.1.clone(),
            GroupBy::Day => r.8.date_naive().to_string(),
        };
        groups.entry(key).or_default().push(r);
    }
    let all: Vec<&LedgerRow> = rows.iter().collect();
    Ok(Usage {
        from,
        to,
        rows: groups.into_iter().map(|(k, v)| fold(k, &v)).collect(),
        total: fold("total".into(), &all),
    })
}

type Daily = (Vec<NaiveDate>, BTreeMap<String, Vec<f64>>, BTreeMap<String, Vec<f64>>);

/// Daily cost (USD) and messages answered, each per model, over the last `days` UTC days (for the chart).
pub async fn daily(state: &AdminState, days: i64) -> Result<Daily, DomainError> {
    let today = Utc::now().date_naive();
    let first = today - Duration::days(days - 1);
    let since = first.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or_else(Utc::now);
    let ledger: Vec<(String, i64, DateTime<Utc>)> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT model, cost_micro_usd, created_at FROM llm_usage WHERE created_at >= $1")
            .bind(since)
            .fetch_all(pool)
            .await
    })?;
    let dates: Vec<NaiveDate> = (0..days).map(|i| first + Duration::days(i)).collect();
    let index = |at: DateTime<Utc>| (at.date_naive() - first).num_days().clamp(0, days - 1) as usize;
    let mut cost: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut calls: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (model, micro, at) in ledger {
        cost.entry(model.clone()).or_insert_with(|| vec![0.0; days as usize])[index(at)] += micro as f64 / 1_000_000.0;
        calls.entry(model).or_insert_with(|| vec![0.0; days as usize])[index(at)] += 1.0;
    }
    Ok((dates, cost, calls))
}
