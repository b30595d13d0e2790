//! Confirmation of actions that delete or speak for the user: the first call only proposes; the action
//! runs after the user's yes (next message, a WebSocket `confirm` frame, or the REST confirm route),
//! with exactly the arguments that were shown.

use chrono::Utc;
use pam_kernel::DomainError;
use pam_kernel::tool::{Tool, ToolError, ToolOutput};
use pam_store::with_db;
use serde_json::{Value, json};
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::state::AppState;

/// How long a proposal stays open.
const OPEN_FOR: chrono::Duration = chrono::Duration::minutes(15);

pub async fn propose(
    state: &AppState,
    user_id: Uuid,
    conversation_id: Option<Uuid>,
    tool: &Tool,
    arguments: &Value,
) -> Result<Value, DomainError> {
    let id = Uuid::now_v7();
    let summary = format!("I'd like to {} with {}. Please confirm.", tool.name.replace('_', " "), arguments);
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO pam_confirmations (id, user_id, conversation_id, tool_name, arguments, summary, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
        )
        .bind(id)
        .bind(user_id)
        .bind(conversation_id)
        .bind(tool.name)
        .bind(SqlJson(arguments))
        .bind(&summary)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(json!({"confirmation_required": true, "confirmation_id": id, "summary": summary, "tool_name": tool.name}))
}

/// Runs a pending confirmation of this user; a second confirm of the same id returns the first result.
pub async fn confirm(state: &AppState, user_id: Uuid, id: Uuid) -> Result<(String, ToolOutput), DomainError> {
    type Row = (String, SqlJson<Value>, String, Option<SqlJson<Value>>, chrono::DateTime<Utc>);
    let row: Option<Row> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT tool_name, arguments, status, result, created_at FROM pam_confirmations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let (tool_name, arguments, status, result, created_at) =
        row.ok_or_else(|| DomainError::not_found("Confirmation"))?;
    if status == "done"
        && let Some(result) = result
    {
        let out: ToolOutput = ToolOutput {
            data: result.0["data"].clone(),
            ui_actions: serde_json::from_value(result.0["ui_actions"].clone()).unwrap_or_default(),
        };
        return Ok((tool_name, out));
    }
    if status != "pending" || Utc::now() - created_at > OPEN_FOR {
        return Err(DomainError::Conflict("That confirmation has expired or was cancelled; ask again".into()));
    }
    // Claim it so two confirms cannot both run the action.
    let claimed = with_db!(&state.db, |pool| {
        sqlx::query("UPDATE pam_confirmations SET status = 'running' WHERE id = $1 AND status = 'pending'")
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    if claimed == 0 {
        return Err(DomainError::Conflict("That confirmation is already being carried out".into()));
    }
    let tool = state.pam.tools.get(&tool_name).ok_or_else(|| DomainError::not_found("Tool"))?;
    let ctx = super::registry::tool_context(state, user_id, None, None).await?;
    let outcome = tool.run(ctx, arguments.0).await;
    let (status, stored, result) = match outcome {
        Ok(out) => ("done", json!({"data": out.data, "ui_actions": out.ui_actions}), Ok(out)),
        Err(e) => ("cancelled", json!({"error": e.to_string()}), Err(e)),
    };
    with_db!(&state.db, |pool| {
        sqlx::query("UPDATE pam_confirmations SET status = $2, result = $3 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(SqlJson(&stored))
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    match result {
        Ok(out) => Ok((tool_name, out)),
        Err(ToolError::InvalidArguments(m)) | Err(ToolError::Failed(m)) => Err(DomainError::Conflict(m)),
    }
}

/// What the user is told after confirming: the sentence, the UI actions, and the error (if any).
pub struct Confirmed {
    pub text: String,
    pub ui_actions: Vec<pam_kernel::tool::UiAction>,
    pub error: Option<String>,
}

/// Confirms and words the outcome for the user (chat "yes" and the WebSocket `confirm` frame alike).
pub async fn carry_out(state: &AppState, user_id: Uuid, id: Uuid) -> Confirmed {
    match confirm(state, user_id, id).await {
        Ok((name, out)) => {
            Confirmed { text: format!("Done — {}.", name.replace('_', " ")), ui_actions: out.ui_actions, error: None }
        }
        Err(e) => {
            Confirmed { text: format!("I couldn't do that: {e}"), ui_actions: Vec::new(), error: Some(e.to_string()) }
        }
    }
}

/// The newest open proposal in a conversation.
pub async fn pending_in(state: &AppState, user_id: Uuid, conversation_id: Uuid) -> Result<Option<Uuid>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM pam_confirmations WHERE user_id = $1 AND conversation_id = $2 AND status = 'pending' AND created_at > $3 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(conversation_id)
        .bind(Utc::now() - OPEN_FOR)
        .fetch_optional(pool)
        .await
    })?)
}

pub async fn cancel(state: &AppState, id: Uuid) -> Result<(), DomainError> {
    with_db!(&state.db, |pool| {
        sqlx::query("UPDATE pam_confirmations SET status = 'cancelled' WHERE id = $1 AND status = 'pending'")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// "yes", "go ahead", "do it" … → Some(true); "no", "cancel", "don't" → Some(false).
pub fn answer(text: &str) -> Option<bool> {
    let t = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    const YES: &[&str] = &[
        "yes",
        "y",
        "yep",
        "yeah",
        "yes please",
        "go ahead",
        "do it",
        "confirm",
        "confirmed",
        "ok",
        "okay",
        "sure",
        "please do",
        "yes do it",
        "go for it",
    ];
    const NO: &[&str] = &["no", "n", "nope", "cancel", "don't", "dont", "no thanks", "stop", "never mind", "nevermind"];
    if YES.contains(&t.as_str()) {
        Some(true)
    } else if NO.contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}
