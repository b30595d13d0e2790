//! Built-in accounts: register, login, refresh with rotation and reuse detection, logout.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use pam_platform::rate_limit::Quota;
use pam_store::{Db, is_unique_violation, with_db};
use pam_web::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::password::{self, Email, Password};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// Stored lower-cased; surrounding spaces are ignored.
    #[schema(value_type = password::EmailAddress)]
    pub email: String,
    /// 8–128 characters.
    #[schema(min_length = 8, max_length = 128, example = "a long passphrase")]
    pub password: String,
    #[schema(max_length = 200)]
    pub full_name: Option<String>,
    /// Country or region, e.g. `AU` or `Australia`; sets the default currency.
    #[schema(max_length = 100)]
    pub region: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "robyn@example.com")]
    pub email: String,
    #[schema(example = "a long passphrase")]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct LogoutRequest {
    /// Revoke this session (its whole rotation family).
    pub refresh_token: Option<String>,
    /// Revoke every session of the user.
    #[serde(default)]
    pub all: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct UserInfo {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub user: UserInfo,
    pub access_token: String,
    pub refresh_token: String,
    /// Always `bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized("Incorrect email or password".into())
}

/// The key failed logins are counted under: the account's normalised email, hashed (so the limiter's
/// memory holds no addresses), and the client's address.
fn login_failures_key(email: &str, ip: Option<IpAddr>) -> String {
    let digest = hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()).get(..12).unwrap_or_default());
    match ip {
        Some(ip) => format!("login-fail:{digest}:{}", crate::http::limits::address_key(ip)),
        None => format!("login-fail:{digest}:any"),
    }
}

fn login_failure_quota(state: &AppState) -> Quota {
    state.config.limits.login_failures
}

/// Failures for one account from all addresses together: four times the per-address bound.
fn account_failure_quota(state: &AppState) -> Quota {
    let per_address = state.config.limits.login_failures;
    Quota { limit: per_address.limit.saturating_mul(4), period: per_address.period }
}

pub async fn register(state: &AppState, req: RegisterRequest) -> Result<TokenResponse, AppError> {
    let mut errors = Vec::new();
    let email =
        Email::parse(&req.email).map_err(|m| errors.push(FieldError::new(&["body", "email"], m, "value_error")));
    let password = Password::parse(&req.password)
        .map_err(|m| errors.push(FieldError::new(&["body", "password"], m, "value_error")));
    let full_name = pam_kernel::text::optional_text(req.full_name, 200)
        .map_err(|m| errors.push(FieldError::new(&["body", "full_name"], m, "value_error")));
    let region = pam_kernel::text::optional_text(req.region, 100)
        .map_err(|m| errors.push(FieldError::new(&["body", "region"], m, "value_error")));
    let (Ok(email), Ok(password), Ok(full_name), Ok(region)) = (email, password, full_name, region) else {
        return Err(AppError::Validation(errors));
    };
    let hash = password::hash(password).await?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let inserted = with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at) \
             VALUES ($1, $2, $3, 'builtin', $4, $4)",
        )
        .bind(id)
        .bind(email.as_str())
        .bind(&hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    });
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict("An account with this email already exists".into()));
        }
        Err(e) => return Err(e.into()),
    }
    pam_profiles::service::ensure_defaults(
        &state.db,
        id,
        Some(email.as_str()),
        full_name.as_deref(),
        region.as_deref(),
    )
    .await?;
    tracing::info!(user.id = %id, "registered a built-in account");
    issue_session(state, id, Uuid::now_v7()).await
}

