//! The whole account: the export of everything the user owns (assembled from every domain's part, so a
//! new domain cannot be left out) and its deletion. Both live here because they span every domain.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use pam_kernel::export::{OwnedTable, Sections, owned};
use pam_kernel::{DomainError, NoArguments, Tool, ToolOutput};
use pam_store::{Db, with_db};
use pam_web::{AppError, AuthUser, ErrorBody, Json, Path};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::domains::{DOMAINS, DomainStates};
use crate::state::AppState;

/// The tables the server itself keeps user rows in (accounts, sessions, idempotency keys) and PAM's.
pub fn server_tables() -> impl Iterator<Item = &'static OwnedTable> {
    const ACCOUNT: &[OwnedTable] = &[
        owned("users", "account"),
        owned("refresh_tokens", "sessions"),
        owned("idempotency_keys", "idempotency_keys"),
        owned("push_outbox", "notifications"),
    ];
    ACCOUNT.iter().chain(crate::pam::export::TABLES)
}

/// Every table that holds user rows, with the export section its rows appear under.
pub fn owned_tables() -> impl Iterator<Item = &'static OwnedTable> {
    server_tables().chain(DOMAINS.iter().flat_map(|d| d.tables.iter()))
}

#[derive(Serialize, ToSchema)]
pub struct SessionExport {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Everything the account holds: `account`, `sessions`, `audit_log` (what the user did), and one section
/// per kind of row each domain keeps (`profile`, `settings`, `privacy`, `expenses`, `budgets`, `income`,
/// `savings`, `budget_alerts`, `conversations`, `messages`, `turns`, `tool_executions`, `confirmations`,
/// `usage`, `feedback`, `idempotency_keys`).
#[derive(Serialize, ToSchema)]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub account: Value,
    pub sessions: Vec<SessionExport>,
    #[schema(value_type = Vec<Object>)]
    pub audit_log: Vec<Value>,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub sections: Map<String, Value>,
}

type SessionRow = (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
type AuditRow = (String, Option<String>, Option<String>, DateTime<Utc>);
type IdempotencyRow = (String, String, String, Option<i32>, DateTime<Utc>);

pub async fn export(db: &Db, domains: &DomainStates, user_id: Uuid) -> Result<AccountExport, DomainError> {
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
    let keys: Vec<IdempotencyRow> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT idem_key, method, path, status_code, created_at FROM idempotency_keys WHERE user_id = $1 \
             ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })?;
    let mut sections = Sections::new();
    sections.add(
        "idempotency_keys",
        keys.into_iter()
            .map(|(key, method, path, status, at)| {
                json!({"key": key, "method": method, "path": path, "status_code": status, "created_at": at})
            })
            .collect::<Vec<_>>(),
    )?;
    sections.add("notifications", pam_platform::outbox::all(db, user_id).await?)?;
    let mut sections = sections.into_map();
    for domain in DOMAINS {
        sections.extend((domain.export)(domains, user_id).await?.into_map());
    }
    sections.extend(crate::pam::export::export(db, user_id).await?.into_map());
    Ok(AccountExport {
        exported_at: Utc::now(),
        account: json!({"id": user_id, "email": email, "auth_source": source, "created_at": created_at}),
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
        sections,
    })
}

/// Deletes the account and everything it owns (every user-owned table cascades from `users`), and the
/// uploaded files. A Supabase identity keeps a tombstone so tokens issued before now stop working.
pub async fn delete(state: &AppState, user_id: Uuid, actor_id: Uuid) -> Result<(), DomainError> {
    let db = &state.db;
    let source: Option<String> = with_db!(db, |pool| {
        sqlx::query_scalar("SELECT auth_source FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let source = source.ok_or_else(|| DomainError::not_found("User"))?;
    let now = Utc::now();
    // The cascades lock rows of other users too (the counts of posts the user liked: migration 0015).
    // On Postgres the domains' deletion locks take them first, in one order; should Postgres still end
    // the transaction for another, it runs again.
    let locks_first = db.kind() == pam_store::DbKind::Postgres;
    let _social_caches = state.domains.social.account_deletion();
    pam_store::retry_lost_transactions(|| async {
        with_db!(db, |pool| {
            let mut tx = pool.begin().await?;
            for lock in DOMAINS.iter().flat_map(|d| d.deletion_locks).filter(|_| locks_first) {
                sqlx::query(sqlx::AssertSqlSafe(*lock)).bind(user_id).execute(&mut *tx).await?;
            }
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
        })
    })
    .await?;
    state.auth.forget(user_id);
    for domain in DOMAINS {
        (domain.deleted)(&state.domains, user_id).await;
    }
    pam_kernel::audit::record(db, Some(actor_id), "account.delete", Some(("user", user_id.to_string())), json!({}))
        .await
}

/// PAM's `export_data`: what the export holds (how many rows of each kind) and where to download it.
/// Not the export itself: that would put the user's whole history, chats included, into the model's
/// context, and each call's result (stored with the turn) would grow the next export.
pub fn tools(domains: &DomainStates) -> Vec<Tool> {
    vec![Tool::with_state(
        domains.clone(),
        "export_data",
        "Prepare the user's data export: says what it holds and where to download it.",
        false,
        |domains, ctx, _: NoArguments| async move {
            let export = export(&ctx.db, &domains, ctx.user_id).await?;
            let counts: Map<String, Value> = export
                .sections
                .iter()
                .map(|(name, v)| (name.clone(), json!(v.as_array().map_or(1, Vec::len))))
                .collect();
            ToolOutput::data(json!({"download_url": format!("/api/v1/users/{}/export", ctx.user_id),
                "sessions": export.sessions.len(), "sections": counts}))
        },
    )]
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_account)).routes(routes!(delete_account))
}

/// Everything the user owns, as JSON.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/export", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = AccountExport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn export_account(
    State(state): State<AppState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<impl IntoResponse, AppError> {
    let id = pam_profiles::routes::target(&state.domains.profiles, &user, user_id).await?;
    let export = export(&state.db, &state.domains, id).await?;
    let disposition = format!("attachment; filename=\"pam-export-{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(export)))
}

/// Delete the account and all its data; its tokens stop working.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}", tag = "profiles", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_account(
    State(state): State<AppState>,
    user: AuthUser,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    user.ensure_may_act_for(user_id)?;
    delete(&state, user_id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
