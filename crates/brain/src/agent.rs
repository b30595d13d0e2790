//! The agent loop: ask the model, run the tools it calls (concurrently, bounded), give back all results
//! in one message in the original order, repeat — at most `max_steps` model calls, the last with tool
//! use forbidden so a turn always ends in text.

use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};

use crate::stream::{Deadlines, StreamEvent};
use serde_json::Value;

use crate::provider::{FallbackChain, ModelRequest, ToolChoice, ToolSpec};
use crate::registry::Registry;
use crate::transcript::{Block, Message, Role, trim_to_budget};
use crate::usage::{UsageRecord, cost_micro_usd};

/// What a tool call produced, as the brain passes it back to the model.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCallResult {
    /// The result (usually JSON text) or a readable reason for an error.
    pub content: String,
    pub is_error: bool,
    /// UI actions the app gathered from the tool (opaque to the brain).
    pub ui_actions: Vec<Value>,
    /// `ok`, `error` or `confirmation_required` (opaque to the brain).
    pub status: String,
    /// Anything the app wants carried to its reply with this call (opaque to the brain).
    pub detail: Option<Value>,
}

/// The tools of one turn, for one user. The brain sees nothing else of the app.
pub trait Toolbox: Send + Sync {
    fn definitions(&self) -> Vec<ToolSpec>;
    fn execute<'a>(&'a self, id: &'a str, name: &'a str, input: Value) -> BoxFuture<'a, ToolCallResult>;
}

/// What a turn tells its caller while it runs (for streamed replies).
#[derive(Clone, Debug, PartialEq)]
pub enum TurnEvent {
    Text(String),
    ToolStarted { id: String, name: String },
    ToolFinished { id: String, name: String, status: String },
}

#[derive(Clone, Debug)]
pub struct TurnOptions {
    pub deadlines: Deadlines,
    pub max_steps: usize,
    pub max_parallel_tools: usize,
    pub max_tokens: u32,
    pub history_token_budget: usize,
    pub turn_deadline: Duration,
    pub today: Option<chrono::NaiveDate>,
}

