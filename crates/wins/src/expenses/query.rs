//! Reading expenses: the checked list filter, one-query pages with totals, and the ranges reports use.

use chrono::NaiveDate;
use pam_kernel::{DomainError, Money, Page};
use pam_store::with_db;
use uuid::Uuid;

use super::{Expense, ExpenseList, ExpenseRow};
use crate::{WinsState, category};

/// A checked filter: category as stored, date range in order.
pub struct Filter {
    /// The category as the client wrote it (echoed back).
    pub category: Option<String>,
    /// What it is matched by: case and spacing folded.
    key: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Filter {
    pub fn parse(
        category_text: Option<&str>,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Result<Filter, DomainError> {
        let category = category_text
            .map(category::parse)
            .transpose()
            .map_err(|m| DomainError::invalid(&["query", "category"], m))?;
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            return Err(DomainError::invalid(&["query", "start_date"], "must not be after end_date"));
        }
        let key = category.as_deref().map(category::key);
        Ok(Filter { category, key, start, end })
    }
}

impl Filter {
    /// The WHERE clause with only the filters given (so the common, unfiltered list is the plainest query
    /// for the planner), and the next free placeholder number.
    fn clause(&self) -> (String, usize) {
        let mut sql = String::from("user_id = $1");
        let mut n = 2;
        for (present, condition) in [
            (self.key.is_some(), "category_key = "),
            (self.start.is_some(), "expense_date >= "),
            (self.end.is_some(), "expense_date <= "),
        ] {
            if present {
                sql.push_str(&format!(" AND {condition}${n}"));
                n += 1;
            }
        }
        (sql, n)
    }
}

/// Binds a filter's present values in the order `Filter::clause` numbered them.
macro_rules! bind_filter {
    ($query:expr, $user_id:expr, $filter:expr) => {{
        let mut q = $query.bind($user_id);
        if let Some(k) = &$filter.key {
            q = q.bind(k);
        }
        if let Some(s) = $filter.start {
            q = q.bind(s);
        }
        if let Some(e) = $filter.end {
            q = q.bind(e);
        }
        q
    }};
}

/// A page of rows with the totals of all matches, computed in the same query (window functions run
/// before LIMIT), so a list costs one round trip.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    row: ExpenseRow,
    total_count: i64,
    total_cents: i64,
}

pub async fn list(state: &WinsState, user_id: Uuid, filter: &Filter, page: Page) -> Result<ExpenseList, DomainError> {
    let (clause, n) = filter.clause();
    let rows_sql = format!(
        "SELECT *, count(*) OVER () AS total_count, CAST(SUM(amount_cents) OVER () AS BIGINT) AS total_cents \
         FROM expenses WHERE {clause} ORDER BY expense_date DESC, created_at DESC LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows: Vec<ListedRow> = with_db!(&state.db, |pool| {
        bind_filter!(sqlx::query_as(sqlx::AssertSqlSafe(rows_sql)), user_id, filter)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await
    })?;
    let (total, total_cents) = match rows.first() {
        Some(first) => (first.total_count, first.total_cents),
        // An empty page (no matches, or an offset past the end) still reports the totals.
        None => {
            let totals_sql =
                format!("SELECT count(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM expenses WHERE {clause}");
            with_db!(&state.db, |pool| {
                bind_filter!(sqlx::query_as(sqlx::AssertSqlSafe(totals_sql)), user_id, filter).fetch_one(pool).await
            })?
        }
    };
    Ok(ExpenseList {
        expenses: rows.into_iter().map(|r| Expense::from(r.row)).collect(),
        meta: page.meta(total),
        total_amount: Money::from_cents(total_cents),
    })
}

/// Every expense of a user in a date range (inclusive), oldest first: the input of reports.
pub async fn in_range(
    state: &WinsState,
    user_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<Expense>, DomainError> {
    let rows: Vec<ExpenseRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT * FROM expenses WHERE user_id = $1 AND expense_date >= $2 AND expense_date <= $3 \
             ORDER BY expense_date, created_at",
        )
        .bind(user_id)
        .bind(start)
        .bind(end)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(Expense::from).collect())
}

/// Every expense of a user, oldest first (the account export).
pub async fn all(state: &WinsState, user_id: Uuid) -> Result<Vec<Expense>, DomainError> {
    let rows: Vec<ExpenseRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM expenses WHERE user_id = $1 ORDER BY expense_date, created_at")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(Expense::from).collect())
}

/// The categories the user has used or budgeted for, as they spell them (budgets first).
pub async fn categories(state: &WinsState, user_id: Uuid) -> Result<Vec<String>, DomainError> {
    let rows: Vec<String> = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT category FROM budgets WHERE user_id = $1 \
             UNION ALL SELECT DISTINCT category FROM expenses WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows.into_iter().filter(|c| seen.insert(category::key(c))).collect())
}
