//! `/api/v1/admin/…`: admin only (403 for everyone else, 401 without a token); the audit layer around
//! them records every call.

use axum::extract::{FromRef, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pam_kernel::{DomainError, Page};
use pam_platform::jobs::JobSummary;
use pam_profiles::service::AccountSummary;
use pam_web::{AdminUser, AppError, Authn, ErrorBody, Json, Path, Query, ValidationErrorBody};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::{self, AuditList, AuditQuery};
use crate::reports::{self, Summary, Usage, UsageQuery};
use crate::{AdminState, ModelView, models, users};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    AdminState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(metrics))
        .routes(routes!(usage))
        .routes(routes!(models_list))
        .routes(routes!(set_primary))
        .routes(routes!(models_health))
        .routes(routes!(list_users))
        .routes(routes!(patch_user))
        .routes(routes!(audit_log))
        .routes(routes!(jobs))
        .routes(routes!(usage_chart))
}

/// Active users, messages, tool calls by outcome, errors and LLM spend.
#[utoipa::path(get, path = "/api/v1/admin/metrics", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Summary), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn metrics(State(state): State<AdminState>, _admin: AdminUser) -> Result<Json<Summary>, AppError> {
    Ok(Json(reports::summary(&state).await?))
}

/// The usage ledger grouped by user, model or day: tokens (cache reads and writes included), cost and latency.
#[utoipa::path(get, path = "/api/v1/admin/usage", tag = "admin", security(("bearer" = [])), params(UsageQuery),
    responses((status = 200, body = Usage), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn usage(
    State(state): State<AdminState>,
    _admin: AdminUser,
    Query(q): Query<UsageQuery>,
) -> Result<Json<Usage>, AppError> {
    Ok(Json(reports::usage(&state, &q).await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct ModelList {
    models: Vec<ModelView>,
    primary: Option<String>,
}

/// The model registry: prices, which can be called here, which answers first, breaker state.
#[utoipa::path(get, path = "/api/v1/admin/models", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ModelList), (status = 403, body = ErrorBody), pam_web::doc::Unauthorized))]
async fn models_list(State(state): State<AdminState>, _admin: AdminUser) -> Result<Json<ModelList>, AppError> {
    let models = state.models.catalogue();
    let primary = models.iter().find(|m| m.primary).map(|m| m.id.clone());
    Ok(Json(ModelList { models, primary }))
}

#[derive(Debug, Deserialize, ToSchema)]
struct PrimaryRequest {
    /// A model of the registry whose provider is configured; null goes back to the configured primary.
    model_id: Option<String>,
}

/// Make a model the first one tried, on every instance, from the next turn.
#[utoipa::path(post, path = "/api/v1/admin/models/primary", tag = "admin", security(("bearer" = [])),
    request_body = PrimaryRequest,
    responses((status = 200, body = ModelList), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn set_primary(
    State(state): State<AdminState>,
    admin: AdminUser,
    Json(body): Json<PrimaryRequest>,
) -> Result<Json<ModelList>, AppError> {
    let id = body.model_id.as_deref().map(str::trim).filter(|m| !m.is_empty());
    models::set_primary(&state, id, admin.0.id).await?;
    models_list(State(state), admin).await
}

/// Each provider's last success and failure, and open breakers.
#[utoipa::path(get, path = "/api/v1/admin/models/health", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), pam_web::doc::Unauthorized))]
async fn models_health(State(state): State<AdminState>, _admin: AdminUser) -> Result<Json<Value>, AppError> {
    Ok(Json(state.models.health()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UserQuery {
    /// Part of an email or a name.
    q: Option<String>,
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
struct UserList {
    users: Vec<AccountSummary>,
    total: i64,
    limit: i64,
    offset: i64,
}

/// Accounts, searched by email or name, newest first.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])), params(UserQuery),
    responses((status = 200, body = UserList), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_users(
    State(state): State<AdminState>,
    _admin: AdminUser,
    Query(q): Query<UserQuery>,
) -> Result<Json<UserList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    let (users, total) = users::list(&state, q.q.as_deref(), page).await?;
    Ok(Json(UserList { users, total, limit: page.limit, offset: page.offset }))
}

#[derive(Debug, Deserialize, ToSchema)]
struct RoleChange {
    /// user | admin.
    #[schema(
        pattern = r"^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(user|admin)[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        example = "admin"
    )]
    role: String,
}

/// Change an account's role.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RoleChange,
    responses((status = 200, body = AccountSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_user(
    State(state): State<AdminState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
    Json(body): Json<RoleChange>,
) -> Result<Json<AccountSummary>, AppError> {
    Ok(Json(users::set_role(&state, admin.0.id, id, body.role.trim()).await?))
}

/// The audit log, newest first, filtered by actor, action prefix and time.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn audit_log(
    State(state): State<AdminState>,
    _admin: AdminUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditList>, AppError> {
    Ok(Json(audit::list(&state, &q).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct JobQuery {
    /// queued | running | done | parked | cancelled (default parked).
    #[param(pattern = r"^(queued|running|done|parked|cancelled)$")]
    status: Option<String>,
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
struct JobList {
    jobs: Vec<JobSummary>,
    total: i64,
    limit: i64,
    offset: i64,
}

/// Background jobs in one status, newest first (default: the parked ones, waiting for a person).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", security(("bearer" = [])), params(JobQuery),
    responses((status = 200, body = JobList), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn jobs(
    State(state): State<AdminState>,
    _admin: AdminUser,
    Query(q): Query<JobQuery>,
) -> Result<Json<JobList>, AppError> {
    let status = q.status.unwrap_or_else(|| "parked".into());
    if !matches!(status.as_str(), "queued" | "running" | "done" | "parked" | "cancelled") {
        return Err(
            DomainError::invalid(&["query", "status"], "must be queued, running, done, parked or cancelled").into()
        );
    }
    let page = Page::parse(q.limit, q.offset)?;
    let (jobs, total) = state.jobs.list(&status, page).await?;
    Ok(Json(JobList { jobs, total, limit: page.limit, offset: page.offset }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ChartQuery {
    /// 1–90 (default 30).
    #[param(minimum = 1, maximum = 90)]
    days: Option<i64>,
}

/// Daily LLM cost by model, with messages per day, as SVG.
#[utoipa::path(get, path = "/api/v1/admin/charts/usage.svg", tag = "admin", security(("bearer" = [])), params(ChartQuery),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 403, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn usage_chart(
    State(state): State<AdminState>,
    _admin: AdminUser,
    Query(q): Query<ChartQuery>,
) -> Result<Response, AppError> {
    let days = q.days.unwrap_or(30);
    if !(1..=90).contains(&days) {
        return Err(DomainError::invalid(&["query", "days"], "must be between 1 and 90").into());
    }
    let (dates, cost, calls) = reports::daily(&state, days).await?;
    let labels: Vec<String> = dates.iter().map(|d| d.format("%d %b").to_string()).collect();
    let mut cost: Vec<(String, Vec<f64>)> = cost.into_iter().collect();
    cost.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    let mut calls: Vec<(String, Vec<f64>)> = calls.into_iter().collect();
    calls.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    let cost_title = format!("LLM cost by model, last {days} days");
    let calls_title = "Messages answered, by model".to_string();
    let panels = [
        pam_chart::Panel { title: &cost_title, series: &cost, y_desc: "Cost (USD)" },
        pam_chart::Panel { title: &calls_title, series: &calls, y_desc: "Messages" },
    ];
    let svg = pam_chart::stacked_panels(&labels, &panels, (900, 800))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}
