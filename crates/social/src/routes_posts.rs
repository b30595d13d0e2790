//! `/api/v1/social/posts…` and `/api/v1/social/comments/{id}`: thin routes over the posts, comments
//! and likes services. Another user's post or comment that the caller may not see or change is 404.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_kernel::PageQuery;
use pam_web::{AppError, AuthUser, Authn, ErrorBody, Json, Path, Query, ValidationErrorBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::SocialState;
use crate::comments::{self, Comment, CommentList, NewComment};
use crate::likes::{self, LikeState};
use crate::posts::{self, FeedQuery, NewPost, Post, PostList, PostUpdate};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    SocialState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(create_post, list_posts))
        .routes(routes!(get_post, patch_post, delete_post))
        .routes(routes!(publish_post))
        .routes(routes!(add_comment, list_comments))
        .routes(routes!(patch_comment, delete_comment))
        .routes(routes!(like_post, unlike_post))
}

/// Write a post. It is saved as a draft that only you see until you publish it.
#[utoipa::path(post, path = "/api/v1/social/posts", tag = "social", security(("bearer" = [])), request_body = NewPost,
    responses((status = 201, body = Post), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn create_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Json(body): Json<NewPost>,
) -> Result<(StatusCode, Json<Post>), AppError> {
    Ok((StatusCode::CREATED, Json(posts::create(&state, user.id, body).await?)))
}

/// The feed: published posts you may see, newest first (`filter=following`: only people you follow);
/// `status=draft`: your own drafts; `q`: words in the title or text.
#[utoipa::path(get, path = "/api/v1/social/posts", tag = "social", security(("bearer" = [])), params(FeedQuery),
    responses((status = 200, body = PostList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_posts(
    State(state): State<SocialState>,
    user: AuthUser,
    Query(q): Query<FeedQuery>,
) -> Result<Json<PostList>, AppError> {
    let page = pam_kernel::Page::parse(q.limit, q.offset)?;
    Ok(Json(posts::list(&state, user.id, &q, page).await?))
}

#[utoipa::path(get, path = "/api/v1/social/posts/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Post), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn get_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(posts::get(&state, user.id, id).await?))
}

/// Change your own post (text, title, picture, place, tags, visibility).
#[utoipa::path(patch, path = "/api/v1/social/posts/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = PostUpdate,
    responses((status = 200, body = Post), (status = 404, body = ErrorBody), (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<PostUpdate>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(posts::update(&state, user.id, id, body).await?))
}

/// Delete your own post with its comments and likes.
#[utoipa::path(delete, path = "/api/v1/social/posts/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    posts::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish one of your drafts (publishing again changes nothing).
#[utoipa::path(post, path = "/api/v1/social/posts/{id}/publish", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = Post), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn publish_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(posts::publish(&state, user.id, id, None).await?))
}

/// Comment on a published post you may see.
#[utoipa::path(post, path = "/api/v1/social/posts/{id}/comments", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = NewComment,
    responses((status = 201, body = Comment), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn add_comment(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<NewComment>,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    Ok((StatusCode::CREATED, Json(comments::create(&state, user.id, id, body).await?)))
}

/// The comments on a post you may see, oldest first.
#[utoipa::path(get, path = "/api/v1/social/posts/{id}/comments", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = CommentList), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn list_comments(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> Result<Json<CommentList>, AppError> {
    Ok(Json(comments::list(&state, user.id, id, q.page()?).await?))
}

/// Change the text of your own comment.
#[utoipa::path(patch, path = "/api/v1/social/comments/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = NewComment,
    responses((status = 200, body = Comment), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_comment(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<NewComment>,
) -> Result<Json<Comment>, AppError> {
    Ok(Json(comments::update(&state, user.id, id, body).await?))
}

/// Remove your own comment, or any comment on your own post.
#[utoipa::path(delete, path = "/api/v1/social/comments/{id}", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_comment(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    comments::delete(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Like a published post you may see (once; liking again changes nothing).
#[utoipa::path(post, path = "/api/v1/social/posts/{id}/like", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = LikeState), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn like_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<LikeState>, AppError> {
    Ok(Json(likes::like(&state, user.id, id).await?))
}

/// Take your like back.
#[utoipa::path(delete, path = "/api/v1/social/posts/{id}/like", tag = "social", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204, description = "Not liked"), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn unlike_post(
    State(state): State<SocialState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    likes::unlike(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
