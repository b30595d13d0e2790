//! PAM's part of the account export: conversations and their messages, turns, tool executions,
//! confirmations, the usage ledger and feedback — every row PAM keeps for the user.

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections, owned};
use pam_store::{Db, with_db};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

pub const TABLES: &[OwnedTable] = &[
    owned("pam_conversations", "conversations"),
    owned("pam_messages", "messages"),
    owned("pam_turns", "turns"),
    owned("tool_executions", "tool_executions"),
    owned("pam_confirmations", "confirmations"),
    owned("llm_usage", "usage"),
    owned("pam_feedback", "feedback"),
];

#[derive(Serialize, sqlx::FromRow)]
struct Conversation {
    id: Uuid,
    title: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    conversation_id: Uuid,
    role: String,
    blocks: SqlJson<Value>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct Turn {
    id: Uuid,
    conversation_id: Uuid,
    message_id: String,
    status: String,
    reply: Option<SqlJson<Value>>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct ToolExecution {
    id: Uuid,
    conversation_id: Option<Uuid>,
    turn_id: Uuid,
    tool_use_id: String,
    tool_name: String,
    outcome: String,
    result: SqlJson<Value>,
    duration_ms: i64,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct Confirmation {
    id: Uuid,
    conversation_id: Option<Uuid>,
    tool_name: String,
    arguments: SqlJson<Value>,
    summary: String,
    status: String,
    result: Option<SqlJson<Value>>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct Usage {
    id: Uuid,
    conversation_id: Option<Uuid>,
    model: String,
    input_tokens: i64,
    output_tokens: i64,
    cache_write_tokens: i64,
    cache_read_tokens: i64,
    cost_micro_usd: i64,
    latency_ms: i64,
    outcome: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
struct Feedback {
    id: Uuid,
    message_id: String,
    rating: Option<i32>,
    thumbs_up: Option<bool>,
    feedback_text: Option<String>,
    created_at: DateTime<Utc>,
}

/// Every row of `table` for the user, oldest first. `columns` and `table` come from this module only.
async fn rows<T>(db: &Db, table: &str, columns: &str, user_id: Uuid) -> Result<Vec<T>, DomainError>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let sql = format!("SELECT {columns} FROM {table} WHERE user_id = $1 ORDER BY created_at");
    Ok(with_db!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await)?)
}

pub async fn export(db: &Db, user_id: Uuid) -> Result<Sections, DomainError> {
    let mut out = Sections::new();
    let conversations: Vec<Conversation> =
        rows(db, "pam_conversations", "id, title, created_at, updated_at", user_id).await?;
    out.add("conversations", conversations)?;
    let messages: Vec<MessageRow> =
        rows(db, "pam_messages", "id, conversation_id, role, blocks, created_at", user_id).await?;
    out.add("messages", messages)?;
    let turns: Vec<Turn> =
        rows(db, "pam_turns", "id, conversation_id, message_id, status, reply, created_at", user_id).await?;
    out.add("turns", turns)?;
    let executions: Vec<ToolExecution> = rows(
        db,
        "tool_executions",
        "id, conversation_id, turn_id, tool_use_id, tool_name, outcome, result, duration_ms, created_at",
        user_id,
    )
    .await?;
    out.add("tool_executions", executions)?;
    let confirmations: Vec<Confirmation> = rows(
        db,
        "pam_confirmations",
        "id, conversation_id, tool_name, arguments, summary, status, result, created_at",
        user_id,
    )
    .await?;
    out.add("confirmations", confirmations)?;
    let usage: Vec<Usage> = rows(
        db,
        "llm_usage",
        "id, conversation_id, model, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, \
         cost_micro_usd, latency_ms, outcome, created_at",
        user_id,
    )
    .await?;
    out.add("usage", usage)?;
    let feedback: Vec<Feedback> =
        rows(db, "pam_feedback", "id, message_id, rating, thumbs_up, feedback_text, created_at", user_id).await?;
    out.add("feedback", feedback)?;
    Ok(out)
}
