//! The one turn pipeline (SPEC §5.1) every door uses: WebSocket, REST chat, pam-simple.
//! normalise context → load the user's context → guardrails → agent loop → persist → reply.

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use pam_brain::agent::{TurnEvent, TurnOptions, TurnOutcome, run_turn_with};
use pam_brain::registry::{OFFLINE_MODEL, ProviderKind};
use pam_brain::transcript::Message;
use pam_kernel::Caller;
use pam_kernel::schema_rules::{BodyRules, Rules, absent, all, given, given_as, reference};
use pam_profiles::service;
use pam_web::error::AppError;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::claims::{self, Claim};
use super::context::{self, ChatContext};
use super::registry::TurnToolbox;
use super::store;
use crate::state::AppState;

pub const MAX_MESSAGE_CHARS: usize = 2000;

/// What a message's text must hold besides whitespace and control characters (which [`ChatRequest::parse`]
/// strips before it trims).
pub const MESSAGE_PATTERN: &str =
    r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x00-\x1f\x7f-\x9f]";

/// The schema of a message's text: 1–2000 characters, with something besides spaces and control characters.
pub struct ChatText;

impl utoipa::PartialSchema for ChatText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .min_length(Some(1))
            .max_length(Some(MAX_MESSAGE_CHARS))
            .pattern(Some(MESSAGE_PATTERN))
            .examples([json!("How much did I spend on fuel this month?")])
            .into()
    }
}

impl ToSchema for ChatText {}

/// A chat message as the existing front end sends it; unknown fields (`user_id`, `type`, `environment`,
/// numeric `timestamp`…) are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChatRequest {
    /// The text (1–2000 characters, with something besides spaces and control characters); `content` is
    /// accepted too. One of the two is needed.
    #[schema(value_type = Option<ChatText>)]
    pub message: Option<String>,
    /// The same as `message`, for clients that call it so: read only when `message` is absent or null,
    /// and then held to the same rule.
    pub content: Option<String>,
    /// Hints from the app (where the user is, what screen they are on): an object; anything else is
    /// ignored.
    #[schema(value_type = Option<Value>)]
    pub context: Option<Value>,
    pub session_id: Option<String>,
    pub conversation_id: Option<String>,
    pub message_id: Option<String>,
    #[serde(default)]
    pub stream: bool,
}

