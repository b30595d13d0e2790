//! `/api/v1/timers` and the front end's `/api/v1/pam/internal/dismiss-timer`: thin routes over the
//! timers service.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::{DomainError, FieldError, PageQuery};
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, OptionalJson, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::CalendarState;
use crate::timers::{self, DismissRequest, Dismissed, NewTimer, Timer, TimerList};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    CalendarState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_timer, list_timers))
        .routes(routes!(get_timer, delete_timer))
        .routes(routes!(dismiss_timer))
        .routes(routes!(dismiss_timer_for_front_end))
}

/// Set a timer (`duration_seconds`) or an alarm (`alarm_at`); when due, the user's sockets receive
/// `timer_expired`.
#[utoipa::path(post, path = "/api/v1/timers", tag = "calendar", security(("bearer" = [])), request_body = NewTimer,
    responses((status = 201, body = Timer), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_timer(
    State(state): State<CalendarState>,
    user: AuthUser,
    Json(body): Json<NewTimer>,
) -> Result<(StatusCode, Json<Timer>), AppError> {
    Ok((StatusCode::CREATED, Json(timers::create(&state, user.id, body).await?)))
}

/// The user's timers and alarms, latest to ring first.
#[utoipa::path(get, path = "/api/v1/timers", tag = "calendar", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = TimerList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_timers(
    State(state): State<CalendarState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<TimerList>, AppError> {
    Ok(Json(timers::list(&state, user.id, q.page()?).await?))
}

#[utoipa::path(get, path = "/api/v1/timers/{id}", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Timer), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_timer(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Timer>, AppError> {
    Ok(Json(timers::get(&state, user.id, id).await?))
}

/// Delete a timer: it will not ring, and is kept as `cancelled`.
#[utoipa::path(delete, path = "/api/v1/timers/{id}", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Cancelled"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_timer(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    timers::cancel(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Dismiss a timer: it will not ring (or, having rung, is acknowledged).
#[utoipa::path(post, path = "/api/v1/timers/{id}/dismiss", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Timer), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn dismiss_timer(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Timer>, AppError> {
    Ok(Json(timers::dismiss(&state, user.id, id).await?))
}

/// The front end's dismiss: `{timer_id}` in a JSON body or `?timer_id=` (the body wins); the caller's
/// own timers only.
#[utoipa::path(post, path = "/api/v1/pam/internal/dismiss-timer", tag = "calendar", security(("bearer" = [])),
    params(DismissRequest), request_body(content = Option<DismissRequest>),
    responses((status = 200, body = Dismissed), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn dismiss_timer_for_front_end(
    State(state): State<CalendarState>,
    user: AuthUser,
    Query(query): Query<DismissRequest>,
    OptionalJson(body): OptionalJson<DismissRequest>,
) -> Result<Json<Dismissed>, AppError> {
    let Some(timer_id) = body.and_then(|b| b.timer_id).or(query.timer_id) else {
        let missing =
            FieldError::new(&["body", "timer_id"], "Field required: timer_id (in the body or the query)", "missing");
        return Err(DomainError::Invalid(vec![missing]).into());
    };
    let timer = timers::dismiss(&state, user.id, timer_id).await?;
    Ok(Json(Dismissed { success: true, timer_id, status: timer.status, message: "Timer dismissed".into() }))
}
