//! The whole account: stats, export of everything the user owns, and deletion.

use chrono::{DateTime, Utc};
use pam_store::{Db, with_db};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::service::{self, Profile};
use super::settings::{self, PrivacySettings, UserSettings};
use crate::audit;
use crate::error::AppError;

#[derive(Serialize, ToSchema)]
pub struct UserStats {
    pub user_id: Uuid,
    pub member_since: DateTime<Utc>,
    pub account_age_days: i64,
    /// Share of the optional profile fields filled in, 0–100.
    pub profile_completeness: u8,
    pub active_sessions: i64,
}

pub async fn stats(db: &Db, user_id: Uuid) -> Result<UserStats, AppError> {
    let profile = service::get(db, user_id).await?;
    let active_sessions: i64 = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL \
             AND expires_at > $2",
        )
        .bind(user_id)
        .bind(Utc::now())
        .fetch_one(pool)
        .await
    })?;
    Ok(UserStats {
        user_id,
        member_since: profile.created_at,
        account_age_days: (Utc::now() - profile.created_at).num_days(),
        profile_completeness: completeness(&profile),
        active_sessions,
    })
}

fn completeness(p: &Profile) -> u8 {
    let filled = [
        p.full_name.is_some(),
        p.nickname.is_some(),
        p.region.is_some(),
        p.timezone.is_some(),
        !p.travel_style.0.is_empty(),
        !p.interests.0.is_empty(),
        p.vehicle.is_some(),
        p.current_latitude.is_some(),
        p.profile_image_url.is_some(),
    ];
    (filled.iter().filter(|f| **f).count() * 100 / filled.len()) as u8
}

#[derive(Serialize, ToSchema)]
pub struct SessionExport {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub account: Value,
    pub profile: Profile,
    pub settings: UserSettings,
    pub privacy: PrivacySettings,
    pub sessions: Vec<SessionExport>,
    #[schema(value_type = Vec<Object>)]
    pub audit_log: Vec<Value>,
}

type SessionRow = (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
type AuditRow = (String, Option<String>, Option<String>, DateTime<Utc>);

pub async fn export(db: &Db, user_id: Uuid) -> Result<AccountExport, AppError> {
    let (email, source, created_at): (Option<String>, String, DateTime<Utc>) = with_db!(db, |pool| {
        sqlx::query_as("SELECT email, auth_source, created_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await
    })?;
    let sessions: Vec<SessionRow> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT created_at, expires_at, used_at, revoked_at FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let audit_rows: Vec<AuditRow> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT action, target_type, target_id, created_at FROM audit_log WHERE actor_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(AccountExport {
        exported_at: Utc::now(),
        account: json!({"id": user_id, "email": email, "auth_source": source, "created_at": created_at}),
        profile: service::get(db, user_id).await?,
        settings: settings::get_settings(db, user_id).await?,
        privacy: settings::get_privacy(db, user_id).await?,
        sessions: sessions
            .into_iter()
            .map(|(created_at, expires_at, used_at, revoked_at)| SessionExport { created_at, expires_at, used_at, revoked_at })
            .collect(),
        audit_log: audit_rows
            .into_iter()
            .map(|(action, target_type, target_id, at)| {
                json!({"action": action, "target_type": target_type, "target_id": target_id, "created_at": at})
            })
            .collect(),
    })
}

/// Deletes the account and everything it owns (every user-owned table cascades from `users`), and the
/// uploaded files. A Supabase identity keeps a tombstone so tokens issued before now stop working.
pub async fn delete(db: &Db, uploads_dir: &std::path::Path, user_id: Uuid, actor_id: Uuid) -> Result<(), AppError> {
    let source: Option<String> = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT auth_source FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let source = source.ok_or_else(|| AppError::not_found("User"))?;
    let now = Utc::now();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
        if source != "builtin" {
            sqlx::query(
                "INSERT INTO users (id, email, password_hash, auth_source, created_at, updated_at, deleted_at) \
                 VALUES ($1, NULL, NULL, $2, $3, $3, $3)",
            )
            .bind(user_id)
            .bind(&source)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })?;
    let dir = uploads_dir.join(user_id.to_string());
    if let Err(err) = tokio::fs::remove_dir_all(&dir).await
        && err.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(user.id = %user_id, error = %err, "could not remove a deleted user's uploads");
    }
    audit::record(db, Some(actor_id), "account.delete", Some(("user", user_id.to_string())), json!({})).await
}
