//! Queries every user-owned resource shares.

use pam_store::{Db, with_db};
use uuid::Uuid;

use crate::error::DomainError;

/// Deletes a row the user owns; another user's row (or none) is "not found" — never revealed.
/// `table` comes from the calling module, never from input.
pub async fn delete(db: &Db, table: &'static str, id: Uuid, user_id: Uuid, what: &str) -> Result<(), DomainError> {
    let sql = format!("DELETE FROM {table} WHERE id = $1 AND user_id = $2");
    let n = with_db!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(user_id).execute(pool).await.map(|r| r.rows_affected())
    })?;
    if n == 0 { Err(DomainError::not_found(what)) } else { Ok(()) }
}
