//! Income entries.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::DomainError;
use pam_kernel::money::Amount;
use pam_kernel::text;
use pam_kernel::text::PlausibleDate;
use pam_kernel::{ListMeta, Page};
use pam_kernel::{Locale, Money};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::WinsState;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IncomeType {
    Salary,
    Pension,
    Investment,
    SideHustle,
    Other,
}

impl IncomeType {
    fn as_str(self) -> &'static str {
        match self {
            IncomeType::Salary => "salary",
            IncomeType::Pension => "pension",
            IncomeType::Investment => "investment",
            IncomeType::SideHustle => "side_hustle",
            IncomeType::Other => "other",
        }
    }
    fn from_db(s: &str) -> IncomeType {
        match s {
            "salary" => IncomeType::Salary,
            "pension" => IncomeType::Pension,
            "investment" => IncomeType::Investment,
            "side_hustle" => IncomeType::SideHustle,
            _ => IncomeType::Other,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewIncome {
    pub amount: Money,
    /// Where it came from ("Age pension", "Camp host wages"), 1–100 characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub source: String,
    #[serde(rename = "type", default = "other")]
    pub income_type: IncomeType,
    /// `YYYY-MM-DD` (1970–2100); today in the user's zone when left out.
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

fn other() -> IncomeType {
    IncomeType::Other
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IncomeUpdate {
    pub amount: Option<Money>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub source: Option<String>,
    #[serde(rename = "type")]
    pub income_type: Option<IncomeType>,
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Income {
    pub id: Uuid,
    pub amount: Money,
    pub currency: String,
    pub source: String,
    #[serde(rename = "type")]
    pub income_type: IncomeType,
    pub date: NaiveDate,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct IncomeRow {
    id: Uuid,
    amount_cents: i64,
    currency: String,
    source: String,
    income_type: String,
    income_date: NaiveDate,
    description: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<IncomeRow> for Income {
    fn from(r: IncomeRow) -> Income {
        Income {
            id: r.id,
            amount: Money::from_cents(r.amount_cents),
            currency: r.currency,
            source: r.source,
            income_type: IncomeType::from_db(&r.income_type),
            date: r.income_date,
            description: r.description,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncomeFilter {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// 0 or more, default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncomeList {
    pub income: Vec<Income>,
    #[serde(flatten)]
    pub meta: ListMeta,
    #[schema(value_type = Amount)]
    pub total_amount: Money,
}

const COLUMNS: &str = "id, amount_cents, currency, source, income_type, income_date, description, created_at";

fn check_texts(
    source: String,
    description: Option<String>,
    date: NaiveDate,
) -> Result<(String, Option<String>), DomainError> {
    let source = text::optional_text(Some(source), 100)
        .map_err(|m| DomainError::invalid(&["body", "source"], m))?
        .ok_or_else(|| DomainError::invalid(&["body", "source"], "must not be empty"))?;
    let description =
        text::optional_text(description, 500).map_err(|m| DomainError::invalid(&["body", "description"], m))?;
    text::plausible_date(date).map_err(|m| DomainError::invalid(&["body", "date"], m))?;
    Ok((source, description))
}

pub async fn create(state: &WinsState, user_id: Uuid, input: NewIncome) -> Result<Income, DomainError> {
    let locale = state.locales.of(user_id).await?;
    create_in(state, user_id, &locale, input).await
}

/// Creates it with a locale the caller already has: a PAM turn's (whose zone may come from the chat
/// context) decides what "today" is when no date is given.
pub async fn create_in(
    state: &WinsState,
    user_id: Uuid,
    locale: &Locale,
    input: NewIncome,
) -> Result<Income, DomainError> {
    let date = input.date.unwrap_or_else(|| locale.today());
    let (source, description) = check_texts(input.source, input.description, date)?;
    let now = Utc::now();
    let sql = format!(
        "INSERT INTO income_entries (id, user_id, amount_cents, currency, source, income_type, income_date, description, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {COLUMNS}"
    );
    let row: IncomeRow = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(input.amount.cents())
            .bind(&locale.currency)
            .bind(&source)
            .bind(input.income_type.as_str())
            .bind(date)
            .bind(&description)
            .bind(now)
            .fetch_one(pool)
            .await
    })?;
    Ok(row.into())
}

pub async fn get(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<Income, DomainError> {
    let sql = format!("SELECT {COLUMNS} FROM income_entries WHERE id = $1 AND user_id = $2");
    let row: Option<IncomeRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(user_id).fetch_optional(pool).await
    })?;
    row.map(Income::from).ok_or_else(|| DomainError::not_found("Income entry"))
}

pub async fn update(state: &WinsState, user_id: Uuid, id: Uuid, u: IncomeUpdate) -> Result<Income, DomainError> {
    let current = get(state, user_id, id).await?;
    let date = u.date.unwrap_or(current.date);
    let (source, description) =
        check_texts(u.source.unwrap_or(current.source), u.description.or(current.description), date)?;
    let sql = format!(
        "UPDATE income_entries SET amount_cents = $3, source = $4, income_type = $5, income_date = $6, description = $7, \
         updated_at = $8 WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}"
    );
    let row: Option<IncomeRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(user_id)
            .bind(u.amount.unwrap_or(current.amount).cents())
            .bind(&source)
            .bind(u.income_type.unwrap_or(current.income_type).as_str())
            .bind(date)
            .bind(&description)
            .bind(Utc::now())
            .fetch_optional(pool)
            .await
    })?;
    row.map(Income::from).ok_or_else(|| DomainError::not_found("Income entry"))
}

pub async fn delete(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "income_entries", id, user_id, "Income entry").await
}

pub async fn list(
    state: &WinsState,
    user_id: Uuid,
    filter: &IncomeFilter,
    page: Page,
) -> Result<IncomeList, DomainError> {
    let cond = "user_id = $1 AND ($2 IS NULL OR income_date >= $2) AND ($3 IS NULL OR income_date <= $3)";
    let rows_sql =
        format!("SELECT {COLUMNS} FROM income_entries WHERE {cond} ORDER BY income_date DESC LIMIT $4 OFFSET $5");
    let totals_sql =
        format!("SELECT count(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM income_entries WHERE {cond}");
    let (rows, (total, cents)): (Vec<IncomeRow>, (i64, i64)) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(user_id)
            .bind(filter.start_date)
            .bind(filter.end_date)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?;
        let totals = sqlx::query_as(sqlx::AssertSqlSafe(totals_sql))
            .bind(user_id)
            .bind(filter.start_date)
            .bind(filter.end_date)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, totals))
    })?;
    Ok(IncomeList {
        income: rows.into_iter().map(Income::from).collect(),
        meta: page.meta(total),
        total_amount: Money::from_cents(cents),
    })
}

/// Total income in a date range.
pub async fn total_in_range(
    state: &WinsState,
    user_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Money, DomainError> {
    let filter = IncomeFilter { start_date: Some(start), end_date: Some(end), limit: None, offset: None };
    Ok(list(state, user_id, &filter, Page { limit: 1, offset: 0 }).await?.total_amount)
}

/// Every income entry of a user, oldest first (the account export).
pub async fn all(state: &WinsState, user_id: Uuid) -> Result<Vec<Income>, DomainError> {
    let rows: Vec<IncomeRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM income_entries WHERE user_id = $1 ORDER BY income_date, created_at")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(Income::from).collect())
}
