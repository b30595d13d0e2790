//! The offline brain (SPEC §5.6): a deterministic provider that understands the common requests
//! (`pam_nlu`), calls the same tools through the same loop, and composes its reply from the tool
//! results and from what it understood. When unsure it asks one short question; a "yes" (or the
//! missing detail) in the next message completes the request.

mod followup;
mod reply;

use futures::future::BoxFuture;
use pam_nlu::{Action, reply as said};

use crate::provider::{LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice};
use crate::registry::OFFLINE_MODEL;
use crate::transcript::{Block, Message, Role};
use crate::usage::Usage;

#[derive(Default)]
pub struct OfflineBrain;

impl LlmProvider for OfflineBrain {
    fn model(&self) -> &str {
        OFFLINE_MODEL
    }

    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        // Understanding is CPU work of well under a millisecond (the model is trained once, at start).
        Box::pin(async move { Ok(respond(request)) })
    }
}

/// Trains the offline model now rather than on the first message (call at start-up).
pub fn warm_up() {
    let _ = pam_nlu::Understander::shared();
}

fn text_response(text: String) -> ModelResponse {
    ModelResponse { message: Message::assistant_text(text), stop: StopReason::EndTurn, usage: Usage::default() }
}

fn respond(request: &ModelRequest) -> ModelResponse {
    let today = request.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let Some(last) = request.messages.last() else {
        return text_response(said::HELP.into());
    };
    // After tools ran: compose the reply from their results.
    if last.role == Role::User && last.blocks.iter().any(|b| matches!(b, Block::ToolResult { .. })) {
        return text_response(reply::compose(&request.messages, today));
    }
    let understood = followup::read(&request.messages, today);
    match understood.action {
        Action::Reply { text } | Action::Clarify { question: text, .. } => text_response(text),
        Action::Call { tool, arguments } => {
            let available = request.tools.iter().any(|t| t.name == tool);
            if !available || request.tool_choice == ToolChoice::None {
                return text_response(cannot_yet(tool));
            }
            let id = format!("offline_{}", request.messages.len());
            ModelResponse {
                message: Message {
                    role: Role::Assistant,
                    blocks: vec![Block::ToolUse { id, name: tool.to_string(), input: arguments, signature: None }],
                },
                stop: StopReason::ToolUse,
                usage: Usage::default(),
            }
        }
    }
}

fn cannot_yet(tool: &str) -> String {
    format!("I understood that as a job for {} but I can't do that here yet. {}", tool.replace('_', " "), said::HELP)
}

/// The user's words that began the current turn: the last user message with text in it.
pub(crate) fn last_user_text(messages: &[Message]) -> Option<String> {
    messages.iter().rev().filter(|m| m.role == Role::User).map(Message::text).find(|t| !t.trim().is_empty())
}
