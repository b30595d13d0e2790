//! Savings PAM found for the user (the front end's contract: every answer is `{success: true, …}`).
//! `actual_savings = baseline_cost − optimized_cost` always; the guarantee compares a month's savings
//! with the subscription cost.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::locale::{month_bounds, month_key, months_back};
use pam_kernel::money::Amount;
use pam_kernel::text;
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WinsState;
use crate::{category, expenses};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewSavings {
    /// e.g. `fuel`, `camping`, `route`, `price_comparison`; 1–50 characters.
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub savings_type: String,
    /// What it would have cost.
    pub baseline_cost: Money,
    /// What it cost PAM's way (may be 0; not more than `baseline_cost`).
    #[schema(value_type = f64, minimum = 0, maximum = 1000000000, multiple_of = 0.01)]
    pub optimized_cost: CostOrZero,
    pub predicted_savings: Option<Money>,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub description: String,
    pub verification_method: Option<String>,
    /// 0–1.
    #[schema(minimum = 0, maximum = 1)]
    pub confidence_score: Option<f64>,
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: Option<String>,
    pub location: Option<String>,
    /// If given, must equal baseline_cost − optimized_cost.
    #[schema(value_type = Option<f64>)]
    pub actual_savings: Option<serde_json::Number>,
}

/// A cost that may be zero (a free camp): same rules as Money otherwise.
#[derive(Debug, Clone, Copy)]
pub struct CostOrZero(pub Money);

impl<'de> Deserialize<'de> for CostOrZero {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        if v.as_f64() == Some(0.0) || v.as_str().is_some_and(|s| s.trim().parse::<f64>() == Ok(0.0)) {
            return Ok(CostOrZero(Money::ZERO));
        }
        serde_json::from_value::<Money>(v).map(CostOrZero).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SavingsEvent {
    pub id: Uuid,
    pub savings_type: String,
    #[sqlx(rename = "baseline_cents")]
    #[schema(value_type = f64)]
    #[serde(rename = "baseline_cost", serialize_with = "cents")]
    pub baseline: i64,
    #[sqlx(rename = "optimized_cents")]
    #[schema(value_type = f64)]
    #[serde(rename = "optimized_cost", serialize_with = "cents")]
    pub optimized: i64,
    #[sqlx(rename = "actual_savings_cents")]
    #[schema(value_type = f64)]
    #[serde(rename = "actual_savings", serialize_with = "cents")]
    pub actual: i64,
    #[sqlx(rename = "predicted_savings_cents")]
    #[schema(value_type = Option<f64>)]
    #[serde(rename = "predicted_savings", serialize_with = "opt_cents")]
    pub predicted: Option<i64>,
    pub description: String,
    pub verification_method: Option<String>,
    pub confidence_score: Option<f64>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub saved_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

fn cents<S: serde::Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    Money::from_cents(*v).serialize(s)
}

fn opt_cents<S: serde::Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    v.map(Money::from_cents).serialize(s)
}

const COLUMNS: &str = "id, savings_type, baseline_cents, optimized_cents, actual_savings_cents, predicted_savings_cents, \
     description, verification_method, confidence_score, category, location, saved_on, created_at";

pub async fn record(state: &WinsState, user_id: Uuid, input: NewSavings) -> Result<SavingsEvent, DomainError> {
    insert(state, user_id, input, None).await
}

