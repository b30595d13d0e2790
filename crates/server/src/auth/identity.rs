//! From a verified token to a live account. The first time a Supabase user is seen, their account,
//! profile, settings and privacy rows are created; a deleted account's tokens stop working.

use chrono::{DateTime, Utc};
use pam_kernel::Caller;
use pam_store::{Db, with_db};
use pam_web::AppError;

use super::authn::AuthService;
use super::token::{TokenSource, VerifiedToken};

type IdentityRow = (String, Option<DateTime<Utc>>, Option<String>);

/// What the cache keeps of a live account.
#[derive(Clone, Debug)]
pub struct CachedIdentity {
    source: TokenSource,
    role_admin: bool,
}

/// Resolves a verified token to a live account, through the short-lived identity cache.
pub async fn resolve_cached(auth: &AuthService, token: &VerifiedToken) -> Result<Caller, AppError> {
    let mark = auth.identities.mark();
    if let Some(hit) = auth.identities.get(&token.user_id)
        && hit.source == token.source
    {
        return Ok(Caller {
            id: token.user_id,
            email: token.email.clone(),
            is_admin: token.claims_admin || hit.role_admin,
        });
    }
    let (user, role_admin) = resolve(&auth.db, token).await?;
    auth.identities.insert(token.user_id, CachedIdentity { source: token.source, role_admin }, mark);
    Ok(user)
}

/// Returns the user and whether their profile role is admin.
pub async fn resolve(db: &Db, token: &VerifiedToken) -> Result<(Caller, bool), AppError> {
    let row: Option<IdentityRow> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.auth_source, u.deleted_at, p.role FROM users u LEFT JOIN profiles p ON p.id = u.id WHERE u.id = $1",
        )
        .bind(token.user_id)
        .fetch_optional(pool)
        .await
    })?;
    let gone = || AppError::Unauthorized("This account no longer exists".into());
    let role = match row {
        None if token.source == TokenSource::Builtin => return Err(gone()),
        None => {
            first_seen(db, token).await?;
            None
        }
        Some((source, _, _)) if source != token.source.as_str() => return Err(gone()),
        Some((_, Some(deleted_at), _)) => {
            // A Supabase user who deleted their account and signed in again afterwards starts afresh;
            // tokens from before the deletion stay dead.
            if token.issued_at <= deleted_at.timestamp() {
                return Err(gone());
            }
            with_db!(db, |pool| {
                sqlx::query("UPDATE users SET deleted_at = NULL, updated_at = $2 WHERE id = $1")
                    .bind(token.user_id)
                    .bind(Utc::now())
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            first_seen(db, token).await?;
            None
        }
        Some((_, None, None)) => {
            // The account exists but its profile rows were never completed: heal it.
            pam_profiles::service::ensure_defaults(db, token.user_id, token.email.as_deref(), None, None).await?;
            None
        }
        Some((_, None, role)) => role,
    };
    let role_admin = role.as_deref() == Some("admin");
    Ok((
        Caller { id: token.user_id, email: token.email.clone(), is_admin: token.claims_admin || role_admin },
        role_admin,
    ))
}

async fn first_seen(db: &Db, token: &VerifiedToken) -> Result<(), AppError> {
    let now = Utc::now();
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at) \
             VALUES ($1, $2, NULL, $3, $4, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(token.user_id)
        .bind(token.email.as_deref())
        .bind(token.source.as_str())
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    tracing::info!(user.id = %token.user_id, source = token.source.as_str(), "first sight of a user");
    Ok(pam_profiles::service::ensure_defaults(db, token.user_id, token.email.as_deref(), None, None).await?)
}
