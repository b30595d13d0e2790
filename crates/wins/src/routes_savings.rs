//! `/api/v1/pam/savings/*` and `/api/v1/pam/monthly-savings`: the front end's savings contract.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use pam_kernel::Money;
use pam_web::{AppError, AuthUser, Authn, ValidationErrorBody};
use pam_web::{Json, OptionalJson, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::WinsState;
use crate::savings::{self, DetectedSaving, NewSavings, SavingsEvent};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    WinsState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(record))
        .routes(routes!(recent))
        .routes(routes!(monthly_savings))
        .routes(routes!(guarantee_status))
        .routes(routes!(monthly_summary))
        .routes(routes!(detect))
}

#[derive(Serialize, ToSchema)]
struct Recorded {
    success: bool,
    event: SavingsEvent,
}

/// Record a saving PAM found; `actual_savings` is computed (a given one that disagrees is 422).
#[utoipa::path(post, path = "/api/v1/pam/savings/record", tag = "savings", security(("bearer" = [])), request_body = NewSavings,
    responses((status = 201, body = Recorded), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn record(
    State(state): State<WinsState>,
    user: AuthUser,
    Json(body): Json<NewSavings>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let event = savings::record(&state, user.id, body).await?;
    Ok((StatusCode::CREATED, Json(Recorded { success: true, event })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LimitQuery {
    /// 1–1000, default 10.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct Recent {
    success: bool,
    events: Vec<SavingsEvent>,
    count: usize,
}

#[utoipa::path(get, path = "/api/v1/pam/savings/recent", tag = "savings", security(("bearer" = [])), params(LimitQuery),
    responses((status = 200, body = Recent), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn recent(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Recent>, AppError> {
    let events = savings::recent(&state, user.id, q.limit.unwrap_or(10)).await?;
    Ok(Json(Recent { success: true, count: events.len(), events }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct YearMonthQuery {
    /// 1970–2100; default this year.
    #[param(minimum = 1970, maximum = 2100)]
    year: Option<i32>,
    /// 1–12; default this month.
    #[param(minimum = 1, maximum = 12)]
    month: Option<u32>,
}

/// The month's savings against the subscription cost.
#[utoipa::path(get, path = "/api/v1/pam/monthly-savings", tag = "savings", security(("bearer" = [])), params(YearMonthQuery),
    responses((status = 200, body = Object), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn monthly_savings(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<YearMonthQuery>,
) -> Result<Json<Value>, AppError> {
    let today = state.locales.of(user.id).await?.today();
    let (year, month) = (q.year.unwrap_or(today.year()), q.month.unwrap_or(today.month()));
    pam_kernel::text::plausible_date(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN))
        .map_err(|m| AppError::invalid(&["query", "year"], m))?;
    let start = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| AppError::invalid(&["query", "month"], "must be a month 1–12 of a valid year"))?;
    let g = savings::guarantee(&state, user.id, start).await?;
    Ok(Json(json!({"success": true, "data": {
        "total_savings": g.total_savings, "savings_count": g.savings_events_count,
        "subscription_cost": g.subscription_cost, "guarantee_met": g.guarantee_met,
        "percentage_achieved": g.percentage_achieved, "savings_shortfall": g.savings_shortfall,
        "period": {"year": year, "month": month}}})))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MonthQuery {
    /// `YYYY-MM` or `YYYY-MM-DD` (1970–2100); default this month.
    #[param(
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*((19[7-9][0-9]|20[0-9][0-9]|2100)-((0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?|02(-(0[1-9]|1[0-9]|2[0-8]))?)|(19(7[26]|8[048]|9[26])|20([02468][048]|[13579][26]))-02-29)[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        example = "2026-03"
    )]
    month: Option<String>,
}

async fn month_start(state: &WinsState, user: &AuthUser, q: &MonthQuery) -> Result<NaiveDate, AppError> {
    match &q.month {
        Some(m) => Ok(savings::parse_month(m)?),
        None => Ok(pam_kernel::locale::month_bounds(state.locales.of(user.id).await?.today()).0),
    }
}

/// Whether the month's savings covered the subscription.
#[utoipa::path(get, path = "/api/v1/pam/savings/guarantee-status", tag = "savings", security(("bearer" = [])), params(MonthQuery),
    responses((status = 200, body = Object), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn guarantee_status(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<MonthQuery>,
) -> Result<Json<Value>, AppError> {
    let g = savings::guarantee(&state, user.id, month_start(&state, &user, &q).await?).await?;
    Ok(Json(json!({"success": true, "guarantee_status": g})))
}

/// The month's savings by type.
#[utoipa::path(get, path = "/api/v1/pam/savings/monthly-summary", tag = "savings", security(("bearer" = [])), params(MonthQuery),
    responses((status = 200, body = Object), (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn monthly_summary(
    State(state): State<WinsState>,
    user: AuthUser,
    Query(q): Query<MonthQuery>,
) -> Result<Json<Value>, AppError> {
    let start = month_start(&state, &user, &q).await?;
    let events = savings::in_month(&state, user.id, start).await?;
    let mut by_type: std::collections::BTreeMap<String, (i64, usize)> = Default::default();
    for e in &events {
        let slot = by_type.entry(e.savings_type.clone()).or_default();
        slot.0 += e.actual;
        slot.1 += 1;
    }
    let by_type: Vec<Value> = by_type
        .into_iter()
        .map(|(t, (cents, n))| json!({"savings_type": t, "total_savings": Money::from_cents(cents), "count": n}))
        .collect();
    let g = savings::guarantee(&state, user.id, start).await?;
    Ok(Json(json!({"success": true, "month": format!("{:04}-{:02}", start.year(), start.month()),
        "total_savings": g.total_savings, "savings_count": events.len(), "by_type": by_type,
        "subscription_cost": g.subscription_cost, "guarantee_met": g.guarantee_met})))
}

#[derive(Deserialize, ToSchema, Default)]
struct DetectRequest {
    /// Also record what was found (default false).
    #[serde(default)]
    record: bool,
}

#[derive(Serialize, ToSchema)]
struct Detected {
    success: bool,
    detected: Vec<DetectedSaving>,
    recorded: bool,
}

/// Find savings in the user's own fuel and camping history.
#[utoipa::path(post, path = "/api/v1/pam/savings/detect", tag = "savings", security(("bearer" = [])),
    request_body(content = Option<DetectRequest>), responses((status = 200, body = Detected),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn detect(
    State(state): State<WinsState>,
    user: AuthUser,
    OptionalJson(body): OptionalJson<DetectRequest>,
) -> Result<Json<Detected>, AppError> {
    let record = body.unwrap_or_default().record;
    let detected = savings::detect(&state, user.id, record).await?;
    Ok(Json(Detected { success: true, detected, recorded: record }))
}
