//! PAM's persistence: conversations, transcript messages and the usage ledger (turn claims are in
//! `claims`).

use chrono::{DateTime, Utc};
use pam_brain::transcript::{Block, Message, Role};
use pam_brain::usage::UsageRecord;
use pam_store::{Db, with_db};
use pam_web::error::AppError;
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json as SqlJson;
use utoipa::ToSchema;
use uuid::Uuid;

/// A chat without a conversation id continues the latest one unless it has been idle this long.
const CONVERSATION_IDLE: chrono::Duration = chrono::Duration::hours(6);

/// The conversation a message belongs to: the one the client named (it must be the user's), else the
/// latest unless idle, else a new id. A new conversation's row is written by [`ensure_conversation`] once
/// the turn is claimed, so two copies of a first message arriving together do not make two conversations.
pub async fn resolve_conversation(db: &Db, user_id: Uuid, requested: Option<Uuid>) -> Result<Uuid, AppError> {
    if let Some(id) = requested {
        let owned: Option<Uuid> = with_db!(db, |pool| {
            sqlx::query_scalar("SELECT id FROM pam_conversations WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .fetch_optional(pool)
                .await
        })?;
        return owned.ok_or_else(|| AppError::not_found("Conversation"));
    }
    let recent: Option<Uuid> = with_db!(db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM pam_conversations WHERE user_id = $1 AND updated_at > $2 ORDER BY updated_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(Utc::now() - CONVERSATION_IDLE)
        .fetch_optional(pool)
        .await
    })?;
    Ok(recent.unwrap_or_else(Uuid::now_v7))
}

/// Writes the conversation's row if it is new (a no-op for one that exists).
pub async fn ensure_conversation(db: &Db, user_id: Uuid, id: Uuid, title: &str) -> Result<(), AppError> {
    let now = Utc::now();
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO pam_conversations (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(user_id)
        .bind(title)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn history(db: &Db, conversation_id: Uuid, limit: i64) -> Result<Vec<Message>, AppError> {
    let rows: Vec<(String, SqlJson<Vec<Block>>)> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT role, blocks FROM (SELECT role, blocks, created_at, id FROM pam_messages WHERE conversation_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2) recent ORDER BY created_at, id",
        )
        .bind(conversation_id)
        .bind(limit)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(role, blocks)| Message {
            role: if role == "user" { Role::User } else { Role::Assistant },
            blocks: blocks.0,
        })
        .collect())
}

