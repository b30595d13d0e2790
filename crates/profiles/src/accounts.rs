//! Accounts as operators handle them: naming one from the command line, listing, and the admin role.

use chrono::Utc;
use pam_kernel::DomainError;
use pam_store::{Db, with_db};
use uuid::Uuid;

/// The account a command-line argument names: a user id, or an email that exactly one account has.
/// Built-in sign-up does not verify addresses, so an email may be shared by several accounts (a Supabase
/// user and someone who registered the same address); then the ids are listed and nothing is chosen.
pub async fn find_account(db: &Db, who: &str) -> Result<(Uuid, Option<String>, String), DomainError> {
    type Row = (Uuid, Option<String>, String);
    let who = who.trim();
    let rows: Vec<Row> = match Uuid::parse_str(who) {
        Ok(id) => with_db!(db, |pool| {
            sqlx::query_as("SELECT id, email, role FROM profiles WHERE id = $1").bind(id).fetch_all(pool).await
        })?,
        Err(_) => {
            let email = who.to_ascii_lowercase();
            with_db!(db, |pool| {
                sqlx::query_as("SELECT id, email, role FROM profiles WHERE email = $1 ORDER BY created_at")
                    .bind(&email)
                    .fetch_all(pool)
                    .await
            })?
        }
    };
    match rows.as_slice() {
        [] => Err(DomainError::NotFound(format!("No account is {who}"))),
        [one] => Ok(one.clone()),
        many => {
            let ids: Vec<String> = many.iter().map(|(id, _, _)| id.to_string()).collect();
            Err(DomainError::Conflict(format!(
                "{} accounts have the email {who}; name one by its id: {}",
                many.len(),
                ids.join(", ")
            )))
        }
    }
}

/// Grants or revokes the admin role of the account `who` names (the `pam-backend admin` command).
/// Returns the user id. The caller tells running servers (their identity caches hold the role).
pub async fn set_admin(db: &Db, who: &str, admin: bool) -> Result<Uuid, DomainError> {
    let (id, _, _) = find_account(db, who).await?;
    let role = if admin { "admin" } else { "user" };
    with_db!(db, |pool| {
        sqlx::query("UPDATE profiles SET role = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(role)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    pam_kernel::audit::record(
        db,
        None,
        if admin { "admin.grant" } else { "admin.revoke" },
        Some(("user", id.to_string())),
        serde_json::json!({}),
    )
    .await?;
    Ok(id)
}

/// An account as operators see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct AccountSummary {
    pub id: Uuid,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub role: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// Accounts whose email or name contains `q` (case-insensitive), newest first, and how many match.
pub async fn list_accounts(
    db: &Db,
    q: Option<&str>,
    page: pam_kernel::Page,
) -> Result<(Vec<AccountSummary>, i64), DomainError> {
    // LIKE on lower-cased text: the portable case-insensitive match (no ILIKE on SQLite).
    let pattern = q.map(|q| format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], "")));
    let rows: Vec<AccountSummary> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, full_name, role, created_at FROM profiles WHERE $1 IS NULL \
             OR LOWER(COALESCE(email, '')) LIKE $1 OR LOWER(COALESCE(full_name, '')) LIKE $1 \
             ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await
    })?;
    let total: i64 = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM profiles WHERE $1 IS NULL \
             OR LOWER(COALESCE(email, '')) LIKE $1 OR LOWER(COALESCE(full_name, '')) LIKE $1",
        )
        .bind(&pattern)
        .fetch_one(pool)
        .await
    })?;
    Ok((rows, total))
}

/// Sets an account's role (`user` or `admin`). Refuses to remove the last admin: someone must be able
/// to give the role back.
pub async fn set_role(db: &Db, id: Uuid, role: &str) -> Result<AccountSummary, DomainError> {
    if !matches!(role, "user" | "admin") {
        return Err(DomainError::invalid(&["body", "role"], "must be user or admin"));
    }
    // One statement that refuses to take away the last admin role. On Postgres two admins demoting
    // each other at once would each still see the other as an admin, so role changes queue on a lock.
    let update = "UPDATE profiles SET role = $2, updated_at = $3 WHERE id = $1 \
         AND ($2 = 'admin' OR role <> 'admin' OR (SELECT COUNT(*) FROM profiles WHERE role = 'admin' AND id <> $1) > 0) \
         RETURNING id, email, full_name, role, created_at";
    let row: Option<AccountSummary> = match db {
        Db::Sqlite(pool) => sqlx::query_as(update).bind(id).bind(role).bind(Utc::now()).fetch_optional(pool).await?,
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext('pam.profiles.roles'))").execute(&mut *tx).await?;
            let row = sqlx::query_as(update).bind(id).bind(role).bind(Utc::now()).fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            row
        }
    };
    if let Some(row) = row {
        return Ok(row);
    }
    let exists: Option<String> = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT role FROM profiles WHERE id = $1").bind(id).fetch_optional(pool).await
    })?;
    match exists {
        None => Err(DomainError::not_found("User")),
        Some(_) => Err(DomainError::Conflict("This is the last admin; make someone else an admin first".into())),
    }
}
