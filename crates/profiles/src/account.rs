//! Account statistics, and this domain's part of the account export.

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use pam_store::{Db, with_db};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::service::{self, Profile};
use crate::settings;

#[derive(Serialize, ToSchema)]
pub struct UserStats {
    pub user_id: Uuid,
    pub member_since: DateTime<Utc>,
    pub account_age_days: i64,
    /// Share of the optional profile fields filled in, 0–100.
    pub profile_completeness: u8,
    pub active_sessions: i64,
}

pub async fn stats(db: &Db, user_id: Uuid) -> Result<UserStats, DomainError> {
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

/// The tables this domain keeps a user's rows in, with the export section each appears under.
pub const TABLES: &[OwnedTable] =
    &[owned("profiles", "profile"), owned("user_settings", "settings"), owned("privacy_settings", "privacy")];

/// The profile, settings and privacy rows, as sections of the account export.
pub async fn export(db: &Db, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    out.add("profile", service::get(db, user_id).await?)?;
    out.add("settings", settings::get_settings(db, user_id).await?)?;
    out.add("privacy", settings::get_privacy(db, user_id).await?)?;
    Ok(out)
}

/// What the account's deletion leaves behind here once its rows are gone: the cached profile (on every
/// instance) and the uploaded pictures.
pub async fn deleted(state: &crate::ProfilesState, user_id: Uuid) {
    service::forget(state, user_id);
    let dir = state.uploads_dir.join(user_id.to_string());
    if let Err(err) = tokio::fs::remove_dir_all(&dir).await
        && err.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(user.id = %user_id, error = %err, "could not remove a deleted user's uploads");
    }
}
