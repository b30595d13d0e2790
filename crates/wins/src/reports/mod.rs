//! Reports over a user's own money data: summary, budget status, forecast, savings opportunities.
//! Dates are the user's local dates; "this month" is computed in their zone.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use pam_kernel::DomainError;
use pam_kernel::Money;
use pam_kernel::Period;
use pam_kernel::locale::{month_bounds, month_key};
use pam_kernel::money::Amount;
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::WinsState;
use crate::expenses::{self, Expense};
use crate::{alerts, budgets, category, income};

mod outlook;

pub use outlook::{
    CategoryForecast, Forecast, SavingsOpportunities, SavingsOpportunity, forecast, savings_opportunities,
};

pub async fn spent_in_category(
    state: &WinsState,
    user_id: Uuid,
    category: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Money, DomainError> {
    let cents: i64 = with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM expenses \
             WHERE user_id = $1 AND category_key = $2 AND expense_date >= $3 AND expense_date <= $4",
        )
        .bind(user_id)
        .bind(category::key(category))
        .bind(start)
        .bind(end)
        .fetch_one(pool)
        .await
    })?;
    Ok(Money::from_cents(cents))
}

/// Spending per category (the user's own, matched by key and named by its latest spelling), largest
/// first.
pub fn by_category(expenses: &[Expense]) -> Vec<(String, Money, usize)> {
    let mut map: BTreeMap<String, (String, Money, usize)> = BTreeMap::new();
    for e in expenses {
        let slot = map.entry(category::key(&e.category)).or_insert((e.category.clone(), Money::ZERO, 0));
        slot.0.clone_from(&e.category);
        slot.1 = slot.1 + e.amount;
        slot.2 += 1;
    }
    let mut out: Vec<_> = map.into_values().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Spending per canonical category with each one's share of `total`.
fn category_totals(expenses: &[Expense], total: Money) -> Vec<CategoryTotal> {
    by_category(expenses)
        .into_iter()
        .map(|(category, amount, count)| CategoryTotal { category, amount, count, percent: percent(amount, total) })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryTotal {
    pub category: String,
    #[schema(value_type = Amount)]
    pub amount: Money,
    pub count: usize,
    /// Share of all expenses in the period, 0–100, one decimal.
    pub percent: f64,
}

/// What a summary covers: the last `days` days (default 30), or a named `period`, optionally with the
/// spending of one `category` picked out. The REST query and PAM's tool take the same shape.
#[derive(Debug, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryRequest {
    /// Days back from today, inclusive (1–3660; default 30).
    #[param(minimum = 1, maximum = 3660)]
    #[schema(minimum = 1, maximum = 3660)]
    pub days: Option<i64>,
    /// A named period instead of `days`: today, this_week, last_week, this_month, last_month, this_year.
    pub period: Option<Period>,
    /// A calendar month instead of `days` or `period`, as `YYYY-MM` ("how much did we spend in June").
    /// The month still running ends today.
    #[param(pattern = r"^\d{4}-(0[1-9]|1[0-2])$", example = "2026-06")]
    #[schema(pattern = r"^\d{4}-(0[1-9]|1[0-2])$", example = "2026-06")]
    pub month: Option<String>,
    /// A spending category to report on its own as well (synonyms such as "diesel" or "servo" count).
    pub category: Option<String>,
}

/// One category's spending in the summary's span.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategorySpend {
    pub category: String,
    #[schema(value_type = Amount)]
    pub amount: Money,
    pub count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    pub days: i64,
    /// The named period asked for, if one was.
    pub period: Option<Period>,
    /// The calendar month asked for (`YYYY-MM`), if one was.
    pub month: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub currency: String,
    #[schema(value_type = Amount)]
    pub income: Money,
    #[schema(value_type = Amount)]
    pub expenses: Money,
    /// Income minus expenses (may be negative).
    pub net: f64,
    pub expense_count: usize,
    #[schema(value_type = Amount)]
    pub daily_average: Money,
    pub categories: Vec<CategoryTotal>,
    /// The category asked about, when one was.
    pub category: Option<CategorySpend>,
}

/// The first day of a month written `YYYY-MM`, within the years a user's data can hold.
fn calendar_month(text: &str) -> Result<NaiveDate, DomainError> {
    let invalid = || DomainError::invalid(&["query", "month"], "must be a month written YYYY-MM, such as 2026-06");
    let (year, month) = text.split_once('-').ok_or_else(invalid)?;
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(invalid());
    }
    let first = NaiveDate::from_ymd_opt(year.parse().map_err(|_| invalid())?, month.parse().map_err(|_| invalid())?, 1)
        .ok_or_else(invalid)?;
    pam_kernel::text::plausible_date(first).map_err(|m| DomainError::invalid(&["query", "month"], m))?;
    Ok(first)
}

fn percent(part: Money, whole: Money) -> f64 {
    if whole.cents() == 0 { 0.0 } else { (part.cents() as f64 * 1000.0 / whole.cents() as f64).round() / 10.0 }
}

