//! Expenses: the service both the REST routes and PAM's tools call.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::Patch;
use pam_kernel::money::Amount;
use pam_kernel::text;
use pam_kernel::text::{Link, PlausibleDate, Tag};
use pam_kernel::{DomainError, FieldError};
use pam_kernel::{ListMeta, Locale, Money};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::WinsState;
use crate::{alerts, category};

mod query;
pub use query::{Filter, all, categories, in_range, list};

/// A new expense. `date` defaults to today in the user's time zone.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewExpense {
    pub amount: Money,
    /// The user's own word for it, 1–50 characters (inner spaces collapsed).
    #[schema(
        example = "fuel",
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: String,
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// `YYYY-MM-DD` (1970–2100); today in the user's zone when left out.
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    #[schema(max_length = 200)]
    pub location: Option<String>,
    /// At most 20, each at most 50 characters; stored trimmed, lowercased and without repeats.
    #[serde(default)]
    #[schema(value_type = Vec<Tag>, max_items = 20)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Link>)]
    pub receipt_url: Option<String>,
}

/// Partial update: fields present replace, `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ExpenseUpdate {
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = Money)]
    pub amount: Patch<Money>,
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 50, pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")]
    pub category: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub description: Patch<String>,
    /// Not nullable.
    #[serde(default)]
    #[schema(value_type = PlausibleDate)]
    pub date: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub location: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20)]
    pub tags: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Link>)]
    pub receipt_url: Patch<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Expense {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: Money,
    pub currency: String,
    pub category: String,
    pub description: Option<String>,
    pub date: NaiveDate,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub receipt_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ExpenseRow {
    id: Uuid,
    user_id: Uuid,
    amount_cents: i64,
    currency: String,
    category: String,
    description: Option<String>,
    expense_date: NaiveDate,
    location: Option<String>,
    tags: SqlJson<Vec<String>>,
    receipt_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ExpenseRow> for Expense {
    fn from(r: ExpenseRow) -> Expense {
        Expense {
            id: r.id,
            user_id: r.user_id,
            amount: Money::from_cents(r.amount_cents),
            currency: r.currency,
            category: r.category,
            description: r.description,
            date: r.expense_date,
            location: r.location,
            tags: r.tags.0,
            receipt_url: r.receipt_url,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpenseFilter {
    /// A category, as the user spells it (case and spacing aside).
    #[param(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: Option<String>,
    /// Not after `end_date`.
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
pub struct ExpenseList {
    pub expenses: Vec<Expense>,
    #[serde(flatten)]
    pub meta: ListMeta,
    /// The sum over every match, not only this page.
    #[schema(value_type = Amount)]
    pub total_amount: Money,
}

/// The checked fields of an expense, ready to store.
struct Checked {
    amount: Money,
    category: String,
    description: Option<String>,
    date: NaiveDate,
    location: Option<String>,
    tags: Vec<String>,
    receipt_url: Option<String>,
}

fn check(
    amount: Money,
    category_text: &str,
    description: Option<String>,
    date: NaiveDate,
    location: Option<String>,
    tags: Vec<String>,
    receipt_url: Option<String>,
) -> Result<Checked, DomainError> {
    let mut errors = Vec::new();
    let mut field = |name: &str, r: Result<(), String>| {
        if let Err(m) = r {
            errors.push(FieldError::new(&["body", name], m, "value_error"));
        }
    };
    let category = category::parse(category_text);
    field("category", category.as_ref().map(|_| ()).map_err(Clone::clone));
    let description = text::optional_text(description, 500);
    field("description", description.as_ref().map(|_| ()).map_err(Clone::clone));
    let location = text::optional_text(location, 200);
    field("location", location.as_ref().map(|_| ()).map_err(Clone::clone));
    let tags = text::tags(tags);
    field("tags", tags.as_ref().map(|_| ()).map_err(Clone::clone));
    let receipt_url = text::url(receipt_url);
    field("receipt_url", receipt_url.as_ref().map(|_| ()).map_err(Clone::clone));
    field("date", text::plausible_date(date));
    match (category, description, location, tags, receipt_url) {
        (Ok(category), Ok(description), Ok(location), Ok(tags), Ok(receipt_url)) if errors.is_empty() => {
            Ok(Checked { amount, category, description, date, location, tags, receipt_url })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(state: &WinsState, user_id: Uuid, input: NewExpense) -> Result<Expense, DomainError> {
    let locale = state.locales.of(user_id).await?;
    create_in(state, user_id, &locale, input).await
}

/// Creates it with a locale the caller already has: a PAM turn's (whose zone may come from the chat
/// context) decides what "today" is when no date is given.
pub async fn create_in(
    state: &WinsState,
    user_id: Uuid,
    locale: &Locale,
    input: NewExpense,
) -> Result<Expense, DomainError> {
    let date = input.date.unwrap_or_else(|| locale.today());
    let c =
        check(input.amount, &input.category, input.description, date, input.location, input.tags, input.receipt_url)?;
    let now = Utc::now();
    let row: ExpenseRow = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO expenses (id, user_id, amount_cents, currency, category, description, expense_date, location, \
             tags, receipt_url, created_at, updated_at, category_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING *",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(c.amount.cents())
        .bind(&locale.currency)
        .bind(&c.category)
        .bind(&c.description)
        .bind(c.date)
        .bind(&c.location)
        .bind(SqlJson(&c.tags))
        .bind(&c.receipt_url)
        .bind(now)
        .bind(category::key(&c.category))
        .fetch_one(pool)
        .await
    })?;
    let expense = Expense::from(row);
    after_spending(state, user_id, &expense).await;
    tracing::info!(user.id = %user_id, expense.id = %expense.id, "expense recorded");
    Ok(expense)
}

pub async fn get(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<Expense, DomainError> {
    let row: Option<ExpenseRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM expenses WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.map(Expense::from).ok_or_else(|| DomainError::not_found("Expense"))
}

pub async fn update(state: &WinsState, user_id: Uuid, id: Uuid, u: ExpenseUpdate) -> Result<Expense, DomainError> {
    let current = get(state, user_id, id).await?;
    let amount = match u.amount {
        Patch::Value(m) => m,
        Patch::Null => return Err(DomainError::invalid(&["body", "amount"], "must not be null")),
        Patch::Absent => current.amount,
    };
    let category_text = match u.category {
        Patch::Value(c) => c,
        Patch::Null => return Err(DomainError::invalid(&["body", "category"], "must not be null")),
        Patch::Absent => current.category.clone(),
    };
    let date = match u.date {
        Patch::Value(d) => d,
        Patch::Null => return Err(DomainError::invalid(&["body", "date"], "must not be null")),
        Patch::Absent => current.date,
    };
    let c = check(
        amount,
        &category_text,
        u.description.apply(current.description),
        date,
        u.location.apply(current.location),
        u.tags.apply(Some(current.tags)).unwrap_or_default(),
        u.receipt_url.apply(current.receipt_url),
    )?;
    let row: Option<ExpenseRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE expenses SET amount_cents = $3, category = $4, description = $5, expense_date = $6, location = $7, \
             tags = $8, receipt_url = $9, updated_at = $10, category_key = $11 WHERE id = $1 AND user_id = $2 RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(c.amount.cents())
        .bind(&c.category)
        .bind(&c.description)
        .bind(c.date)
        .bind(&c.location)
        .bind(SqlJson(&c.tags))
        .bind(&c.receipt_url)
        .bind(Utc::now())
        .bind(category::key(&c.category))
        .fetch_optional(pool)
        .await
    })?;
    let expense = row.map(Expense::from).ok_or_else(|| DomainError::not_found("Expense"))?;
    after_spending(state, user_id, &expense).await;
    Ok(expense)
}

/// Budget alerts for the expense's category. The expense is stored whatever happens here: a failure is
/// logged, never turned into an error (a client retrying that error would store the expense twice); the
/// next expense in the category checks again.
async fn after_spending(state: &WinsState, user_id: Uuid, expense: &Expense) {
    if let Err(e) = alerts::check_after_spending(state, user_id, &expense.category, expense.date).await {
        tracing::warn!(user.id = %user_id, expense.id = %expense.id, error = %e, "could not check budget alerts");
    }
}

pub async fn delete(state: &WinsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    pam_kernel::owned::delete(&state.db, "expenses", id, user_id, "Expense").await
}
