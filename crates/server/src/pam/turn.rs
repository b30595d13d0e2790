//! The one turn pipeline (SPEC §5.1) every door uses: WebSocket, REST chat, pam-simple.
//! normalise context → load the user's context → guardrails → agent loop → persist → reply.

use std::time::Instant;

use chrono::Utc;
use pam_brain::agent::{TurnEvent, TurnOptions, run_turn_with};
use pam_brain::registry::{OFFLINE_MODEL, ProviderKind};
use pam_brain::transcript::Message;
use pam_kernel::Caller;
use pam_profiles::service;
use pam_web::error::AppError;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::context::{self, ChatContext};
use super::registry::TurnToolbox;
use super::store::{self, Claim};
use crate::state::AppState;

pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A chat message as the existing front end sends it; unknown fields (`user_id`, `type`, `environment`,
/// numeric `timestamp`…) are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChatRequest {
    /// The text (1–2000 characters); `content` is accepted too.
    pub message: Option<String>,
    pub content: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub context: Option<Value>,
    pub session_id: Option<String>,
    pub conversation_id: Option<String>,
    pub message_id: Option<String>,
    #[serde(default)]
    pub stream: bool,
}

pub struct ChatInput {
    pub text: String,
    pub context: ChatContext,
    pub conversation_id: Option<Uuid>,
    pub message_id: Option<String>,
}

/// Why a message was refused before any turn ran.
pub enum Refusal {
    Empty,
    TooLong,
}

impl ChatRequest {
    pub fn parse(self, stored_context: Option<&Value>) -> Result<ChatInput, Refusal> {
        let raw = self.message.or(self.content).unwrap_or_default();
        // Control characters are stripped (newlines and tabs kept); the text otherwise goes to the model as written.
        let text: String =
            raw.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect::<String>().trim().to_string();
        if text.is_empty() {
            return Err(Refusal::Empty);
        }
        if text.chars().count() > MAX_MESSAGE_CHARS {
            return Err(Refusal::TooLong);
        }
        let conversation_id = self.conversation_id.or(self.session_id).and_then(|s| Uuid::parse_str(s.trim()).ok());
        let message_id =
            self.message_id.map(|m| m.trim().chars().take(128).collect::<String>()).filter(|m| !m.is_empty());
        Ok(ChatInput {
            text,
            context: context::normalise(self.context.as_ref().or(stored_context)),
            conversation_id,
            message_id,
        })
    }
}

impl Refusal {
    pub fn into_app_error(self) -> AppError {
        match self {
            Refusal::Empty => AppError::invalid(&["body", "message"], "must not be empty"),
            Refusal::TooLong => {
                AppError::invalid(&["body", "message"], format!("must be at most {MAX_MESSAGE_CHARS} characters"))
            }
        }
    }
}

fn source_of(state: &AppState, model: &str) -> &'static str {
    if model == OFFLINE_MODEL {
        return "offline";
    }
    match state.pam.models.get(model).map(|m| m.provider) {
        Ok(ProviderKind::Anthropic) => "claude",
        Ok(ProviderKind::Gemini) => "gemini",
        Ok(ProviderKind::OpenAi) => "openai",
        _ => "offline",
    }
}