/// Stores a saving. With a `dedupe_key`, a second saving under the same key replaces the first instead of
/// adding to it (detection records one saving per month, type and method, however often it runs).
async fn insert(
    state: &WinsState,
    user_id: Uuid,
    input: NewSavings,
    dedupe_key: Option<String>,
) -> Result<SavingsEvent, DomainError> {
    let baseline = input.baseline_cost;
    let optimized = input.optimized_cost.0;
    if optimized > baseline {
        return Err(DomainError::invalid(&["body", "optimized_cost"], "must not exceed baseline_cost"));
    }
    let actual = baseline - optimized;
    if let Some(given) = &input.actual_savings {
        let given_cents = given.as_f64().map(|f| (f * 100.0).round() as i64);
        if given_cents != Some(actual.cents()) {
            return Err(DomainError::invalid(
                &["body", "actual_savings"],
                format!("must equal baseline_cost − optimized_cost ({})", actual.to_decimal_string()),
            ));
        }
    }
    let savings_type = text::optional_text(Some(input.savings_type), 50)
        .map_err(|m| DomainError::invalid(&["body", "savings_type"], m))?
        .ok_or_else(|| DomainError::invalid(&["body", "savings_type"], "must not be empty"))?
        .to_lowercase();
    let description = text::optional_text(Some(input.description), 500)
        .map_err(|m| DomainError::invalid(&["body", "description"], m))?
        .ok_or_else(|| DomainError::invalid(&["body", "description"], "must not be empty"))?;
    if let Some(c) = input.confidence_score
        && !(0.0..=1.0).contains(&c)
    {
        return Err(DomainError::invalid(&["body", "confidence_score"], "must be between 0 and 1"));
    }
    let category = input
        .category
        .map(|c| category::parse(&c))
        .transpose()
        .map_err(|m| DomainError::invalid(&["body", "category"], m))?;
    let today = state.locales.of(user_id).await?.today();
    let sql = format!(
        "INSERT INTO pam_savings_events (id, user_id, savings_type, baseline_cents, optimized_cents, actual_savings_cents, \
         predicted_savings_cents, description, verification_method, confidence_score, category, location, saved_on, \
         created_at, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (user_id, dedupe_key) DO UPDATE SET baseline_cents = excluded.baseline_cents, \
         optimized_cents = excluded.optimized_cents, actual_savings_cents = excluded.actual_savings_cents, \
         description = excluded.description, saved_on = excluded.saved_on RETURNING {COLUMNS}"
    );
    let event: SavingsEvent = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(&savings_type)
            .bind(baseline.cents())
            .bind(optimized.cents())
            .bind(actual.cents())
            .bind(input.predicted_savings.map(Money::cents))
            .bind(&description)
            .bind(&input.verification_method)
            .bind(input.confidence_score)
            .bind(&category)
            .bind(&input.location)
            .bind(today)
            .bind(Utc::now())
            .bind(&dedupe_key)
            .fetch_one(pool)
            .await
    })?;
    Ok(event)
}

pub async fn recent(state: &WinsState, user_id: Uuid, limit: i64) -> Result<Vec<SavingsEvent>, DomainError> {
    if !(1..=1000).contains(&limit) {
        return Err(DomainError::invalid(&["query", "limit"], "must be between 1 and 1000"));
    }
    let sql = format!("SELECT {COLUMNS} FROM pam_savings_events WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2");
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(limit).fetch_all(pool).await
    })?)
}

/// Every saving recorded for a user, oldest first (the account export).
pub async fn all(state: &WinsState, user_id: Uuid) -> Result<Vec<SavingsEvent>, DomainError> {
    let sql = format!("SELECT {COLUMNS} FROM pam_savings_events WHERE user_id = $1 ORDER BY created_at");
    Ok(with_db!(&state.db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await)?)
}

pub async fn in_month(
    state: &WinsState,
    user_id: Uuid,
    month_start: NaiveDate,
) -> Result<Vec<SavingsEvent>, DomainError> {
    let (first, last) = month_bounds(month_start);
    let sql = format!(
        "SELECT {COLUMNS} FROM pam_savings_events WHERE user_id = $1 AND saved_on >= $2 AND saved_on <= $3 ORDER BY created_at"
    );
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(first).bind(last).fetch_all(pool).await
    })?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Guarantee {
    pub guarantee_met: bool,
    #[schema(value_type = Amount)]
    pub total_savings: Money,
    #[schema(value_type = Amount)]
    pub subscription_cost: Money,
    #[schema(value_type = Amount)]
    pub savings_shortfall: Money,
    pub savings_events_count: usize,
    pub billing_period_start: NaiveDate,
    pub billing_period_end: NaiveDate,
    pub percentage_achieved: f64,
}