pub async fn summary(state: &WinsState, user_id: Uuid, request: &SummaryRequest) -> Result<Summary, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let today = locale.today();
    let month = request.month.as_deref().map(calendar_month).transpose()?;
    let (start, end) = match (request.days, request.period, month) {
        (Some(_), Some(_), None) => {
            return Err(DomainError::invalid(&["query", "period"], "give one of days, period or month"));
        }
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            return Err(DomainError::invalid(&["query", "month"], "give one of days, period or month"));
        }
        (_, Some(period), _) => period.bounds(today),
        (_, _, Some(first)) => {
            let (start, last) = month_bounds(first);
            (start, last.min(today))
        }
        (days, None, None) => {
            let days = days.unwrap_or(30);
            if !(1..=3660).contains(&days) {
                return Err(DomainError::invalid(&["query", "days"], "must be between 1 and 3660"));
            }
            (today - Duration::days(days - 1), today)
        }
    };
    if start > today {
        return Err(DomainError::invalid(&["query", "month"], "must not be a month still to come"));
    }
    let days = (end - start).num_days() + 1;
    let spent = expenses::in_range(state, user_id, start, end).await?;
    let income = income::total_in_range(state, user_id, start, end).await?;
    let total: Money = spent.iter().map(|e| e.amount).sum();
    let focus = request.category.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(|asked| {
        let wanted = category::resolve_inferred(asked, &[]);
        let matching: Vec<&Expense> = spent
            .iter()
            .filter(|e| category::key(&e.category) == category::key(&wanted) || category::means(&e.category, &wanted))
            .collect();
        CategorySpend {
            category: matching
                .last()
                .map(|e| e.category.clone())
                .unwrap_or_else(|| category::resolve_inferred(asked, &[])),
            amount: matching.iter().map(|e| e.amount).sum(),
            count: matching.len(),
        }
    });
    Ok(Summary {
        days,
        period: request.period,
        month: month.map(|_| start.format("%Y-%m").to_string()),
        start_date: start,
        end_date: end,
        currency: locale.currency,
        income,
        expenses: total,
        net: (income - total).as_f64(),
        expense_count: spent.len(),
        daily_average: Money::from_cents(total.cents() / days.max(1)),
        categories: category_totals(&spent, total),
        category: focus,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetStatusItem {
    pub category: String,
    pub monthly_limit: Money,
    #[schema(value_type = Amount)]
    pub spent: Money,
    /// Limit minus spent; negative when over.
    pub remaining: f64,
    pub percent_used: f64,
    /// `under`, `near` (at or past the alert threshold) or `over` (past the limit).
    pub status: &'static str,
    pub alert_threshold: i32,
    pub alert: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetStatus {
    /// `YYYY-MM` in the user's zone.
    pub month: String,
    pub currency: String,
    pub items: Vec<BudgetStatusItem>,
    #[schema(value_type = Amount)]
    pub total_budget: Money,
    #[schema(value_type = Amount)]
    pub total_spent: Money,
    pub alerts: Vec<alerts::BudgetAlert>,
}

pub async fn budget_status(state: &WinsState, user_id: Uuid) -> Result<BudgetStatus, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let today = locale.today();
    let (first, last) = month_bounds(today);
    let spent = expenses::in_range(state, user_id, first, last).await?;
    let mut items = Vec::new();
    for b in budgets::all(state, user_id).await? {
        let key = category::key(&b.category);
        let used: Money = spent.iter().filter(|e| category::key(&e.category) == key).map(|e| e.amount).sum();
        let percent_used = percent(used, b.monthly_limit);
        let status = if used > b.monthly_limit {
            "over"
        } else if percent_used >= b.alert_threshold as f64 {
            "near"
        } else {
            "under"
        };
        items.push(BudgetStatusItem {
            category: b.category,
            monthly_limit: b.monthly_limit,
            spent: used,
            remaining: (b.monthly_limit - used).as_f64(),
            percent_used,
            status,
            alert_threshold: b.alert_threshold,
            alert: status != "under",
        });
    }
    Ok(BudgetStatus {
        month: month_key(today),
        currency: locale.currency,
        total_budget: items.iter().map(|i| i.monthly_limit).sum(),
        total_spent: items.iter().map(|i| i.spent).sum(),
        items,
        alerts: alerts::for_month(state, user_id, &month_key(today)).await?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseReport {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub currency: String,
    pub expenses: Vec<Expense>,
    pub categories: Vec<CategoryTotal>,
    #[schema(value_type = Amount)]
    pub total: Money,
}

/// Expenses of a period (default: this month) with totals, for the JSON and CSV reports.
pub async fn report(
    state: &WinsState,
    user_id: Uuid,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<ExpenseReport, DomainError> {
    let locale = state.locales.of(user_id).await?;
    let (month_start, _) = month_bounds(locale.today());
    let (start, end) = (start.unwrap_or(month_start), end.unwrap_or(locale.today()));
    if start > end {
        return Err(DomainError::invalid(&["query", "start_date"], "must not be after end_date"));
    }
    let spent = expenses::in_range(state, user_id, start, end).await?;
    let total: Money = spent.iter().map(|e| e.amount).sum();
    Ok(ExpenseReport {
        start_date: start,
        end_date: end,
        currency: locale.currency,
        categories: category_totals(&spent, total),
        total,
        expenses: spent,
    })
}

/// The report as CSV: a header, one row per expense, fields quoted where needed.
pub fn report_csv(report: &ExpenseReport) -> Result<String, DomainError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| DomainError::Internal(e.into());
    writer
        .write_record(["date", "category", "amount", "currency", "description", "location", "tags"])
        .map_err(internal)?;
    for e in &report.expenses {
        writer
            .write_record([
                e.date.to_string(),
                e.category.clone(),
                e.amount.to_decimal_string(),
                e.currency.clone(),
                e.description.clone().unwrap_or_default(),
                e.location.clone().unwrap_or_default(),
                e.tags.join(";"),
            ])
            .map_err(internal)?;
    }
    let bytes = writer.into_inner().map_err(|e| DomainError::Internal(anyhow::anyhow!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| DomainError::Internal(e.into()))
}
