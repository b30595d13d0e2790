//! `/api/v1/knowledge`: search and read for every signed-in user; writes for admins (403 otherwise).

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_web::{AdminUser, AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::KnowledgeState;
use crate::articles::{self, Article, ArticleFilter, ArticleList, ArticleUpdate, NewArticle};
use crate::search::{self, SearchQuery, SearchResults};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    KnowledgeState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(search_articles))
        .routes(routes!(list_articles, create_article))
        .routes(routes!(get_article, patch_article, delete_article))
}

/// Full-text search of the travel knowledge, best first; articles near `lat`/`lng` (or the place named
/// in `near`) rank higher.
#[utoipa::path(get, path = "/api/v1/knowledge/search", tag = "knowledge", security(("bearer" = [])),
    params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn search_articles(
    State(state): State<KnowledgeState>,
    _user: AuthUser,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchResults>, AppError> {
    Ok(Json(search::search(&state, &q.checked()?).await?))
}

/// The knowledge shelf, highest priority first.
#[utoipa::path(get, path = "/api/v1/knowledge", tag = "knowledge", security(("bearer" = [])),
    params(ArticleFilter),
    responses((status = 200, body = ArticleList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_articles(
    State(state): State<KnowledgeState>,
    _user: AuthUser,
    Query(filter): Query<ArticleFilter>,
) -> Result<Json<ArticleList>, AppError> {
    Ok(Json(articles::list(&state, &filter).await?))
}

/// Add an article (admins only; audited).
#[utoipa::path(post, path = "/api/v1/knowledge", tag = "knowledge", security(("bearer" = [])),
    request_body = NewArticle,
    responses((status = 201, body = Article), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn create_article(
    State(state): State<KnowledgeState>,
    admin: AdminUser,
    Json(body): Json<NewArticle>,
) -> Result<(StatusCode, Json<Article>), AppError> {
    Ok((StatusCode::CREATED, Json(articles::create(&state, &admin.0, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/knowledge/{id}", tag = "knowledge", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Article), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::InvalidParameters))]
async fn get_article(
    State(state): State<KnowledgeState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Article>, AppError> {
    Ok(Json(articles::get(&state, id).await?))
}

/// Change an article (admins only; audited).
#[utoipa::path(patch, path = "/api/v1/knowledge/{id}", tag = "knowledge", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ArticleUpdate,
    responses((status = 200, body = Article), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_article(
    State(state): State<KnowledgeState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
    Json(body): Json<ArticleUpdate>,
) -> Result<Json<Article>, AppError> {
    Ok(Json(articles::update(&state, &admin.0, id, body).await?))
}

/// Remove an article (admins only; audited).
#[utoipa::path(delete, path = "/api/v1/knowledge/{id}", tag = "knowledge", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_article(
    State(state): State<KnowledgeState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    articles::delete(&state, &admin.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
