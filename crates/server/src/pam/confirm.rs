//! Confirmation of actions that delete or speak for the user: the first call only proposes; the action
//! runs after the user's yes (next message, a WebSocket `confirm` frame, or the REST confirm route),
//! with exactly the arguments that were shown.

use std::panic::AssertUnwindSafe;

use chrono::{DateTime, SubsecRound, Utc};
use futures::FutureExt;
use pam_kernel::DomainError;
use pam_kernel::tool::{Tool, ToolContext, ToolError, ToolOutput};
use pam_store::with_db;
use serde_json::{Value, json};
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::state::AppState;

/// How long a proposal stays open.
const OPEN_FOR: chrono::Duration = chrono::Duration::minutes(15);
/// How long a confirmed action may run before another confirm may take it over (its worker died).
const RUN_LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// Records a proposal and returns what the user is asked. The question is a sentence a person reads.
pub async fn propose(
    state: &AppState,
    ctx: &ToolContext,
    conversation_id: Option<Uuid>,
    tool: &Tool,
    arguments: &Value,
) -> Result<Value, DomainError> {
    let id = Uuid::now_v7();
    let summary = tool.confirmation_question(ctx.clone(), arguments).await.map_err(|e| match e {
        ToolError::InvalidArguments(fields) => DomainError::Invalid(fields),
        ToolError::Failed(m) => DomainError::Conflict(m),
    })?;
    with_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO pam_confirmations (id, user_id, conversation_id, tool_name, arguments, summary, status, created_at, \
             turn_id) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)",
        )
        .bind(id)
        .bind(ctx.user_id)
        .bind(conversation_id)
        .bind(tool.name)
        .bind(SqlJson(arguments))
        .bind(&summary)
        .bind(Utc::now())
        .bind(ctx.turn_id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(json!({"confirmation_required": true, "confirmation_id": id, "summary": summary, "tool_name": tool.name}))
}

/// A confirmed action that ran.
pub struct Ran {
    pub tool_name: String,
    pub output: ToolOutput,
    pub conversation_id: Option<Uuid>,
}

type ConfirmationRow = (
    String,
    SqlJson<Value>,
    String,
    Option<SqlJson<Value>>,
    chrono::DateTime<Utc>,
    Option<chrono::DateTime<Utc>>,
    Option<Uuid>,
);

/// Runs a pending confirmation of this user with exactly the arguments shown; a second confirm of the same
/// id returns the first result. The run is a lease: it happens in a task of its own (a disconnect does
/// not cut it short), a failure puts the proposal back, and a run whose worker died is taken over.
pub async fn confirm(state: &AppState, user_id: Uuid, id: Uuid) -> Result<Ran, DomainError> {
    let row: Option<ConfirmationRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "SELECT tool_name, arguments, status, result, created_at, claimed_at, conversation_id FROM pam_confirmations \
             WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    let (tool_name, arguments, status, result, created_at, _, conversation_id) =
        row.ok_or_else(|| DomainError::not_found("Confirmation"))?;
    if status == "done"
        && let Some(result) = result
    {
        let out = ToolOutput {
            data: result.0["data"].clone(),
            ui_actions: serde_json::from_value(result.0["ui_actions"].clone()).unwrap_or_default(),
        };
        return Ok(Ran { tool_name, output: out, conversation_id });
    }
    let now = Utc::now().trunc_subsecs(6);
    if !matches!(status.as_str(), "pending" | "running") || now - created_at > OPEN_FOR + RUN_LEASE {
        return Err(DomainError::Conflict("That confirmation has expired or was cancelled; ask again".into()));
    }
    // Claim it so two confirms cannot both run the action; a run whose lease ran out is taken over. The
    // claim's time identifies it: a worker that lost it records nothing.
    let claimed = with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE pam_confirmations SET status = 'running', claimed_at = $2 WHERE id = $1 \
             AND ((status = 'pending' AND created_at > $3) OR (status = 'running' AND claimed_at < $4))",
        )
        .bind(id)
        .bind(now)
        .bind(now - OPEN_FOR)
        .bind(now - RUN_LEASE)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    if claimed == 0 {
        return Err(if status == "running" {
            DomainError::Busy { message: "That confirmation is already being carried out".into(), retry_after_secs: 2 }
        } else {
            DomainError::Conflict("That confirmation has expired or was cancelled; ask again".into())
        });
    }
    let tool = state.pam.tools.get(&tool_name).ok_or_else(|| DomainError::not_found("Tool"))?.clone();
    let task_state = state.clone();
    let run = pam_web::context::spawn_detached(&state.tasks, async move {
        let state = &task_state;
        let work = AssertUnwindSafe(run_once(state, user_id, id, conversation_id, &tool, &arguments.0, now));
        match work.catch_unwind().await {
            Ok(Ok(outcome)) => Ok(outcome),
            // Stopped before its outcome was recorded: the proposal may be confirmed again. Done here, in
            // the task, so it happens even when the confirming client has gone.
            Ok(Err(e)) => {
                put_back(state, id, now).await;
                Err(e)
            }
            Err(_) => {
                put_back(state, id, now).await;
                Err(DomainError::Internal(anyhow::anyhow!("the confirmed action panicked")))
            }
        }
    });
    match run.await {
        Ok(Ok(Ok(out))) => Ok(Ran { tool_name, output: out, conversation_id }),
        Ok(Ok(Err(e))) => Err(DomainError::Conflict(e.to_string())),
        Ok(Err(e)) => Err(e),
        Err(join) => Err(DomainError::Internal(anyhow::anyhow!("the confirmed action did not finish: {join}"))),
    }
}

