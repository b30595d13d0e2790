//! Budgets: one monthly limit per user and category.

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::{ListMeta, Page};
use pam_store::{is_unique_violation, with_db};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::WinsState;
use crate::category;

pub const DEFAULT_ALERT_THRESHOLD: i32 = 80;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewBudget {
    #[schema(
        example = "fuel",
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: String,
    pub monthly_limit: Money,
    /// Percent of the limit at which to alert (1–100, default 80).
    #[schema(minimum = 1, maximum = 100)]
    pub alert_threshold: Option<i32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BudgetUpdate {
    pub monthly_limit: Option<Money>,
    /// Percent of the limit at which to alert (1–100).
    #[schema(minimum = 1, maximum = 100)]
    pub alert_threshold: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Budget {
    pub id: Uuid,
    pub category: String,
    pub monthly_limit: Money,
    pub alert_threshold: i32,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct BudgetRow {
    id: Uuid,
    category: String,
    monthly_limit_cents: i64,
    alert_threshold: i32,
    currency: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<BudgetRow> for Budget {
    fn from(r: BudgetRow) -> Budget {
        Budget {
            id: r.id,
            category: r.category,
            monthly_limit: Money::from_cents(r.monthly_limit_cents),
            alert_threshold: r.alert_threshold,
            currency: r.currency,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetList {
    pub budgets: Vec<Budget>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

fn threshold(raw: Option<i32>) -> Result<i32, DomainError> {
    match raw.unwrap_or(DEFAULT_ALERT_THRESHOLD) {
        t @ 1..=100 => Ok(t),
        _ => Err(DomainError::invalid(&["body", "alert_threshold"], "must be between 1 and 100")),
    }
}

const COLUMNS: &str = "id, category, monthly_limit_cents, alert_threshold, currency, created_at, updated_at";

pub async fn create(state: &WinsState, user_id: Uuid, input: NewBudget) -> Result<Budget, DomainError> {
    let category = category::parse(&input.category).map_err(|m| DomainError::invalid(&["body", "category"], m))?;
    let threshold = threshold(input.alert_threshold)?;
    let currency = state.locales.of(user_id).await?.currency;
    let now = Utc::now();
    let sql = format!(
        "INSERT INTO budgets (id, user_id, category, monthly_limit_cents, alert_threshold, currency, created_at, updated_at, \
         category_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING {COLUMNS}"
    );
    let inserted: Result<BudgetRow, sqlx::Error> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(&category)
            .bind(input.monthly_limit.cents())
            .bind(threshold)
            .bind(&currency)
            .bind(now)
            .bind(category::key(&category))
            .fetch_one(pool)
            .await
    });
    match inserted {
        Ok(row) => Ok(row.into()),
        Err(e) if is_unique_violation(&e) => {
            Err(DomainError::Conflict(format!("A budget for {category} already exists")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates the category's budget or changes its limit (what PAM's update_budget does).
pub async fn upsert(state: &WinsState, user_id: Uuid, input: NewBudget) -> Result<Budget, DomainError> {
    let category = category::parse(&input.category).map_err(|m| DomainError::invalid(&["body", "category"], m))?;
    match find_by_category(state, user_id, &category).await? {
        Some(existing) => {
            let update =
                BudgetUpdate { monthly_limit: Some(input.monthly_limit), alert_threshold: input.alert_threshold };
            self::update(state, user_id, existing.id, update).await
        }
        None => create(state, user_id, input).await,
    }
}

/// The budget for a category, however the user spells it this time.
pub async fn find_by_category(state: &WinsState, user_id: Uuid, category: &str) -> Result<Option<Budget>, DomainError> {
    let sql = format!("SELECT {COLUMNS} FROM budgets WHERE user_id = $1 AND category_key = $2");
    let row: Option<BudgetRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(category::key(category)).fetch_optional(pool).await
    })?;
    Ok(row.map(Budget::from))
}

pub async fn get(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<Budget, DomainError> {
    let sql = format!("SELECT {COLUMNS} FROM budgets WHERE id = $1 AND user_id = $2");
    let row: Option<BudgetRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(user_id).fetch_optional(pool).await
    })?;
    row.map(Budget::from).ok_or_else(|| DomainError::not_found("Budget"))
}

pub async fn update(state: &WinsState, user_id: Uuid, id: Uuid, u: BudgetUpdate) -> Result<Budget, DomainError> {
    let current = get(state, user_id, id).await?;
    let limit = u.monthly_limit.unwrap_or(current.monthly_limit);
    let threshold = threshold(Some(u.alert_threshold.unwrap_or(current.alert_threshold)))?;
    let sql = format!(
        "UPDATE budgets SET monthly_limit_cents = $3, alert_threshold = $4, updated_at = $5 \
         WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}"
    );
    let row: Option<BudgetRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(user_id)
            .bind(limit.cents())
            .bind(threshold)
            .bind(Utc::now())
            .fetch_optional(pool)
            .await
    })?;
    row.map(Budget::from).ok_or_else(|| DomainError::not_found("Budget"))
}

pub async fn delete(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "budgets", id, user_id, "Budget").await
}

pub async fn list(state: &WinsState, user_id: Uuid, page: Page) -> Result<BudgetList, DomainError> {
    let sql = format!("SELECT {COLUMNS} FROM budgets WHERE user_id = $1 ORDER BY category LIMIT $2 OFFSET $3");
    let (rows, total): (Vec<BudgetRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?;
        let total =
            sqlx::query_scalar("SELECT count(*) FROM budgets WHERE user_id = $1").bind(user_id).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(BudgetList { budgets: rows.into_iter().map(Budget::from).collect(), meta: page.meta(total) })
}

/// Every budget of a user (reports need them all).
pub async fn all(state: &WinsState, user_id: Uuid) -> Result<Vec<Budget>, DomainError> {
    Ok(list(state, user_id, Page { limit: 1000, offset: 0 }).await?.budgets)
}
