//! `/api/v1/calendar/events`: thin routes over the events service.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::Page;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::CalendarState;
use crate::events::{self, Event, EventFilter, EventList, EventUpdate, NewEvent, Range};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    CalendarState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(create_event, list_events)).routes(routes!(
        get_event,
        patch_event,
        delete_event
    ))
}

/// Add an event. Local times are read in the user's zone (or `timezone`); a bare date is all-day.
#[utoipa::path(post, path = "/api/v1/calendar/events", tag = "calendar", security(("bearer" = [])),
    request_body = NewEvent,
    responses((status = 201, body = Event), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_event(
    State(state): State<CalendarState>,
    user: AuthUser,
    Json(body): Json<NewEvent>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    Ok((StatusCode::CREATED, Json(events::create(&state, user.id, body).await?)))
}

/// The user's events in start order; by default only those not yet over.
#[utoipa::path(get, path = "/api/v1/calendar/events", tag = "calendar", security(("bearer" = [])),
    params(EventFilter),
    responses((status = 200, body = EventList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_events(
    State(state): State<CalendarState>,
    user: AuthUser,
    Query(q): Query<EventFilter>,
) -> Result<Json<EventList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    let range = Range::parse(q.start_date, q.end_date, q.event_type, q.include_past)?;
    let clock = state.clock_of(user.id).await?;
    Ok(Json(events::list(&state, user.id, clock, &range, page).await?))
}

#[utoipa::path(get, path = "/api/v1/calendar/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Event), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_event(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Event>, AppError> {
    Ok(Json(events::get(&state, user.id, id).await?))
}

/// Change an event; its reminders follow.
#[utoipa::path(patch, path = "/api/v1/calendar/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = EventUpdate,
    responses((status = 200, body = Event), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_event(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<EventUpdate>,
) -> Result<Json<Event>, AppError> {
    Ok(Json(events::update(&state, user.id, id, body).await?))
}

/// Delete an event and its reminders.
#[utoipa::path(delete, path = "/api/v1/calendar/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_event(
    State(state): State<CalendarState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    events::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
