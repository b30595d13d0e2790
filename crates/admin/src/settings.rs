//! Settings operators change at run time, kept in the database so every instance sees the same value
//! on its next read (`app_settings`).

use chrono::Utc;
use pam_kernel::DomainError;
use pam_store::{Db, with_db};
use uuid::Uuid;

pub const PRIMARY_MODEL: &str = "primary_model";

pub async fn get(db: &Db, key: &str) -> Result<Option<String>, DomainError> {
    let value = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1").bind(key).fetch_optional(pool).await
    })?;
    Ok(value)
}

pub async fn set(db: &Db, key: &str, value: &str, by: Uuid) -> Result<(), DomainError> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO app_settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(by)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The primary model operators chose, if any (the turn pipeline reads it before each turn).
pub async fn primary_model(db: &Db) -> Result<Option<String>, DomainError> {
    get(db, PRIMARY_MODEL).await
}