impl Default for TurnOptions {
    fn default() -> Self {
        TurnOptions {
            deadlines: Deadlines::default(),
            max_steps: 8,
            max_parallel_tools: 4,
            max_tokens: 2048,
            history_token_budget: 24_000,
            turn_deadline: Duration::from_secs(25),
            today: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToolCallSummary {
    pub id: String,
    pub name: String,
    pub status: String,
    pub detail: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct TurnOutcome {
    pub text: String,
    /// The messages this turn added (user message first), for persistence.
    pub new_messages: Vec<Message>,
    pub ui_actions: Vec<Value>,
    pub tool_calls: Vec<ToolCallSummary>,
    pub usage: Vec<UsageRecord>,
    /// The model that gave the final answer.
    pub model: String,
    /// True when the turn ended early (deadline, step limit, provider failure after tools ran).
    pub incomplete: bool,
    /// A failure after the answer had begun streaming: reported, never silently re-answered.
    pub error: Option<String>,
    /// Whether asking again may work (always true for stream failures).
    pub retryable: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error("no model could answer: {0}")]
    NoModel(String),
}

pub async fn run_turn(
    chain: &FallbackChain,
    registry: &Registry,
    toolbox: &dyn Toolbox,
    system: &str,
    history: &[Message],
    user_message: Message,
    options: &TurnOptions,
) -> Result<TurnOutcome, TurnError> {
    run_turn_with(chain, registry, toolbox, system, history, user_message, options, &|_| {}).await
}

/// A turn that reports text deltas and tool progress to `sink` as they happen.
#[allow(clippy::too_many_arguments)]
pub async fn run_turn_with(
    chain: &FallbackChain,
    registry: &Registry,
    toolbox: &dyn Toolbox,
    system: &str,
    history: &[Message],
    user_message: Message,
    options: &TurnOptions,
    sink: &(dyn Fn(TurnEvent) + Send + Sync),
) -> Result<TurnOutcome, TurnError> {
    let started = Instant::now();
    let tools = toolbox.definitions();
    let mut new_messages = vec![user_message];
    let mut outcome = TurnOutcome {
        text: String::new(),
        new_messages: Vec::new(),
        ui_actions: Vec::new(),
        tool_calls: Vec::new(),
        usage: Vec::new(),
        model: String::new(),
        incomplete: false,
        error: None,
        retryable: false,
    };
    for step in 0..options.max_steps {
        let last_step = step + 1 == options.max_steps;
        let mut messages = trim_to_budget(history, options.history_token_budget).to_vec();
        messages.extend(new_messages.iter().cloned());
        let request = ModelRequest {
            system: system.to_string(),
            messages,
            tools: tools.clone(),
            tool_choice: if last_step { ToolChoice::None } else { ToolChoice::Auto },
            max_tokens: options.max_tokens,
            today: options.today,
        };
        let remaining = options.turn_deadline.saturating_sub(started.elapsed());
        let open = match tokio::time::timeout(remaining, chain.stream(&request, options.deadlines)).await {
            Ok(Ok(open)) => open,
            Ok(Err(failures)) => {
                for (model, err) in &failures {
                    outcome.usage.push(record(registry, model, Default::default(), 0, &format!("error: {err}")));
                }
                if step == 0 {
                    let reasons: Vec<String> = failures.iter().map(|(m, e)| format!("{m}: {e}")).collect();
                    return Err(TurnError::NoModel(reasons.join("; ")));
                }
                outcome.incomplete = true;
                break;
            }
            Err(_) => {
                outcome.incomplete = true;
                break;
            }
        };
        for (model, err) in &open.failed {
            outcome.usage.push(record(registry, model, Default::default(), 0, &format!("fallback: {err}")));
        }
        let mut events = open.events;
        let mut response = None;
        let mut partial = String::new();
        let mut failure = None;
        loop {
            let remaining = options.turn_deadline.saturating_sub(started.elapsed());
            match tokio::time::timeout(remaining, events.next()).await {
                Err(_) => {
                    failure = Some("The answer took too long.".to_string());
                    break;
                }
                Ok(None) => break,
                Ok(Some(StreamEvent::TextDelta(text))) => {
                    partial.push_str(&text);
                    sink(TurnEvent::Text(text));
                }
                Ok(Some(StreamEvent::Done(r))) => response = Some(r),
                Ok(Some(StreamEvent::Error { message, .. })) => {
                    failure = Some(message);
                    break;
                }
                Ok(Some(_)) => {}
            }
        }
        drop(events);
        let latency = open.started.elapsed().as_millis() as u64;
        let Some(response) = response else {
            let message = failure.unwrap_or_else(|| "The answer ended before it was complete.".into());
            outcome.usage.push(record(
                registry,
                &open.model,
                Default::default(),
                latency,
                &format!("error: {message}"),
            ));
            outcome.model = open.model;
            outcome.incomplete = true;
            outcome.retryable = true;
            outcome.error = Some(message);
            if !partial.is_empty() {
                outcome.text = partial.clone();
                new_messages.push(Message::assistant_text(partial));
            }
            break;
        };
        outcome.usage.push(record(registry, &open.model, response.usage, latency, "ok"));
        outcome.model = open.model;
        let message = response.message;
        let calls: Vec<(String, String, Value)> =
            message.tool_uses().map(|(id, name, input)| (id.to_string(), name.to_string(), input.clone())).collect();
        new_messages.push(message.clone());
        if calls.is_empty() {
            outcome.text = message.text();
            break;
        }
        // Run the calls concurrently (bounded); results keep the model's order.
        for (id, name, _) in &calls {
            sink(TurnEvent::ToolStarted { id: id.clone(), name: name.clone() });
        }
        // The futures are made first (cheap: nothing runs until polled) so the turn stays `Send`.
        let pending: Vec<_> = calls.iter().map(|(id, name, input)| toolbox.execute(id, name, input.clone())).collect();
        let results: Vec<ToolCallResult> =
            stream::iter(pending).buffered(options.max_parallel_tools.max(1)).collect().await;
        let mut blocks = Vec::with_capacity(results.len());
        for ((id, name, _), result) in calls.iter().zip(results) {
            sink(TurnEvent::ToolFinished { id: id.clone(), name: name.clone(), status: result.status.clone() });
            outcome.ui_actions.extend(result.ui_actions.iter().cloned());
            outcome.tool_calls.push(ToolCallSummary {
                id: id.clone(),
                name: name.clone(),
                status: result.status.clone(),
                detail: result.detail.clone(),
            });
            blocks.push(Block::ToolResult {
                tool_use_id: id.clone(),
                content: result.content,
                is_error: result.is_error,
            });
        }
        new_messages.push(Message { role: Role::User, blocks });
        if last_step {
            outcome.incomplete = true;
        }
    }
    if outcome.text.trim().is_empty() && outcome.error.is_none() {
        outcome.incomplete = true;
        outcome.text = fallback_text(&outcome.tool_calls);
        new_messages.push(Message::assistant_text(outcome.text.clone()));
    }
    outcome.new_messages = new_messages;
    Ok(outcome)
}

/// Never a blank reply: say what was done when the model could not finish.
fn fallback_text(calls: &[ToolCallSummary]) -> String {
    if calls.is_empty() {
        "Sorry, I couldn't finish that just now. Please try again.".into()
    } else {
        let done: Vec<&str> = calls.iter().filter(|c| c.status == "ok").map(|c| c.name.as_str()).collect();
        format!(
            "I ran out of time before I could finish. Completed: {}. Please ask again if something is missing.",
            if done.is_empty() { "nothing".to_string() } else { done.join(", ") }
        )
    }
}

fn record(registry: &Registry, model: &str, usage: crate::usage::Usage, latency_ms: u64, outcome: &str) -> UsageRecord {
    let cost = registry.get(model).map(|m| cost_micro_usd(m, &usage)).unwrap_or(0);
    UsageRecord { model: model.to_string(), usage, cost_micro_usd: cost, latency_ms, outcome: outcome.to_string() }
}
