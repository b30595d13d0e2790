//! Anthropic Messages API: every tool_result of a turn in one user message, `cache_control` on the
//! system prompt and the tools, usage with cache read/write tokens.

use futures::future::BoxFuture;
use serde_json::{Value, json};

use super::{HttpSettings, post_json, tool_input};
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
    let stop = stop_reason(json["stop_reason"].as_str());
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
            let json = post_json(builder, self.settings.timeout).await?;
            parse(&json)
        })
    }

    fn stream<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        self.stream_messages(request, deadlines)
    }
}

/// Assembles Anthropic's SSE events into our stream events and the final response.
#[derive(Default)]
pub struct StreamAssembler {
    blocks: Vec<Partial>,
    usage: Usage,
    stop: Option<String>,
}

enum Partial {
    Text(String),
    Tool { id: String, name: String, json: String },
    Thinking { text: String, signature: Option<String> },
    Other,
}

impl StreamAssembler {
    /// Feeds one SSE event; returns the events to emit.
    pub fn feed(&mut self, event: &str, data: &Value) -> Vec<crate::stream::StreamEvent> {
        use crate::stream::StreamEvent;
        let mut out = Vec::new();
        match event {
            "message_start" => {
                let u = &data["message"]["usage"];
                self.usage.input_tokens = u["input_tokens"].as_u64().unwrap_or(0);
                self.usage.cache_write_tokens = u["cache_creation_input_tokens"].as_u64().unwrap_or(0);
                self.usage.cache_read_tokens = u["cache_read_input_tokens"].as_u64().unwrap_or(0);
                self.usage.output_tokens = u["output_tokens"].as_u64().unwrap_or(0);
            }
            "content_block_start" => {
                let b = &data["content_block"];
                let partial = match b["type"].as_str() {
                    Some("text") => Partial::Text(b["text"].as_str().unwrap_or_default().to_string()),
                    Some("tool_use") => {
                        let (id, name) = (
                            b["id"].as_str().unwrap_or_default().to_string(),
                            b["name"].as_str().unwrap_or_default().to_string(),
                        );
                        out.push(StreamEvent::ToolCallStarted { id: id.clone(), name: name.clone() });
                        Partial::Tool { id, name, json: String::new() }
                    }
                    Some("thinking") => Partial::Thinking { text: String::new(), signature: None },
                    _ => Partial::Other,
                };
                self.blocks.push(partial);
            }
            "content_block_delta" => {
                let index = data["index"].as_u64().unwrap_or(0) as usize;
                let delta = &data["delta"];
                match (self.blocks.get_mut(index), delta["type"].as_str()) {
                    (Some(Partial::Text(t)), Some("text_delta")) => {
                        let piece = delta["text"].as_str().unwrap_or_default();
                        t.push_str(piece);
                        out.push(StreamEvent::TextDelta(piece.to_string()));
                    }
                    (Some(Partial::Tool { json, .. }), Some("input_json_delta")) => {
                        json.push_str(delta["partial_json"].as_str().unwrap_or_default())
                    }
                    (Some(Partial::Thinking { text, .. }), Some("thinking_delta")) => {
                        text.push_str(delta["thinking"].as_str().unwrap_or_default())
                    }
                    (Some(Partial::Thinking { signature, .. }), Some("signature_delta")) => {
                        *signature = delta["signature"].as_str().map(str::to_string)
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                let index = data["index"].as_u64().unwrap_or(0) as usize;
                if let Some(Partial::Tool { id, name, json }) = self.blocks.get(index) {
                    out.push(StreamEvent::ToolCallFinished {
                        id: id.clone(),
                        name: name.clone(),
                        input: tool_input(json),
                    });
                }
            }
            "message_delta" => {
                self.stop = data["delta"]["stop_reason"].as_str().map(str::to_string).or(self.stop.take());
                if let Some(n) = data["usage"]["output_tokens"].as_u64() {
                    self.usage.output_tokens = n;
                }
            }
            "message_stop" => {
                out.push(StreamEvent::Usage(self.usage));
                out.push(StreamEvent::Done(self.finish()));
            }
            "error" => out.push(StreamEvent::Error {
                message: format!(
                    "the model stopped mid-answer: {}",
                    data["error"]["message"].as_str().unwrap_or("error")
                ),
                retryable: true,
            }),
            _ => {}
        }
        out
    }

    fn finish(&mut self) -> ModelResponse {
        let blocks = std::mem::take(&mut self.blocks)
            .into_iter()
            .filter_map(|p| match p {
                Partial::Text(t) => Some(Block::Text { text: t }),
                Partial::Tool { id, name, json } => {
                    Some(Block::ToolUse { id, name, input: tool_input(&json), signature: None })
                }
                Partial::Thinking { text, signature } => Some(Block::Thinking { text, signature }),
                Partial::Other => None,
            })
            .collect();
        let stop = stop_reason(self.stop.as_deref());
        ModelResponse { message: Message { role: Role::Assistant, blocks }, stop, usage: self.usage }
    }
}

fn stop_reason(reason: Option<&str>) -> StopReason {
    match reason {
        Some("end_turn") | Some("stop_sequence") => StopReason::EndTurn,
        Some("tool_use") => StopReason::ToolUse,
        Some("max_tokens") => StopReason::MaxTokens,
        Some("refusal") => StopReason::Refusal,
        other => StopReason::Other(other.unwrap_or("unknown").to_string()),
    }
}

impl Anthropic {
    /// The streamed Messages call (`stream: true`).
    pub fn stream_messages<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        use futures::StreamExt;
        Box::pin(async move {
            let url = format!("{}/v1/messages", self.settings.base_url.trim_end_matches('/'));
            let mut body = body(&self.settings.model, request);
            body["stream"] = json!(true);
            let builder = self
                .client
                .post(url)
                .header("x-api-key", &self.settings.api_key)
                .header("anthropic-version", API_VERSION)
                .json(&body);
            let sse = super::sse::open(builder, deadlines.first_token, deadlines.idle).await?;
            let mut assembler = StreamAssembler::default();
            let events = sse
                .flat_map(move |item| {
                    let out = match item {
                        Ok(ev) => {
                            let data: Value = serde_json::from_str(&ev.data).unwrap_or(Value::Null);
                            let name = ev
                                .event
                                .clone()
                                .or_else(|| data["type"].as_str().map(str::to_string))
                                .unwrap_or_default();
                            assembler.feed(&name, &data)
                        }
                        Err(message) => vec![crate::stream::StreamEvent::Error { message, retryable: true }],
                    };
                    futures::stream::iter(out)
                })
                .boxed();
            Ok(events)
        })
    }
}
