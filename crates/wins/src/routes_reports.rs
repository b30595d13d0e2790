//! `/api/v1/wins/*`: reports and the chart.

use axum::extract::{FromRef, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Query};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::WinsState;
use crate::chart;
use crate::reports::{self, BudgetStatus, ExpenseReport, Forecast, SavingsOpportunities, Summary, SummaryRequest};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WinsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(budget_status))
        .routes(routes!(forecast))
        .routes(routes!(savings_opportunities))
        .routes(routes!(report))
        .routes(routes!(spending_chart))
}

/// Income, expenses, net and a per-category breakdown over the last `days` days or a named `period`,
/// with one `category` picked out when asked.
#[utoipa::path(get, path = "/api/v1/wins/summary", tag = "wins", security(("bearer" = [])), params(SummaryRequest),
    responses((status = 200, body = Summary), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn summary(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<SummaryRequest>,
) -> Result<Json<Summary>, AppError> {
    Ok(Json(reports::summary(&state, user.id, &q).await?))
}

/// This month, per budgeted category: limit, spent, remaining, percent and status.
#[utoipa::path(get, path = "/api/v1/wins/budget-status", tag = "wins", security(("bearer" = [])),
    responses((status = 200, body = BudgetStatus), (status = 401, body = ErrorBody)))]
async fn budget_status(State(state): State<WinsState>, user: AuthUser) -> Result<Json<BudgetStatus>, AppError> {
    Ok(Json(reports::budget_status(&state, user.id).await?))
}

/// End-of-month projection from the month so far.
#[utoipa::path(get, path = "/api/v1/wins/forecast", tag = "wins", security(("bearer" = [])),
    responses((status = 200, body = Forecast), (status = 401, body = ErrorBody)))]
async fn forecast(State(state): State<WinsState>, user: AuthUser) -> Result<Json<Forecast>, AppError> {
    Ok(Json(reports::forecast(&state, user.id).await?))
}

/// Categories above budget or above their usual level, with amounts.
#[utoipa::path(get, path = "/api/v1/wins/savings-opportunities", tag = "wins", security(("bearer" = [])),
    responses((status = 200, body = SavingsOpportunities), (status = 401, body = ErrorBody)))]
async fn savings_opportunities(
    State(state): State<WinsState>,
    user: AuthUser,
) -> Result<Json<SavingsOpportunities>, AppError> {
    Ok(Json(reports::savings_opportunities(&state, user.id).await?))
}

#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// `json` (default) or `csv`.
    #[param(inline)]
    format: Option<ReportFormat>,
    /// Default: the 1st of this month.
    start_date: Option<NaiveDate>,
    /// Default: today.
    end_date: Option<NaiveDate>,
}

/// Expenses of a period as JSON, or CSV with a header row.
#[utoipa::path(get, path = "/api/v1/wins/report", tag = "wins", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "The report: JSON by default, CSV with a header row for `format=csv`",
            content((ExpenseReport = "application/json"), (String = "text/csv"))),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn report(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let data = reports::report(&state, user.id, q.start_date, q.end_date).await?;
    match q.format.unwrap_or_default() {
        ReportFormat::Json => Ok(Json(data).into_response()),
        ReportFormat::Csv => {
            let csv = reports::report_csv(&data)?;
            let name = format!("attachment; filename=\"expenses-{}-{}.csv\"", data.start_date, data.end_date);
            Ok((
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)],
                csv,
            )
                .into_response())
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MonthsQuery {
    /// Months back including this one, 1–24 (default 6).
    #[param(minimum = 1, maximum = 24)]
    months: Option<u32>,
}

/// Monthly spending stacked by category, as an SVG chart.
#[utoipa::path(get, path = "/api/v1/wins/charts/spending.svg", tag = "wins", security(("bearer" = [])), params(MonthsQuery),
    responses((status = 200, description = "SVG chart", content_type = "image/svg+xml"),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn spending_chart(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<MonthsQuery>,
) -> Result<Response, AppError> {
    let data = chart::monthly_spending(&state, user.id, q.months.unwrap_or(6)).await?;
    let svg = chart::render_svg(&data)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, max-age=60")], svg).into_response())
}