/// Runs one turn and returns the reply body (REST shape; the WebSocket adds `type`).
pub async fn run(
    state: &AppState,
    user: &Caller,
    input: ChatInput,
    sink: &(dyn Fn(TurnEvent) + Send + Sync),
) -> Result<Value, AppError> {
    let started = Instant::now();
    let profile = service::get_cached(&state.domains.profiles, user.id).await?;
    let tz = context::zone(&input.context, &profile);
    let conversation_id = store::resolve_conversation(&state.db, user.id, input.conversation_id, &input.text).await?;
    let (turn_id, message_id) =
        match store::claim_turn(&state.db, user.id, conversation_id, input.message_id.as_deref(), &input.text).await? {
            Claim::Replay(mut reply) => {
                reply["timestamp"] = json!(Utc::now());
                reply["processing_time_ms"] = json!(started.elapsed().as_millis() as u64);
                return Ok(reply);
            }
            Claim::Run { turn_id, message_id } => (turn_id, message_id),
        };
    // A yes or no to PAM's pending proposal is answered here, without the model.
    if let Some(yes) = super::confirm::answer(&input.text)
        && let Some(pending) = super::confirm::pending_in(state, user.id, conversation_id).await?
    {
        let (text, ui_actions) = if yes {
            let done = super::confirm::carry_out(state, user.id, pending).await;
            (done.text, done.ui_actions)
        } else {
            super::confirm::cancel(state, pending).await?;
            ("OK, I won't do that.".to_string(), Vec::new())
        };
        let messages = [Message::user_text(input.text.clone()), Message::assistant_text(text.clone())];
        store::append(&state.db, conversation_id, user.id, &messages).await?;
        let mut reply = json!({"response": text, "message": text, "content": text, "ui_actions": ui_actions, "actions": ui_actions,
            "tool_calls": [], "map_action": null, "conversation_id": conversation_id, "session_id": conversation_id,
            "message_id": message_id, "source": "pam", "model": null, "error": false});
        store::finish_turn(&state.db, turn_id, &reply).await?;
        reply["processing_time_ms"] = json!(started.elapsed().as_millis() as u64);
        reply["timestamp"] = json!(Utc::now());
        return Ok(reply);
    }
    if super::guardrails::suspicious(&input.text) {
        // Flag only: the message still gets an ordinary answer, and tool data never acts as instructions.
        tracing::warn!(user.id = %user.id, "message looks like a prompt-injection attempt");
    }
    let allowance = super::spend::allowance(state, user.id).await?;
    let chain =
        if matches!(allowance, super::spend::Allowance::Capped(_)) { &state.pam.offline } else { &state.pam.chain };
    let result = async {
        let history = store::history(&state.db, conversation_id, 40).await?;
        let ctx = super::registry::tool_context(state, user.id, Some(turn_id), Some(tz)).await?;
        let toolbox = TurnToolbox {
            state: state.clone(),
            ctx,
            user_id: user.id,
            conversation_id: Some(conversation_id),
            turn_id,
        };
        let budgets = pam_wins::budgets::all(&state.domains.wins, user.id).await?;
        let budget_lines: Vec<String> =
            budgets.iter().map(|b| format!("{} {}/month", b.category, b.monthly_limit.to_decimal_string())).collect();
        let system = context::system_prompt(&profile, &input.context, tz, &budget_lines);
        let options = TurnOptions { today: Some(Utc::now().with_timezone(&tz).date_naive()), ..Default::default() };
        let span = tracing::info_span!("turn", user.id = %user.id, conversation.id = %conversation_id);
        let outcome = tracing::Instrument::instrument(
            run_turn_with(
                chain,
                &state.pam.models,
                &toolbox,
                &system,
                &history,
                Message::user_text(input.text.clone()),
                &options,
                sink,
            ),
            span,
        )
        .await;
        Ok::<_, AppError>(outcome)
    }
    .await;
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            store::release_turn(&state.db, turn_id).await;
            return Err(e);
        }
    };
    let reply = match outcome {
        Ok(outcome) => {
            store::append(&state.db, conversation_id, user.id, &outcome.new_messages).await?;
            store::record_usage(&state.db, user.id, conversation_id, turn_id, &outcome.usage).await?;
            let map_action = outcome
                .ui_actions
                .iter()
                .find(|a| a["type"] == "open_map")
                .and_then(|a| a["metadata"].get("map_action").cloned());
            let mut text =
                if outcome.text.is_empty() { outcome.error.clone().unwrap_or_default() } else { outcome.text.clone() };
            let notice = match &allowance {
                super::spend::Allowance::Ok => None,
                super::spend::Allowance::Warn(n) | super::spend::Allowance::Capped(n) => Some(n.clone()),
            };
            if let Some(n) = &notice {
                text = format!("{n}\n\n{text}");
            }
            json!({
                "response": text, "message": text, "content": text,
                "ui_actions": outcome.ui_actions, "actions": outcome.ui_actions,
                "tool_calls": outcome.tool_calls.iter().map(|c| {
                    let mut call = json!({"id": c.id, "name": c.name, "status": c.status});
                    if let Some(d) = &c.detail {
                        call["confirmation_id"] = d["confirmation_id"].clone();
                        call["summary"] = d["summary"].clone();
                    }
                    call
                }).collect::<Vec<_>>(),
                "map_action": map_action,
                "conversation_id": conversation_id, "session_id": conversation_id, "message_id": message_id,
                "source": source_of(state, &outcome.model), "model": outcome.model,
                "error": match &outcome.error { Some(e) => json!(format!("{e} Please try again.")), None => json!(false) },
                "retryable": outcome.retryable,
                "notice": notice,
                "usage": {"input_tokens": outcome.usage.iter().map(|u| u.usage.input_tokens).sum::<u64>(),
                          "output_tokens": outcome.usage.iter().map(|u| u.usage.output_tokens).sum::<u64>()},
            })
        }
        Err(e) => {
            let message = "I couldn't reach my brain just now — please try again in a moment.";
            tracing::warn!(error = %e, "turn failed");
            json!({"response": message, "message": message, "content": message, "ui_actions": [], "actions": [], "tool_calls": [],
                   "map_action": null, "conversation_id": conversation_id, "session_id": conversation_id, "message_id": message_id,
                   "source": "none", "model": null, "error": message, "retryable": true})
        }
    };
    let mut reply = reply;
    store::finish_turn(&state.db, turn_id, &reply).await?;
    reply["processing_time_ms"] = json!(started.elapsed().as_millis() as u64);
    reply["timestamp"] = json!(Utc::now());
    Ok(reply)
}