pub async fn login(state: &AppState, ip: IpAddr, req: LoginRequest) -> Result<TokenResponse, AppError> {
    // Looked up as stored, not checked against today's registration rule: an account made under an
    // earlier, looser rule still signs in. One that matches nothing is answered as a wrong password.
    let email = Some(Email::normalized(&req.email)).filter(|e| !e.is_empty() && e.len() <= 254);
    // Repeated failures for one account from one address wait (guessing), whatever the next password is;
    // and so do failures for one account from many addresses, at a higher bound (a spread-out guesser).
    let account = email.as_deref().unwrap_or(req.email.as_str());
    let failures_key = login_failures_key(account, Some(ip));
    let account_key = login_failures_key(account, None);
    state.limiter.peek(&failures_key, login_failure_quota(state)).await.into_result()?;
    state.limiter.peek(&account_key, account_failure_quota(state)).await.into_result()?;
    let row: Option<(Uuid, Option<String>)> = match &email {
        Some(email) => with_db!(&state.db, |pool| {
            sqlx::query_as(
                "SELECT id, password_hash FROM users WHERE email = $1 AND auth_source = 'builtin' AND deleted_at IS NULL",
            )
            .bind(email)
            .fetch_optional(pool)
            .await
        })?,
        None => None,
    };
    let (id, stored) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    if !password::verify(req.password, stored).await {
        state.limiter.check(&failures_key, login_failure_quota(state)).await;
        state.limiter.check(&account_key, account_failure_quota(state)).await;
        return Err(bad_credentials());
    }
    let id = id.ok_or_else(bad_credentials)?;
    issue_session(state, id, Uuid::now_v7()).await
}

/// Spends a refresh token and issues a new pair in the same family. A token that was already spent is
/// evidence of theft or replay: the whole family is revoked.
pub async fn refresh(state: &AppState, req: RefreshRequest) -> Result<TokenResponse, AppError> {
    let hash = hash_refresh_token(&req.refresh_token);
    let now = Utc::now();
    let spent: Option<(Uuid, Uuid)> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE refresh_tokens SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 \
             RETURNING user_id, family_id",
        )
        .bind(&hash)
        .bind(now)
        .fetch_optional(pool)
        .await
    })?;
    let Some((user_id, family_id)) = spent else {
        let reused: Option<(Uuid, Option<DateTime<Utc>>)> = with_db!(&state.db, |pool| {
            sqlx::query_as("SELECT family_id, used_at FROM refresh_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(pool)
                .await
        })?;
        if let Some((family_id, Some(_))) = reused {
            tracing::warn!(%family_id, "refresh token reused: revoking its family");
            revoke_family(&state.db, family_id).await?;
        }
        return Err(AppError::Unauthorized("Invalid or expired refresh token".into()));
    };
    issue_session(state, user_id, family_id).await
}

pub async fn logout(state: &AppState, user_id: Uuid, req: LogoutRequest) -> Result<(), AppError> {
    let now = Utc::now();
    if req.all {
        with_db!(&state.db, |pool| {
            sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(user_id)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
    } else if let Some(token) = req.refresh_token {
        let family: Option<Uuid> = with_db!(&state.db, |pool| {
            sqlx::query_scalar("SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2")
                .bind(hash_refresh_token(&token))
                .bind(user_id)
                .fetch_optional(pool)
                .await
        })?;
        if let Some(family) = family {
            revoke_family(&state.db, family).await?;
        }
    }
    Ok(())
}

async fn revoke_family(db: &Db, family_id: Uuid) -> Result<(), AppError> {
    with_db!(db, |pool| {
        sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL")
            .bind(family_id)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn me(db: &Db, user_id: Uuid) -> Result<UserInfo, AppError> {
    let row: Option<(Option<String>, Option<String>, String)> = with_db!(db, |pool| {
        sqlx::query_as("SELECT email, full_name, role FROM profiles WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let (email, full_name, role) = row.ok_or_else(|| AppError::not_found("User"))?;
    Ok(UserInfo { id: user_id, email, full_name, role })
}

async fn issue_session(state: &AppState, user_id: Uuid, family_id: Uuid) -> Result<TokenResponse, AppError> {
    let user = me(&state.db, user_id).await?;
    let access_token = state.auth.tokens.issue(user_id, user.email.as_deref().unwrap_or_default())?;
    let refresh_token = crate::config::random_token(32);
    let now = Utc::now();
    let ttl = Duration::from_std(state.config.refresh_token_ttl).unwrap_or(Duration::days(30));
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(family_id)
        .bind(hash_refresh_token(&refresh_token))
        .bind(now + ttl)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(TokenResponse {
        user,
        access_token,
        refresh_token,
        token_type: "bearer",
        expires_in: state.auth.tokens.access_ttl().as_secs(),
    })
}
