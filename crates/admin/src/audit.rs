//! The audit of operators' calls: every request to `/api/v1/admin…` is recorded — who (when the token
//! is valid), the route template and method, the status it got — whatever its outcome, 401 and 403
//! included. And `GET /api/v1/admin/audit`, the log itself, filtered and paged.

use axum::extract::{FromRef, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use pam_kernel::{DomainError, Page};
use pam_store::with_db;
use pam_web::{Authn, MaybeUser};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::types::Json as SqlJson;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AdminState;

/// Records the call after it ran, with its outcome.
pub async fn audit_layer<S>(State(state): State<S>, request: Request, next: Next) -> Response
where
    S: Clone + Send + Sync + 'static,
    AdminState: FromRef<S>,
    Authn: FromRef<S>,
{
    // Who is asking, when the token says (a bad token is recorded as nobody; the route refuses it).
    let (mut parts, body) = request.into_parts();
    let user = <MaybeUser as axum::extract::FromRequestParts<S>>::from_request_parts(&mut parts, &state).await;
    let request = Request::from_parts(parts, body);
    let actor = user.ok().and_then(|u| u.0).map(|u| u.id);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let admin = AdminState::from_ref(&state);
    let status = response.status().as_u16();
    let outcome = if status < 400 { "ok" } else { "refused" };
    let details = json!({"method": method, "route": route, "status": status, "outcome": outcome});
    if let Err(e) = pam_kernel::audit::record(&admin.db, actor, &format!("admin {method} {route}"), None, details).await
    {
        tracing::warn!(error = %e, "could not record an admin call in the audit log");
    }
    response
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    /// Entries whose action starts with this ("admin GET", "campground.").
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: SqlJson<Value>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(state: &AdminState, q: &AuditQuery) -> Result<AuditList, DomainError> {
    let page = Page::parse(q.limit, q.offset)?;
    let action = q.action.as_deref().map(|a| format!("{}%", a.replace(['%', '_'], "")));
    let filter = "($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR action LIKE $2) \
                  AND ($3 IS NULL OR created_at >= $3) AND ($4 IS NULL OR created_at <= $4)";
    let rows_sql = format!(
        "SELECT id, actor_id, action, target_type, target_id, details, created_at FROM audit_log WHERE {filter} \
         ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    );
    let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {filter}");
    let (entries, total): (Vec<AuditEntry>, i64) = with_db!(&state.db, |pool| {
        let entries = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql.clone()))
            .bind(q.actor_id)
            .bind(&action)
            .bind(q.from)
            .bind(q.to)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?;
        let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone()))
            .bind(q.actor_id)
            .bind(&action)
            .bind(q.from)
            .bind(q.to)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((entries, total))
    })?;
    Ok(AuditList { entries, total, limit: page.limit, offset: page.offset })
}
