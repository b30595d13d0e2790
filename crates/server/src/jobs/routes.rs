//! `GET /api/v1/admin/jobs`: the job queue as admins see it — parked jobs above all (a job that kept
//! failing waits there for a person), but any status may be listed. Admin only, and audited.

use axum::extract::State;
use pam_kernel::Page;
use pam_platform::jobs::{DbJobQueue, JobQueue, JobSummary};
use pam_web::{AdminUser, AppError, ErrorBody, Json, Query, ValidationErrorBody};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_jobs))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct JobQuery {
    /// queued | running | done | parked | cancelled (default parked).
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
struct JobList {
    jobs: Vec<JobSummary>,
    total: i64,
    limit: i64,
    offset: i64,
}

/// Jobs in one status, newest first (default: the parked ones).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", security(("bearer" = [])), params(JobQuery),
    responses((status = 200, body = JobList), (status = 403, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_jobs(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(q): Query<JobQuery>,
) -> Result<Json<JobList>, AppError> {
    let status = q.status.unwrap_or_else(|| "parked".into());
    if !matches!(status.as_str(), "queued" | "running" | "done" | "parked" | "cancelled") {
        return Err(pam_kernel::DomainError::invalid(
            &["query", "status"],
            "must be queued, running, done, parked or cancelled",
        )
        .into());
    }
    let page = Page::parse(q.limit, q.offset)?;
    let (jobs, total) = DbJobQueue::new(state.db.clone()).list(&status, page).await?;
    pam_kernel::audit::record(
        &state.db,
        Some(admin.0.id),
        "admin.jobs.list",
        None,
        serde_json::json!({"status": status}),
    )
    .await?;
    Ok(Json(JobList { jobs, total, limit: page.limit, offset: page.offset }))
}