/// Runs the confirmed tool once: an earlier run of this confirmation (whose outcome was never recorded
/// on the proposal) is found in the tool executions and its result reused.
async fn run_once(
    state: &AppState,
    user_id: Uuid,
    id: Uuid,
    conversation_id: Option<Uuid>,
    tool: &Tool,
    arguments: &Value,
    claimed_at: DateTime<Utc>,
) -> Result<Result<ToolOutput, ToolError>, DomainError> {
    let (stored, outcome) = match super::registry::recorded_execution(&state.db, id, CONFIRMED).await? {
        Some((label, stored)) => {
            let outcome = super::registry::outcome_of(&label, &stored);
            (stored, outcome)
        }
        None => {
            let ctx = super::registry::tool_context(state, user_id, Some(id), None, None).await?;
            let execution = super::registry::Execution {
                conversation_id,
                turn_id: id,
                tool_use_id: CONFIRMED,
                name: tool.name,
                input: arguments,
            };
            let (_, stored, outcome) = super::registry::run_recorded(state, &ctx, tool, &execution).await;
            (stored, outcome)
        }
    };
    let status = if outcome.is_ok() { "done" } else { "cancelled" };
    with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE pam_confirmations SET status = $2, result = $3 WHERE id = $1 AND claimed_at = $4 AND status = 'running'",
        )
        .bind(id)
        .bind(status)
        .bind(SqlJson(&stored))
        .bind(claimed_at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(outcome)
}

/// The execution record of a confirmed run: `turn_id` is the confirmation's id.
const CONFIRMED: &str = "confirmed";

/// A run that stopped before recording its outcome: the proposal may be confirmed again.
async fn put_back(state: &AppState, id: Uuid, claimed_at: DateTime<Utc>) {
    let restored = with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE pam_confirmations SET status = 'pending', claimed_at = NULL \
             WHERE id = $1 AND claimed_at = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(claimed_at)
        .execute(pool)
        .await
        .map(|_| ())
    });
    if let Err(e) = restored {
        tracing::warn!(confirmation.id = %id, error = %e, "could not put a confirmation back; its lease will expire");
    }
}

/// What the user is told after confirming: the sentence, the UI actions, and the error (if any).
pub struct Confirmed {
    /// The conversation the proposal was made in (none for one made through the REST tool route).
    pub conversation_id: Option<Uuid>,
    pub text: String,
    pub ui_actions: Vec<pam_kernel::tool::UiAction>,
    pub error: Option<String>,
}

/// Confirms and words the outcome for the user (chat "yes" and the WebSocket `confirm` frame alike).
pub async fn carry_out(state: &AppState, user_id: Uuid, id: Uuid) -> Confirmed {
    match confirm(state, user_id, id).await {
        Ok(ran) => Confirmed {
            conversation_id: ran.conversation_id,
            text: format!("Done — {}.", ran.tool_name.replace('_', " ")),
            ui_actions: ran.output.ui_actions,
            error: None,
        },
        Err(e) => {
            let conversation_id = conversation_of(state, user_id, id).await;
            let text = format!("I couldn't do that: {e}");
            Confirmed { conversation_id, text, ui_actions: Vec::new(), error: Some(e.to_string()) }
        }
    }
}

async fn conversation_of(state: &AppState, user_id: Uuid, id: Uuid) -> Option<Uuid> {
    let found: Result<Option<Option<Uuid>>, sqlx::Error> = with_db!(&state.db, |pool| {
        sqlx::query_scalar("SELECT conversation_id FROM pam_confirmations WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    });
    found.ok().flatten().flatten()
}

/// The newest open proposal in a conversation made by an earlier turn (a retried run of the current
/// turn must not answer, or cancel, its own proposal).
pub async fn pending_in(
    state: &AppState,
    user_id: Uuid,
    conversation_id: Uuid,
    current_turn: Uuid,
) -> Result<Option<Uuid>, DomainError> {
    Ok(with_db!(&state.db, |pool| {
        sqlx::query_scalar(
            "SELECT id FROM pam_confirmations WHERE user_id = $1 AND conversation_id = $2 AND status = 'pending' \
             AND created_at > $3 AND (turn_id IS NULL OR turn_id <> $4) ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(conversation_id)
        .bind(Utc::now() - OPEN_FOR)
        .bind(current_turn)
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

/// SPEC §5.5: the answer to a proposal is the next message. Once a message has been answered (or was not
/// an answer), every proposal still open in the conversation from earlier turns lapses.
pub async fn lapse_open(
    state: &AppState,
    user_id: Uuid,
    conversation_id: Uuid,
    current_turn: Uuid,
) -> Result<(), DomainError> {
    with_db!(&state.db, |pool| {
        sqlx::query(
            "UPDATE pam_confirmations SET status = 'cancelled' WHERE user_id = $1 AND conversation_id = $2 \
             AND status = 'pending' AND (turn_id IS NULL OR turn_id <> $3)",
        )
        .bind(user_id)
        .bind(conversation_id)
        .bind(current_turn)
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