pub async fn append(db: &Db, conversation_id: Uuid, user_id: Uuid, messages: &[Message]) -> Result<(), AppError> {
    let now = Utc::now();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for (i, m) in messages.iter().enumerate() {
            sqlx::query("INSERT INTO pam_messages (id, conversation_id, user_id, role, blocks, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(Uuid::now_v7())
                .bind(conversation_id)
                .bind(user_id)
                .bind(if m.role == Role::User { "user" } else { "assistant" })
                .bind(SqlJson(&m.blocks))
                .bind(now + chrono::Duration::microseconds(i as i64))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE pam_conversations SET updated_at = $2 WHERE id = $1")
            .bind(conversation_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

pub async fn record_usage(
    db: &Db,
    user_id: Uuid,
    conversation_id: Uuid,
    turn_id: Uuid,
    records: &[UsageRecord],
) -> Result<(), AppError> {
    let now = Utc::now();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        for r in records {
            sqlx::query(
                "INSERT INTO llm_usage (id, user_id, conversation_id, turn_id, model, input_tokens, output_tokens, cache_write_tokens, \
                 cache_read_tokens, cost_micro_usd, latency_ms, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(conversation_id)
            .bind(turn_id)
            .bind(&r.model)
            .bind(r.usage.input_tokens as i64)
            .bind(r.usage.output_tokens as i64)
            .bind(r.usage.cache_write_tokens as i64)
            .bind(r.usage.cache_read_tokens as i64)
            .bind(r.cost_micro_usd as i64)
            .bind(r.latency_ms as i64)
            .bind(&r.outcome)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })?;
    records.iter().for_each(crate::metrics::llm_call);
    Ok(())
}

/// Books one paid speech call in the LLM ledger, so it counts toward the same spend caps. The model
/// label names the engine (`tts:openai:tts-1`, `stt:openai:whisper-1`); the units billed (characters
/// spoken, seconds transcribed) go in `input_tokens`, since that is what the price was applied to.
pub async fn record_speech_usage(
    db: &Db,
    user_id: Uuid,
    conversation_id: Option<Uuid>,
    usage: &pam_speech::SpeechUsage,
) -> Result<(), AppError> {
    with_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO llm_usage (id, user_id, conversation_id, turn_id, model, input_tokens, output_tokens, cache_write_tokens, \
             cache_read_tokens, cost_micro_usd, latency_ms, outcome, created_at) VALUES ($1, $2, $3, NULL, $4, $5, 0, 0, 0, $6, $7, 'ok', $8)",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(conversation_id)
        .bind(&usage.model)
        .bind(usage.units as i64)
        .bind(usage.cost_micro_usd as i64)
        .bind(usage.latency_ms as i64)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    crate::metrics::speech_usage(usage);
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationSummary {
    pub id: Uuid,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatMessage {
    pub id: Uuid,
    pub role: String,
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub tool_calls: Option<Vec<Value>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conversation {
    pub id: Uuid,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub messages: Vec<ChatMessage>,
}

pub async fn list_conversations(
    db: &Db,
    user_id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ConversationSummary>, i64), AppError> {
    type Row = (Uuid, String, DateTime<Utc>, DateTime<Utc>);
    let (rows, total): (Vec<Row>, i64) = with_db!(db, |pool| {
        let rows = sqlx::query_as(
            "SELECT id, title, created_at, updated_at FROM pam_conversations WHERE user_id = $1 ORDER BY updated_at DESC LIMIT $2 OFFSET $3",
        )
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar("SELECT count(*) FROM pam_conversations WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((
        rows.into_iter()
            .map(|(id, title, created_at, updated_at)| ConversationSummary { id, title, created_at, updated_at })
            .collect(),
        total,
    ))
}

/// A conversation with its messages as the front end shows them (text, with tool calls listed).
pub async fn conversation(db: &Db, user_id: Uuid, id: Uuid) -> Result<Conversation, AppError> {
    let head: Option<(String, DateTime<Utc>)> = with_db!(db, |pool| {
        sqlx::query_as("SELECT title, created_at FROM pam_conversations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let (title, created_at) = head.ok_or_else(|| AppError::not_found("Conversation"))?;
    type Row = (Uuid, String, SqlJson<Vec<Block>>, DateTime<Utc>);
    let rows: Vec<Row> = with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, role, blocks, created_at FROM pam_messages WHERE conversation_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let messages = rows
        .into_iter()
        .filter_map(|(mid, role, blocks, at)| {
            let m = Message { role: if role == "user" { Role::User } else { Role::Assistant }, blocks: blocks.0 };
            let calls: Vec<Value> = m
                .tool_uses()
                .map(|(id, name, input)| serde_json::json!({"id": id, "name": name, "input": input}))
                .collect();
            let text = m.text();
            // Tool-result messages are plumbing, not something the user said.
            if text.is_empty() && calls.is_empty() {
                return None;
            }
            Some(ChatMessage {
                id: mid,
                role,
                content: text,
                tool_calls: (!calls.is_empty()).then_some(calls),
                created_at: at,
            })
        })
        .collect();
    Ok(Conversation { id, title, created_at, messages })
}

/// Deletes a conversation and every copy of it PAM kept: its messages (by cascade), its turns' stored
/// replies, its tool executions and its proposals.
pub async fn delete_conversation(db: &Db, user_id: Uuid, id: Uuid) -> Result<(), AppError> {
    let deleted = with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let n = sqlx::query("DELETE FROM pam_conversations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        for table in ["pam_turns", "tool_executions", "pam_confirmations"] {
            let sql = format!("DELETE FROM {table} WHERE user_id = $1 AND conversation_id = $2");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    })?;
    if deleted == 0 { Err(AppError::not_found("Conversation")) } else { Ok(()) }
}

pub async fn latest_conversation(db: &Db, user_id: Uuid) -> Result<Option<Uuid>, AppError> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM pam_conversations WHERE user_id = $1 ORDER BY updated_at DESC LIMIT 1")
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?)
}

/// Deletes all of the user's PAM history: conversations, messages, and the copies kept in turns, tool
/// executions and proposals.
pub async fn delete_all_conversations(db: &Db, user_id: Uuid) -> Result<u64, AppError> {
    Ok(with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let n = sqlx::query("DELETE FROM pam_conversations WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        for table in ["pam_turns", "tool_executions", "pam_confirmations"] {
            let sql = format!("DELETE FROM {table} WHERE user_id = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    })?)
}
