//! `AuthUser`, `AdminUser` and `MaybeUser`: identity comes only from a verified bearer token.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use super::identity;
use crate::error::AppError;
use crate::state::AppState;

/// A signed-in user whose token verified and whose account exists.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: Uuid,
    pub email: Option<String>,
    pub is_admin: bool,
}

impl AuthUser {
    /// SPEC §2: a path or body `user_id` other than the caller's is 403 unless the caller is an admin.
    pub fn ensure_may_act_for(&self, user_id: Uuid) -> Result<(), AppError> {
        if self.id == user_id || self.is_admin {
            Ok(())
        } else {
            Err(AppError::Forbidden("You can only access your own data".into()))
        }
    }
}

/// The raw bearer token of a request, if it has one.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    bearer_token_from_headers(&parts.headers)
}

pub fn bearer_token_from_headers(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let token = bearer_token(parts).ok_or_else(|| AppError::Unauthorized("Not authenticated".into()))?;
        let user = authenticate(state, token).await?;
        tracing::Span::current().record("user.id", tracing::field::display(user.id));
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// Verifies a token and resolves it to a live account (used by the extractor and the WebSocket handshake).
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, AppError> {
    let verified = state.tokens.verify(token).await?;
    identity::resolve_cached(state, &verified).await
}

/// An admin (profile role `admin`, or Supabase `app_metadata.role == "admin"`).
#[derive(Clone, Debug)]
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.is_admin { Ok(AdminUser(user)) } else { Err(AppError::Forbidden("Admin access required".into())) }
    }
}

/// A user when the request carries a valid token, else nobody (a bad token is still refused).
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_none() {
            return Ok(MaybeUser(None));
        }
        AuthUser::from_request_parts(parts, state).await.map(|u| MaybeUser(Some(u)))
    }
}