pub async fn guarantee(state: &WinsState, user_id: Uuid, month_start: NaiveDate) -> Result<Guarantee, DomainError> {
    let events = in_month(state, user_id, month_start).await?;
    let total = Money::from_cents(events.iter().map(|e| e.actual).sum());
    let cost = state.subscription_cost;
    let (first, last) = month_bounds(month_start);
    Ok(Guarantee {
        guarantee_met: total >= cost,
        total_savings: total,
        subscription_cost: cost,
        savings_shortfall: if total >= cost { Money::ZERO } else { cost - total },
        savings_events_count: events.len(),
        billing_period_start: first,
        billing_period_end: last,
        percentage_achieved: if cost.cents() == 0 {
            100.0
        } else {
            (total.cents() as f64 * 1000.0 / cost.cents() as f64).round() / 10.0
        },
    })
}

/// Parses `YYYY-MM` or the front end's `YYYY-MM-DD` into the first day of that month.
pub fn parse_month(raw: &str) -> Result<NaiveDate, DomainError> {
    let raw = raw.trim();
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d"))
        .map_err(|_| DomainError::invalid(&["query", "month"], "must be YYYY-MM or YYYY-MM-DD"))?;
    text::plausible_date(date).map_err(|m| DomainError::invalid(&["query", "month"], m))?;
    Ok(month_bounds(date).0)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DetectedSaving {
    pub savings_type: String,
    pub category: String,
    #[schema(value_type = Amount)]
    pub baseline_cost: Money,
    #[schema(value_type = Amount)]
    pub optimized_cost: Money,
    #[schema(value_type = Amount)]
    pub actual_savings: Money,
    pub description: String,
}

/// Heuristics over the user's own history: this month's average fuel fill and campground night against
/// their average over the three months before. A cheaper average this month, times this month's count,
/// is a saving. Detected savings are returned, and recorded when `record` is true.
pub async fn detect(state: &WinsState, user_id: Uuid, record_them: bool) -> Result<Vec<DetectedSaving>, DomainError> {
    let today = state.locales.of(user_id).await?.today();
    let (month_start, _) = month_bounds(today);
    let history_start = months_back(today, 3);
    let now = expenses::in_range(state, user_id, month_start, today).await?;
    let before =
        expenses::in_range(state, user_id, history_start, month_start.pred_opt().unwrap_or(month_start)).await?;
    let mut found = Vec::new();
    for (cat, kind, what) in [("fuel", "fuel", "fill-up"), ("campground", "camping", "campground stay")] {
        let this: Vec<Money> = now.iter().filter(|e| category::means(&e.category, cat)).map(|e| e.amount).collect();
        let past: Vec<Money> = before.iter().filter(|e| category::means(&e.category, cat)).map(|e| e.amount).collect();
        if this.is_empty() || past.len() < 2 {
            continue;
        }
        let avg_past = past.iter().copied().sum::<Money>().cents() / past.len() as i64;
        let spent: Money = this.iter().copied().sum();
        let baseline = Money::from_cents(avg_past.saturating_mul(this.len() as i64));
        if baseline > spent {
            found.push(DetectedSaving {
                savings_type: kind.into(),
                category: cat.into(),
                baseline_cost: baseline,
                optimized_cost: spent,
                actual_savings: baseline - spent,
                description: format!(
                    "{} {what}s this month averaged {} against your usual {}",
                    this.len(),
                    Money::from_cents(spent.cents() / this.len() as i64).to_decimal_string(),
                    Money::from_cents(avg_past).to_decimal_string()
                ),
            });
        }
    }
    if record_them {
        for d in &found {
            let input = NewSavings {
                savings_type: d.savings_type.clone(),
                baseline_cost: d.baseline_cost,
                optimized_cost: CostOrZero(d.optimized_cost),
                predicted_savings: None,
                description: d.description.clone(),
                verification_method: Some("expense_history".into()),
                confidence_score: Some(0.6),
                category: Some(d.category.clone()),
                location: None,
                actual_savings: None,
            };
            let key = format!("detect:{}:{}:expense_history", month_key(month_start), d.savings_type);
            insert(state, user_id, input, Some(key)).await?;
        }
    }
    Ok(found)
}
