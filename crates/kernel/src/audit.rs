//! The audit log: who did what, kept without personal details.

use chrono::Utc;
use pam_store::{Db, with_db};
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::error::DomainError;

pub async fn record(
    db: &Db,
    actor_id: Option<Uuid>,
    action: &str,
    target: Option<(&str, String)>,
    details: Value,
) -> Result<(), DomainError> {
    let (target_type, target_id) = target.map_or((None, None), |(t, id)| (Some(t), Some(id)));
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, action, target_type, target_id, details, ip, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(actor_id)
        .bind(action)
        .bind(target_type)
        .bind(target_id)
        .bind(SqlJson(details))
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}
