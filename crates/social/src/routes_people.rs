//! People: follows, blocks, direct messages, the public user card, shared locations and nearby RVers —
//! thin routes over their services.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::{Page, PageQuery};
use pam_web::{AppError, AuthUser, Authn, ErrorBody, Json, Path, Query, ValidationErrorBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::SocialState;
use crate::blocks::{self, Block, BlockList};
use crate::cards::{self, UserCard};
use crate::follows::{self, FollowState};
use crate::locations::{self, NearbyList, NearbyQuery, NewSharedLocation, SharedLocation, SharedLocationList};
use crate::messages::{self, DirectMessage, MessageList, MessageQuery, NewMessage};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    SocialState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(follow_user, unfollow_user))
        .routes(routes!(block_user, unblock_user))
        .routes(routes!(list_blocks))
        .routes(routes!(send_message, list_messages))
        .routes(routes!(mark_message_read))
        .routes(routes!(user_card))
        .routes(routes!(share_location, list_shared_locations))
        .routes(routes!(stop_sharing_location))
        .routes(routes!(nearby_rvers))
}

/// Follow a user (following again changes nothing); 403 across a block.
#[utoipa::path(post, path = "/api/v1/social/follow/{user_id}", tag = "social", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = FollowState), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized))]
async fn follow_user(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<Json<FollowState>, AppError> {
    Ok(Json(follows::follow(&state, user.id, user_id).await?))
}

/// Stop following a user.
#[utoipa::path(delete, path = "/api/v1/social/follow/{user_id}", tag = "social", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204, description = "Not following"), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn unfollow_user(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    follows::unfollow(&state, user.id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Block a user: neither of you can then message or follow the other, any follow between you ends, and
/// neither sees the other's posts, card or position. Blocking again changes nothing. They are not told.
#[utoipa::path(post, path = "/api/v1/social/blocks/{user_id}", tag = "social", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 201, body = Block), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn block_user(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<(StatusCode, Json<Block>), AppError> {
    Ok((StatusCode::CREATED, Json(blocks::block(&state, user.id, user_id).await?)))
}

/// Lift your block of a user (a block they made of you stays); 404 when you had not blocked them.
#[utoipa::path(delete, path = "/api/v1/social/blocks/{user_id}", tag = "social", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204, description = "Unblocked"), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn unblock_user(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    blocks::unblock(&state, user.id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The people you have blocked, most recent first.
#[utoipa::path(get, path = "/api/v1/social/blocks", tag = "social", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = BlockList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_blocks(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<BlockList>, AppError> {
    Ok(Json(blocks::list(&state, user.id, q.page()?).await?))
}

/// Send a direct message. The recipient's privacy settings decide who may (everyone, friends — people
/// who follow each other — or nobody), and nobody may across a block: a refusal is 403.
#[utoipa::path(post, path = "/api/v1/social/messages", tag = "social", security(("bearer" = [])), request_body = NewMessage,
    responses((status = 201, body = DirectMessage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn send_message(
    State(state): State<SocialState>,
    user: AuthUser,
    Json(body): Json<NewMessage>,
) -> Result<(StatusCode, Json<DirectMessage>), AppError> {
    Ok((StatusCode::CREATED, Json(messages::send(&state, user.id, body).await?)))
}

/// Messages you sent or received, newest first (`with`: only the conversation with that user).
#[utoipa::path(get, path = "/api/v1/social/messages", tag = "social", security(("bearer" = [])), params(MessageQuery),
    responses((status = 200, body = MessageList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_messages(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<MessageQuery>,
) -> Result<Json<MessageList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    Ok(Json(messages::list(&state, user.id, q.with, page).await?))
}

/// Mark a message you received as read.
#[utoipa::path(post, path = "/api/v1/social/messages/{id}/read", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = DirectMessage), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn mark_message_read(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<DirectMessage>, AppError> {
    Ok(Json(messages::mark_read(&state, user.id, id).await?))
}

/// The public card others see of a user; 404 when their profile is private (or friends-only and you are
/// not friends), or when either of you has blocked the other.
#[utoipa::path(get, path = "/api/v1/social/users/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = UserCard), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn user_card(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<UserCard>, AppError> {
    Ok(Json(cards::card(&state, user.id, id).await?))
}

/// Share where you are until `expires_at` (default 24 h): with everyone nearby (`is_public`) or with
/// friends. Needs location sharing on in your privacy settings (409 otherwise).
#[utoipa::path(post, path = "/api/v1/social/shared-locations", tag = "social", security(("bearer" = [])),
    request_body = NewSharedLocation,
    responses((status = 201, body = SharedLocation), (status = 409, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn share_location(
    State(state): State<SocialState>,
    user: AuthUser,
    Json(body): Json<NewSharedLocation>,
) -> Result<(StatusCode, Json<SharedLocation>), AppError> {
    Ok((StatusCode::CREATED, Json(locations::share(&state, user.id, body).await?)))
}

/// Your locations still shared, newest first (expired ones never appear).
#[utoipa::path(get, path = "/api/v1/social/shared-locations", tag = "social", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = SharedLocationList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn list_shared_locations(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<SharedLocationList>, AppError> {
    Ok(Json(locations::list(&state, user.id, q.page()?).await?))
}

/// Stop sharing one of your locations.
#[utoipa::path(delete, path = "/api/v1/social/shared-locations/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204, description = "Stopped"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn stop_sharing_location(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    locations::stop(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Other RVers sharing their location near a point, nearest first, each at a position rounded to about a
/// kilometre; only users whose privacy settings allow location sharing.
#[utoipa::path(get, path = "/api/v1/social/nearby", tag = "social", security(("bearer" = [])), params(NearbyQuery),
    responses((status = 200, body = NearbyList), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized))]
async fn nearby_rvers(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<NearbyQuery>,
) -> Result<Json<NearbyList>, AppError> {
    let page = Page::parse(q.limit, q.offset)?;
    Ok(Json(locations::nearby(&state, user.id, &q, page).await?))
}