/// What [`ChatRequest::parse`] reads: `message`, or when it is absent or null, `content` (a `null` is
/// read as left out).
impl BodyRules for ChatRequest {
    fn rules() -> Rules {
        let content = all([absent("message"), given_as("content", reference::<ChatText>())]);
        Rules::new().any_of([given("message"), content])
    }
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
        // Counted as sent (what the documents' `maxLength` counts).
        if raw.chars().count() > MAX_MESSAGE_CHARS {
            return Err(Refusal::TooLong);
        }
        // Control characters are stripped (newlines and tabs kept); the text otherwise goes to the model as written.
        let text: String =
            raw.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect::<String>().trim().to_string();
        if text.is_empty() {
            return Err(Refusal::Empty);
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

/// Where a turn's progress goes while it runs (streamed chunks and tool calls on the WebSocket).
pub type TurnSink = Arc<dyn Fn(TurnEvent) + Send + Sync>;

/// A sink for doors that only want the final reply.
pub fn no_events() -> TurnSink {
    Arc::new(|_| {})
}

/// Runs one turn and returns the reply body (REST shape; the WebSocket adds `type`).
///
/// The work runs in a task of its own that this call awaits: a client that disconnects (axum then drops
/// this future) does not cut the turn short, and the reply is stored for the re-send. A panic in the
/// turn becomes a 500 here and releases the claim (see [`claims::TurnLease`]).
pub async fn run(state: &AppState, user: &Caller, input: ChatInput, sink: TurnSink) -> Result<Value, AppError> {
    let task = pam_web::context::spawn_detached(&state.tasks, run_claimed(state.clone(), user.clone(), input, sink));
    match task.await {
        Ok(result) => result,
        Err(join) => {
            tracing::error!(user.id = %user.id, error = %join, "a chat turn panicked or was cancelled");
            Err(AppError::Internal(anyhow::anyhow!("the turn did not finish: {join}")))
        }
    }
}

fn stamp(reply: &mut Value, started: Instant) {
    reply["processing_time_ms"] = json!(started.elapsed().as_millis() as u64);
    reply["timestamp"] = json!(Utc::now());
}

async fn run_claimed(state: AppState, user: Caller, input: ChatInput, sink: TurnSink) -> Result<Value, AppError> {
    let started = Instant::now();
    let profile = service::get_cached(&state.domains.profiles, user.id).await?;
    let tz = context::zone(&input.context, &profile);
    let conversation_id = store::resolve_conversation(&state.db, user.id, input.conversation_id).await?;
    let claim = claims::claim_turn(
        &state.db,
        user.id,
        conversation_id,
        input.message_id.as_deref(),
        &input.text,
        input.conversation_id.is_some(),
        state.config.turn_wait,
    )
    .await?;
    let (lease, message_id, conversation_id) = match claim {
        Claim::Replay(mut reply) => {
            stamp(&mut reply, started);
            return Ok(reply);
        }
        Claim::Run { lease, message_id, conversation_id } => (lease, message_id, conversation_id),
    };
    let turn = Turn { state: &state, user: &user, input: &input, profile: &profile, tz, conversation_id, message_id };
    match turn.answer(lease.turn_id, sink.as_ref()).await {
        Ok(mut reply) => {
            // A failure worth retrying, where nothing was done, is not the message's answer: the claim is
            // released so sending the message again asks again (rather than replaying the failure).
            let nothing_done = reply["tool_calls"].as_array().is_none_or(Vec::is_empty);
            if reply["retryable"] == true && nothing_done {
                lease.release().await;
            } else {
                lease.finish(&reply).await?;
            }
            stamp(&mut reply, started);
            Ok(reply)
        }
        Err(e) => {
            // Nothing was answered: a re-send runs the turn again, replaying any tool that already ran.
            lease.release().await;
            Err(e)
        }
    }
}

/// One claimed turn's inputs.
struct Turn<'a> {
    state: &'a AppState,
    user: &'a Caller,
    input: &'a ChatInput,
    profile: &'a pam_profiles::Profile,
    tz: chrono_tz::Tz,
    conversation_id: Uuid,
    message_id: String,
}

impl Turn<'_> {
    fn reply(&self, text: &str, ui_actions: Value, source: &str, error: Value) -> Value {
        json!({"response": text, "message": text, "content": text, "ui_actions": ui_actions, "actions": ui_actions,
            "tool_calls": [], "map_action": null, "conversation_id": self.conversation_id,
            "session_id": self.conversation_id, "message_id": self.message_id, "source": source, "model": null,
            "error": error})
    }

