//! `/api/auth/*`: the built-in accounts' HTTP face.

use axum::extract::State;
use axum::http::StatusCode;
use pam_web::AuthUser;
use pam_web::context::ClientAddr;
use pam_web::error::{AppError, ErrorBody, ValidationErrorBody};
use pam_web::extract::{Json, OptionalJson};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::accounts::{self, LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, TokenResponse, UserInfo};
use super::password::{self, PasswordRequirements};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(password_requirements))
}

/// Create a built-in account and sign in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 409, description = "Email already registered", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), (status = 429, body = ErrorBody), pam_web::doc::BodyRefused))]
async fn register(
    State(state): State<AppState>,
    Json(req): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), AppError> {
    Ok((StatusCode::CREATED, Json(accounts::register(&state, req).await?)))
}

/// Sign in with email and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "Incorrect email or password", body = ErrorBody),
        (status = 422, body = ValidationErrorBody), (status = 429, body = ErrorBody), pam_web::doc::BodyRefused))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(peer): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(accounts::login(&state, peer, req).await?))
}

/// Exchange a refresh token for a new pair; the old one is spent.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    Ok(Json(accounts::refresh(&state, req).await?))
}

/// Revoke a session (its refresh-token family), or every session with `all: true`.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body(content = Option<LogoutRequest>),
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody),
        (status = 422, body = ValidationErrorBody),
        pam_web::doc::BodyRefused))]
async fn logout(
    State(state): State<AppState>,
    user: AuthUser,
    OptionalJson(req): OptionalJson<LogoutRequest>,
) -> Result<StatusCode, AppError> {
    accounts::logout(&state, user.id, req.unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserInfo), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, user: AuthUser) -> Result<Json<UserInfo>, AppError> {
    Ok(Json(accounts::me(&state.db, user.id).await?))
}

/// What a password must satisfy.
#[utoipa::path(get, path = "/api/auth/password-requirements", tag = "auth",
    responses((status = 200, body = PasswordRequirements)))]
async fn password_requirements() -> Json<PasswordRequirements> {
    Json(password::requirements())
}
