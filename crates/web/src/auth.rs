//! `AuthUser`, `AdminUser` and `MaybeUser`: identity comes only from a verified bearer token.
//!
//! The extractors are generic over the application state, so routes can live in any domain crate: they
//! need only an [`Authn`] reachable through `FromRef`. The server supplies it (token verification and the
//! account lookup live there).

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use futures::future::BoxFuture;
use pam_kernel::Caller;

use crate::error::AppError;

/// Turns a bearer token into the caller it belongs to (verified signature, live account).
pub trait Authenticator: Send + Sync {
    fn authenticate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Caller, AppError>>;
}

/// The application's authenticator, as route handlers reach it through the state.
#[derive(Clone)]
pub struct Authn(pub Arc<dyn Authenticator>);

/// A signed-in user whose token verified and whose account exists.
#[derive(Clone, Debug)]
pub struct AuthUser(pub Caller);

impl Deref for AuthUser {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

/// Left in a request's extensions by the edge when its bearer token was refused, so the extractor answers
/// 401 without verifying the same token again (a refused token may have cost a key-set download).
#[derive(Clone, Debug)]
pub struct AuthRejected(pub String);

/// The raw bearer token of a request, if it has one.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    bearer_token_from_headers(&parts.headers)
}

pub fn bearer_token_from_headers(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl<S> FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
    Authn: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        if let Some(AuthRejected(why)) = parts.extensions.get::<AuthRejected>() {
            return Err(AppError::Unauthorized(why.clone()));
        }
        let token = bearer_token(parts).ok_or_else(|| AppError::Unauthorized("Not authenticated".into()))?;
        let caller = Authn::from_ref(state).0.authenticate(token).await?;
        tracing::Span::current().record("user.id", tracing::field::display(caller.id));
        let user = AuthUser(caller);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// An admin (profile role `admin`, or Supabase `app_metadata.role == "admin"`).
#[derive(Clone, Debug)]
pub struct AdminUser(pub AuthUser);

impl<S> FromRequestParts<S> for AdminUser
where
    S: Send + Sync,
    Authn: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.is_admin { Ok(AdminUser(user)) } else { Err(AppError::Forbidden("Admin access required".into())) }
    }
}

/// A user when the request carries a valid token, else nobody (a bad token is still refused).
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<AuthUser>);

impl<S> FromRequestParts<S> for MaybeUser
where
    S: Send + Sync,
    Authn: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_none() {
            return Ok(MaybeUser(None));
        }
        AuthUser::from_request_parts(parts, state).await.map(|u| MaybeUser(Some(u)))
    }
}
