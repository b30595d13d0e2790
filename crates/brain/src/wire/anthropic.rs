//! Anthropic Messages API: every tool_result of a turn in one user message, `cache_control` on the
//! system prompt and the tools, usage with cache read/write tokens.

use futures::future::BoxFuture;
use serde_json::{Value, json};

use super::{HttpSettings, post_json};
use crate::provider::{LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice};
use crate::transcript::{Block, Message, Role};
use crate::usage::Usage;

pub const API_VERSION: &str = "2023-06-01";

pub struct Anthropic {
    settings: HttpSettings,
    client: reqwest::Client,
}

impl Anthropic {
    pub fn new(settings: HttpSettings, client: reqwest::Client) -> Anthropic {
        Anthropic { settings, client }
    }
}

fn render_block(block: &Block) -> Value {
    match block {
        Block::Text { text } => json!({"type": "text", "text": text}),
        Block::ToolUse { id, name, input, .. } => json!({"type": "tool_use", "id": id, "name": name, "input": input}),
        Block::ToolResult { tool_use_id, content, is_error } => {
            json!({"type": "tool_result", "tool_use_id": tool_use_id, "content": content, "is_error": is_error})
        }
        Block::Thinking { text, signature } => json!({"type": "thinking", "thinking": text, "signature": signature}),
    }
}

/// The request body exactly as sent.
pub fn body(model: &str, request: &ModelRequest) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|m| {
            json!({"role": if m.role == Role::User { "user" } else { "assistant" },
                   "content": m.blocks.iter().map(render_block).collect::<Vec<_>>()})
        })
        .collect();
    let mut tools: Vec<Value> = request
        .tools
        .iter()
        .map(|t| json!({"name": t.name, "description": t.description, "input_schema": t.parameters}))
        .collect();
    // One breakpoint on the last tool caches the whole tool list; one on the system prompt caches it too.
    if let Some(last) = tools.last_mut() {
        last["cache_control"] = json!({"type": "ephemeral"});
    }
    let mut body = json!({
        "model": model,
        "max_tokens": request.max_tokens,
        "system": [{"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}],
        "messages": messages,
    });
    if !tools.is_empty() {
        body["tools"] = Value::Array(tools);
        body["tool_choice"] = match request.tool_choice {
            ToolChoice::Auto => json!({"type": "auto"}),
            ToolChoice::None => json!({"type": "none"}),
        };
    }
    body
}

/// Reads a Messages API response.
pub fn parse(json: &Value) -> Result<ModelResponse, ProviderError> {
    let blocks = json["content"]
        .as_array()
        .ok_or_else(|| ProviderError::Fatal("the answer had no content".into()))?
        .iter()
        .filter_map(|b| match b["type"].as_str() {
            Some("text") => Some(Block::text(b["text"].as_str().unwrap_or_default())),
            Some("tool_use") => Some(Block::ToolUse {
                id: b["id"].as_str().unwrap_or_default().to_string(),
                name: b["name"].as_str().unwrap_or_default().to_string(),
                input: if b["input"].is_object() { b["input"].clone() } else { json!({}) },
                signature: None,
            }),
            Some("thinking") => Some(Block::Thinking {
                text: b["thinking"].as_str().unwrap_or_default().to_string(),
                signature: b["signature"].as_str().map(str::to_string),
            }),
            _ => None,
        })
        .collect();
    let stop = match json["stop_reason"].as_str() {
        Some("end_turn") | Some("stop_sequence") => StopReason::EndTurn,
        Some("tool_use") => StopReason::ToolUse,
        Some("max_tokens") => StopReason::MaxTokens,
        Some("refusal") => StopReason::Refusal,
        other => StopReason::Other(other.unwrap_or("unknown").to_string()),
    };
    let u = &json["usage"];
    let usage = Usage {
        input_tokens: u["input_tokens"].as_u64().unwrap_or(0),
        output_tokens: u["output_tokens"].as_u64().unwrap_or(0),
        cache_write_tokens: u["cache_creation_input_tokens"].as_u64().unwrap_or(0),
        cache_read_tokens: u["cache_read_input_tokens"].as_u64().unwrap_or(0),
    };
    Ok(ModelResponse { message: Message { role: Role::Assistant, blocks }, stop, usage })
}

impl LlmProvider for Anthropic {
    fn model(&self) -> &str {
        &self.settings.model
    }

    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        Box::pin(async move {
            let url = format!("{}/v1/messages", self.settings.base_url.trim_end_matches('/'));
            let builder = self
                .client
                .post(url)
                .header("x-api-key", &self.settings.api_key)
                .header("anthropic-version", API_VERSION)
                .json(&body(&self.settings.model, request));
            let json = post_json(&self.client, builder, self.settings.timeout).await?;
            parse(&json)
        })
    }
}
