//! The offline brain (SPEC §5.6): a deterministic provider that understands the common requests, calls
//! the same tools through the same loop, and composes its reply from the tool results.

mod reply;

use futures::future::BoxFuture;

use crate::provider::{LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice};
use crate::registry::OFFLINE_MODEL;
use crate::transcript::{Block, Message, Role};
use crate::usage::Usage;
use pam_nlu::intent::{self, Intent};

#[derive(Default)]
pub struct OfflineBrain;

impl LlmProvider for OfflineBrain {
    fn model(&self) -> &str {
        OFFLINE_MODEL
    }

    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        Box::pin(async move { Ok(respond(request)) })
    }
}

fn text_response(text: String) -> ModelResponse {
    ModelResponse { message: Message::assistant_text(text), stop: StopReason::EndTurn, usage: Usage::default() }
}

fn respond(request: &ModelRequest) -> ModelResponse {
    let today = request.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let Some(last) = request.messages.last() else {
        return text_response(intent::HELP.into());
    };
    // After tools ran: compose the reply from their results.
    if last.role == Role::User && last.blocks.iter().any(|b| matches!(b, Block::ToolResult { .. })) {
        return text_response(reply::compose(&request.messages));
    }
    let said = last.text();
    match intent::understand(&said, today) {
        Intent::Say(text) => text_response(text),
        Intent::Tool { name, arguments } => {
            let available = request.tools.iter().any(|t| t.name == name);
            if !available || request.tool_choice == ToolChoice::None {
                return text_response(format!(
                    "I understood that as a job for {} but I can't do it here yet. {}",
                    name.replace('_', " "),
                    intent::HELP
                ));
            }
            let id = format!("offline_{}", request.messages.len());
            ModelResponse {
                message: Message {
                    role: Role::Assistant,
                    blocks: vec![Block::ToolUse { id, name: name.to_string(), input: arguments, signature: None }],
                },
                stop: StopReason::ToolUse,
                usage: Usage::default(),
            }
        }
    }
}
