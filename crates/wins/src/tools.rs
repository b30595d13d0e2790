//! Wins' PAM tools: each a typed input and a thin call into the same services the REST routes use.

use chrono::NaiveDate;
use pam_kernel::Money;
use pam_kernel::locale::human_date;
use pam_kernel::{NoArguments, Tool, ToolContext, ToolOutput, UiAction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::WinsState;
use crate::budgets::{self, NewBudget};
use crate::expenses::{self, NewExpense};
use crate::income::{self, NewIncome};
use crate::reports::SummaryRequest;
use crate::routes_reports::ReportFormat;
use crate::savings::{self, NewSavings};
use crate::{category, chart, reports};

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteExpenseInput {
    pub expense_id: uuid::Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnalyzeBudgetInput {
    /// Months to look back over, including this one (default 3, at most 24).
    pub months: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CategorizeInput {
    /// What the transaction was, in the user's words ("diesel at the Dubbo servo").
    pub description: String,
    pub amount: Option<Money>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportReportInput {
    /// `json` (default) or `csv`.
    pub format: Option<ReportFormat>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
struct CategoryTrend {
    category: String,
    monthly: Vec<Money>,
    average: Money,
    /// `rising`, `falling` or `steady` (this month's pace against the earlier months' average).
    trend: &'static str,
}

pub fn tools(state: &WinsState) -> Vec<Tool> {
    vec![
        Tool::with_state(
            state.clone(),
            "create_expense",
            "Log an expense for the user. Categories: fuel, campground, groceries, dining, \
            maintenance, repairs, insurance, registration, utilities, internet, phone, entertainment, shopping, health, \
            transport, other (synonyms like diesel, servo, caravan park, rego are understood). Date defaults to today.",
            true,
            |state, ctx, mut input: NewExpense| async move {
                // PAM inferred the category from free text: put it in the user's own category for it.
                let own = expenses::categories(&state, ctx.user_id).await?;
                input.category = category::resolve_inferred(&input.category, &own);
                let e = expenses::create_in(&state, ctx.user_id, &ctx.locale, input).await?;
                let title =
                    e.description.clone().unwrap_or_else(|| format!("{} {}", e.category, e.amount.to_decimal_string()));
                let id = e.id;
                ToolOutput::changed(e, UiAction::reload_expenses().about("expense", id, title))
            },
        )
        .amounts_in_users_currency(),
        Tool::with_state(
            state.clone(),
            "delete_expense",
            "Delete one of the user's expenses (the user confirms first).",
            true,
            |state, ctx, input: DeleteExpenseInput| async move {
                expenses::delete(&state, ctx.user_id, input.expense_id).await?;
                let action = UiAction::reload_expenses().about("expense", input.expense_id, "deleted expense");
                ToolOutput::changed(json!({"deleted": input.expense_id}), action)
            },
        )
        .confirmed_with(
            state.clone(),
            |state: WinsState, ctx: ToolContext, input: DeleteExpenseInput| async move {
                let e = expenses::get(&state, ctx.user_id, input.expense_id).await?;
                let when = human_date(e.date, ctx.locale.today_at(&ctx.clock));
                Ok(format!("Delete the {} {} expense of {when}?", e.amount.display(&e.currency), e.category))
            },
        ),
        Tool::with_state(
            state.clone(),
            "get_spending_summary",
            "Income, expenses, net and spending per category over the last N days (default 30) or a named \
            period (today, this_week, last_week, this_month, last_month, this_year) or a calendar month \
            (month: YYYY-MM), optionally picking out one category.",
            false,
            |state, ctx, input: SummaryRequest| async move {
                ToolOutput::data(reports::summary(&state, ctx.user_id, &input).await?)
            },
        ),
        Tool::with_state(
            state.clone(),
            "analyze_budget",
            "Spending patterns: per-category monthly amounts over recent months, averages and trends.",
            false,
            |state, ctx, input: AnalyzeBudgetInput| async move {
                let months = input.months.unwrap_or(3);
                let data = chart::monthly_spending(&state, ctx.user_id, months).await?;
                let trends: Vec<CategoryTrend> = data
                    .series
                    .into_iter()
                    .map(|(category, monthly)| {
                        let total: Money = monthly.iter().copied().sum();
                        let average = Money::from_cents(total.cents() / (monthly.len().max(1) as i64));
                        let earlier = monthly.split_last().map(|(_, before)| before).unwrap_or_default();
                        let earlier_avg = if earlier.is_empty() {
                            0
                        } else {
                            earlier.iter().map(|m| m.cents()).sum::<i64>() / earlier.len() as i64
                        };
                        let last = monthly.last().map(|m| m.cents()).unwrap_or(0);
                        let trend = if earlier.is_empty() || earlier_avg == 0 {
                            "steady"
                        } else if last.saturating_mul(10) > earlier_avg.saturating_mul(12) {
                            "rising"
                        } else if last.saturating_mul(10) < earlier_avg.saturating_mul(8) {
                            "falling"
                        } else {
                            "steady"
                        };
                        CategoryTrend { category, monthly, average, trend }
                    })
                    .collect();
                ToolOutput::data(json!({"months": data.months, "currency": data.currency, "categories": trends,
                    "note": "The latest month is still in progress."}))
            },
        ),
        Tool::with_state(
            state.clone(),
            "update_budget",
            "Set or change the monthly budget for a category (creates it if missing).",
            true,
            |state, ctx, mut input: NewBudget| async move {
                let own = expenses::categories(&state, ctx.user_id).await?;
                input.category = category::resolve_inferred(&input.category, &own);
                let b = budgets::upsert(&state, ctx.user_id, input).await?;
                let (id, title) = (b.id, format!("{} budget", b.category));
                ToolOutput::changed(b, UiAction::reload_expenses().about("budget", id, title))
            },
        ),
        Tool::with_state(
            state.clone(),
            "compare_vs_budget",
            "This month's spending against each budget: spent, remaining, percent, over/under.",
            false,
            |state, ctx, _: NoArguments| async move { ToolOutput::data(reports::budget_status(&state, ctx.user_id).await?) },
        ),
        Tool::with_state(
            state.clone(),
            "predict_end_of_month",
            "Project this month's total spending from the month so far.",
            false,
            |state, ctx, _: NoArguments| async move { ToolOutput::data(reports::forecast(&state, ctx.user_id).await?) },
        ),
        Tool::with_state(
            state.clone(),
            "find_savings_opportunities",
            "Categories where the user is over budget or above their usual spending, with amounts.",
            false,
            |state, ctx, _: NoArguments| async move {
                ToolOutput::data(reports::savings_opportunities(&state, ctx.user_id).await?)
            },
        ),
        Tool::new(
            "categorize_transaction",
            "Suggest the expense category for a described transaction.",
            false,
            |_ctx, input: CategorizeInput| async move {
                let guess = category::guess_from_description(&input.description);
                ToolOutput::data(json!({"description": input.description, "amount": input.amount,
                    "category": guess.unwrap_or("other"), "recognised": guess.is_some()}))
            },
        ),
        Tool::with_state(
            state.clone(),
            "export_budget_report",
            "Export the user's expenses for a period (default this month) as JSON or CSV text.",
            false,
            |state, ctx, input: ExportReportInput| async move {
                let report = reports::report(&state, ctx.user_id, input.start_date, input.end_date).await?;
                match input.format.unwrap_or_default() {
                    ReportFormat::Json => ToolOutput::data(report),
                    ReportFormat::Csv => ToolOutput::data(json!({"format": "csv", "start_date": report.start_date,
                        "end_date": report.end_date, "csv": reports::report_csv(&report)?})),
                }
            },
        ),
        Tool::with_state(
            state.clone(),
            "track_savings",
            "Record money PAM saved the user (baseline cost vs what they paid).",
            true,
            |state, ctx, input: NewSavings| async move {
                let e = savings::record(&state, ctx.user_id, input).await?;
                let (id, title) = (e.id, e.description.clone());
                ToolOutput::changed(e, UiAction::reload_expenses().about("savings", id, title))
            },
        ),
        Tool::with_state(
            state.clone(),
            "record_income",
            "Record income (salary, pension, investment, side_hustle, other).",
            true,
            |state, ctx, input: NewIncome| async move {
                let i = income::create_in(&state, ctx.user_id, &ctx.locale, input).await?;
                let (id, title) = (i.id, i.source.clone());
                ToolOutput::changed(i, UiAction::reload_expenses().about("income", id, title))
            },
        )
        .amounts_in_users_currency(),
    ]
}