    async fn answer(&self, turn_id: Uuid, sink: &(dyn Fn(TurnEvent) + Send + Sync)) -> Result<Value, AppError> {
        let (state, user, input) = (self.state, self.user, self.input);
        let title: String = input.text.chars().take(60).collect();
        store::ensure_conversation(&state.db, user.id, self.conversation_id, &title).await?;
        // SPEC §5.5: the answer to a proposal is the next message. A yes or no is handled here, without the
        // model; any other message lets the proposal lapse.
        let pending = super::confirm::pending_in(state, user.id, self.conversation_id, turn_id).await?;
        if let (Some(yes), Some(pending)) = (super::confirm::answer(&input.text), pending) {
            let (text, ui_actions, error) = if yes {
                let done = super::confirm::carry_out(state, user.id, pending).await;
                (done.text, done.ui_actions, done.error)
            } else {
                super::confirm::cancel(state, pending).await?;
                ("OK, I won't do that.".to_string(), Vec::new(), None)
            };
            super::confirm::lapse_open(state, user.id, self.conversation_id, turn_id).await?;
            let messages = [Message::user_text(input.text.clone()), Message::assistant_text(text.clone())];
            store::append(&state.db, self.conversation_id, user.id, &messages).await?;
            let error = error.map_or(json!(false), |e| json!(e));
            return Ok(self.reply(&text, json!(ui_actions), "pam", error));
        }
        super::confirm::lapse_open(state, user.id, self.conversation_id, turn_id).await?;
        if super::guardrails::suspicious(&input.text) {
            // Flag only: the message still gets an ordinary answer, and tool data never acts as instructions.
            tracing::warn!(user.id = %user.id, "message looks like a prompt-injection attempt");
        }
        let allowance = super::spend::allowance(state, user.id).await?;
        // The operators' choice of primary model, read per turn so a change reaches every instance at once.
        match pam_admin::settings::primary_model(&state.db).await {
            Ok(choice) => {
                state.pam.chain.prefer(choice.as_deref().filter(|m| !m.is_empty()));
            }
            Err(e) => tracing::warn!(error = %e, "could not read the primary model setting; keeping the current one"),
        }
        let chain =
            if matches!(allowance, super::spend::Allowance::Capped(_)) { &state.pam.offline } else { &state.pam.chain };
        let history = store::history(&state.db, self.conversation_id, 40).await?;
        // A precise position from the chat context is "here" for the travel tools; an IP guess is not.
        let position = input.context.location.as_ref().filter(|l| !l.approximate).and_then(|l| l.lat.zip(l.lng));
        let ctx = super::registry::tool_context(state, user.id, Some(turn_id), Some(self.tz), position).await?;
        let toolbox = TurnToolbox::new(state.clone(), ctx, Some(self.conversation_id), turn_id);
        let budgets = pam_wins::budgets::all(&state.domains.wins, user.id).await?;
        let budget_lines: Vec<String> =
            budgets.iter().map(|b| format!("{} {}/month", b.category, b.monthly_limit.to_decimal_string())).collect();
        let system = context::system_prompt(self.profile, &input.context, self.tz, &budget_lines);
        let options =
            TurnOptions { today: Some(Utc::now().with_timezone(&self.tz).date_naive()), ..Default::default() };
        let span = tracing::info_span!("turn", user.id = %user.id, conversation.id = %self.conversation_id);
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
        let notice = match &allowance {
            super::spend::Allowance::Ok => None,
            super::spend::Allowance::Warn(n) | super::spend::Allowance::Capped(n) => Some(n.clone()),
        };
        match outcome {
            Ok(outcome) => {
                store::append(&state.db, self.conversation_id, user.id, &outcome.new_messages).await?;
                store::record_usage(&state.db, user.id, self.conversation_id, turn_id, &outcome.usage).await?;
                Ok(self.model_reply(&outcome, notice))
            }
            Err(e) => {
                tracing::warn!(error = %e, "turn failed");
                let message = "I couldn't reach my brain just now — please try again in a moment.";
                let mut reply = self.reply(message, json!([]), "none", json!(message));
                reply["retryable"] = json!(true);
                Ok(reply)
            }
        }
    }

    fn model_reply(&self, outcome: &TurnOutcome, notice: Option<String>) -> Value {
        let map_action = outcome
            .ui_actions
            .iter()
            .find(|a| a["type"] == "open_map")
            .and_then(|a| a["metadata"].get("map_action").cloned());
        // SPEC §5.2: on a brain failure `error` is the human message and `message`/`content` say the same,
        // even when some text had already streamed.
        let human_error = outcome.error.as_ref().map(|e| format!("{e} Please try again."));
        let mut text = match &human_error {
            Some(e) => e.clone(),
            None => outcome.text.clone(),
        };
        if let Some(n) = &notice {
            text = format!("{n}\n\n{text}");
        }
        let tool_calls: Vec<Value> = outcome
            .tool_calls
            .iter()
            .map(|c| {
                let mut call = json!({"id": c.id, "name": c.name, "status": c.status});
                if let Some(d) = &c.detail {
                    call["confirmation_id"] = d["confirmation_id"].clone();
                    call["summary"] = d["summary"].clone();
                }
                call
            })
            .collect();
        let mut reply =
            self.reply(&text, json!(outcome.ui_actions), source_of(self.state, &outcome.model), json!(false));
        reply["tool_calls"] = json!(tool_calls);
        reply["map_action"] = json!(map_action);
        reply["model"] = json!(outcome.model);
        reply["error"] = human_error.map_or(json!(false), |e| json!(e));
        reply["retryable"] = json!(outcome.retryable);
        reply["notice"] = json!(notice);
        reply["usage"] = json!({
            "input_tokens": outcome.usage.iter().map(|u| u.usage.input_tokens).sum::<u64>(),
            "output_tokens": outcome.usage.iter().map(|u| u.usage.output_tokens).sum::<u64>(),
        });
        reply
    }
}
