//! Groups and community events: thin routes over their services.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::Page;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, Json, Path, Query, ValidationErrorBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::SocialState;
use crate::events::{self, Event, EventList, EventQuery, NewEvent};
use crate::groups::{self, Group, GroupList, GroupQuery, NewGroup};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    SocialState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_group, list_groups))
        .routes(routes!(join_group, leave_group))
        .routes(routes!(create_event, list_events))
        .routes(routes!(attend_event, leave_event))
}

/// Start a group; you are its first member.
#[utoipa::path(post, path = "/api/v1/social/groups", tag = "social", security(("bearer" = [])), request_body = NewGroup,
    responses((status = 201, body = Group), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_group(
    State(state): State<SocialState>,
    user: AuthUser,
    Json(body): Json<NewGroup>,
) -> Result<(StatusCode, Json<Group>), AppError> {
    Ok((StatusCode::CREATED, Json(groups::create(&state, user.id, body).await?)))
}

/// Groups, newest first (`q`: words in the name; `mine=true`: the ones you belong to).
#[utoipa::path(get, path = "/api/v1/social/groups", tag = "social", security(("bearer" = [])), params(GroupQuery),
    responses((status = 200, body = GroupList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_groups(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<GroupQuery>,
) -> Result<Json<GroupList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    Ok(Json(groups::list(&state, user.id, &q, page).await?))
}

/// Join a group (joining again changes nothing).
#[utoipa::path(post, path = "/api/v1/social/groups/{id}/membership", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Group), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn join_group(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Group>, AppError> {
    Ok(Json(groups::join(&state, user.id, id).await?))
}

/// Leave a group.
#[utoipa::path(delete, path = "/api/v1/social/groups/{id}/membership", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204, description = "Not a member"),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn leave_group(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    groups::leave(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Host a community event; you are its first attendee (and count toward `max_attendees`).
#[utoipa::path(post, path = "/api/v1/social/events", tag = "social", security(("bearer" = [])), request_body = NewEvent,
    responses((status = 201, body = Event), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn create_event(
    State(state): State<SocialState>,
    user: AuthUser,
    Json(body): Json<NewEvent>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    Ok((StatusCode::CREATED, Json(events::create(&state, user.id, body).await?)))
}

/// Community events, soonest first; by default only those still to come.
#[utoipa::path(get, path = "/api/v1/social/events", tag = "social", security(("bearer" = [])), params(EventQuery),
    responses((status = 200, body = EventList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_events(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<EventQuery>,
) -> Result<Json<EventList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    Ok(Json(events::list(&state, user.id, &q, page).await?))
}

/// Attend an event; 409 when it is full or has started.
#[utoipa::path(post, path = "/api/v1/social/events/{id}/attend", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Event), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn attend_event(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Event>, AppError> {
    Ok(Json(events::attend(&state, user.id, id).await?))
}

/// Stop attending an event (the host cannot: 409).
#[utoipa::path(delete, path = "/api/v1/social/events/{id}/attend", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Not attending"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn leave_event(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    events::leave(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
