//! OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp through the base URL, which
//! includes the `/v1` part).

use futures::future::BoxFuture;
use serde_json::{Value, json};

use super::{HttpSettings, post_json, tool_input};
use crate::provider::{LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice};
use crate::transcript::{Block, Message, Role};
use crate::usage::Usage;

pub struct OpenAiCompatible {
    settings: HttpSettings,
    client: reqwest::Client,
}

impl OpenAiCompatible {
    pub fn new(settings: HttpSettings, client: reqwest::Client) -> OpenAiCompatible {
        OpenAiCompatible { settings, client }
    }
}

/// The request body exactly as sent: tool results become one `tool` message each, in order.
pub fn body(model: &str, request: &ModelRequest) -> Value {
    let mut messages = vec![json!({"role": "system", "content": request.system})];
    for m in &request.messages {
        match m.role {
            Role::User => {
                let text = m.text();
                for b in &m.blocks {
                    if let Block::ToolResult { tool_use_id, content, is_error } = b {
                        let content = if *is_error { format!("Error: {content}") } else { content.clone() };
                        messages.push(json!({"role": "tool", "tool_call_id": tool_use_id, "content": content}));
                    }
                }
                if !text.is_empty() {
                    messages.push(json!({"role": "user", "content": text}));
                }
            }
            Role::Assistant => {
                let calls: Vec<Value> = m
                    .tool_uses()
                    .map(|(id, name, input)| json!({"id": id, "type": "function", "function": {"name": name, "arguments": input.to_string()}}))
                    .collect();
                let text = m.text();
                let mut msg =
                    json!({"role": "assistant", "content": if text.is_empty() { Value::Null } else { json!(text) }});
                if !calls.is_empty() {
                    msg["tool_calls"] = Value::Array(calls);
                }
                messages.push(msg);
            }
        }
    }
    let mut body = json!({"model": model, "messages": messages, "max_tokens": request.max_tokens});
    if !request.tools.is_empty() {
        body["tools"] = Value::Array(
            request
                .tools
                .iter()
                .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
                .collect(),
        );
        body["tool_choice"] = json!(match request.tool_choice {
            ToolChoice::Auto => "auto",
            ToolChoice::None => "none",
        });
    }
    body
}

/// Usage as OpenAI reports it: cached prompt tokens are part of `prompt_tokens`, so they are taken out.
fn usage_of(u: &Value) -> Usage {
    let cached = u["prompt_tokens_details"]["cached_tokens"].as_u64().unwrap_or(0);
    Usage {
        input_tokens: u["prompt_tokens"].as_u64().unwrap_or(0).saturating_sub(cached),
        output_tokens: u["completion_tokens"].as_u64().unwrap_or(0),
        cache_write_tokens: 0,
        cache_read_tokens: cached,
    }
}

pub fn parse(json: &Value) -> Result<ModelResponse, ProviderError> {
    let choice = &json["choices"][0];
    let message = &choice["message"];
    let mut blocks = Vec::new();
    if let Some(text) = message["content"].as_str().filter(|t| !t.is_empty()) {
        blocks.push(Block::text(text));
    }
    for call in message["tool_calls"].as_array().cloned().unwrap_or_default() {
        let input = tool_input(call["function"]["arguments"].as_str().unwrap_or_default());
        blocks.push(Block::ToolUse {
            id: call["id"].as_str().unwrap_or_default().to_string(),
            name: call["function"]["name"].as_str().unwrap_or_default().to_string(),
            input,
            signature: None,
        });
    }
    let stop = match choice["finish_reason"].as_str() {
        _ if blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) => StopReason::ToolUse,
        Some("stop") => StopReason::EndTurn,
        Some("length") => StopReason::MaxTokens,
        Some("content_filter") => StopReason::Refusal,
        other => StopReason::Other(other.unwrap_or("unknown").to_string()),
    };
    let usage = usage_of(&json["usage"]);
    Ok(ModelResponse { message: Message { role: Role::Assistant, blocks }, stop, usage })
}

impl LlmProvider for OpenAiCompatible {
    fn model(&self) -> &str {
        &self.settings.model
    }

    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        Box::pin(async move {
            let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
            let mut builder = self.client.post(url).json(&body(&self.settings.model, request));
            if !self.settings.api_key.is_empty() {
                builder = builder.bearer_auth(&self.settings.api_key);
            }
            let json = post_json(builder, self.settings.timeout).await?;
            parse(&json)
        })
    }

    fn stream<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        self.stream_chat(request, deadlines)
    }
}

impl OpenAiCompatible {
    /// Streamed chat completions: content deltas, and tool calls assembled from their per-index deltas.
    pub fn stream_chat<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        use crate::stream::StreamEvent;
        use futures::StreamExt;
        Box::pin(async move {
            let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
            let mut body = body(&self.settings.model, request);
            body["stream"] = json!(true);
            body["stream_options"] = json!({"include_usage": true});
            let mut builder = self.client.post(url).json(&body);
            if !self.settings.api_key.is_empty() {
                builder = builder.bearer_auth(&self.settings.api_key);
            }
            let sse = super::sse::open(builder, deadlines.first_token, deadlines.idle).await?;
            let mut text = String::new();
            // (id, name, arguments) per tool-call index.
            let mut calls: Vec<(String, String, String)> = Vec::new();
            let mut usage = Usage::default();
            let mut finish: Option<String> = None;
            let mut ended = false;
            let events = sse
                .flat_map(move |item| {
                    let mut out = Vec::new();
                    match item {
                        Ok(ev) if ev.data.trim() == "[DONE]" => {
                            ended = true;
                            let mut blocks = Vec::new();
                            if !text.is_empty() {
                                blocks.push(Block::text(std::mem::take(&mut text)));
                            }
                            for (id, name, args) in calls.drain(..) {
                                let input = tool_input(&args);
                                out.push(StreamEvent::ToolCallFinished {
                                    id: id.clone(),
                                    name: name.clone(),
                                    input: input.clone(),
                                });
                                blocks.push(Block::ToolUse { id, name, input, signature: None });
                            }
                            let stop = if blocks.iter().any(|b| matches!(b, Block::ToolUse { .. })) {
                                StopReason::ToolUse
                            } else {
                                match finish.as_deref() {
                                    Some("length") => StopReason::MaxTokens,
                                    Some("content_filter") => StopReason::Refusal,
                                    _ => StopReason::EndTurn,
                                }
                            };
                            out.push(StreamEvent::Usage(usage));
                            out.push(StreamEvent::Done(ModelResponse {
                                message: Message { role: Role::Assistant, blocks },
                                stop,
                                usage,
                            }));
                        }
                        Ok(ev) => {
                            let chunk: Value = serde_json::from_str(&ev.data).unwrap_or(Value::Null);
                            if let Some(message) = chunk["error"]["message"].as_str() {
                                out.push(StreamEvent::Error {
                                    message: format!("the model stopped mid-answer: {message}"),
                                    retryable: true,
                                });
                            }
                            let choice = &chunk["choices"][0];
                            if let Some(piece) = choice["delta"]["content"].as_str().filter(|p| !p.is_empty()) {
                                text.push_str(piece);
                                out.push(StreamEvent::TextDelta(piece.to_string()));
                            }
                            for call in choice["delta"]["tool_calls"].as_array().cloned().unwrap_or_default() {
                                let index = call["index"].as_u64().unwrap_or(0) as usize;
                                while calls.len() <= index {
                                    calls.push(Default::default());
                                }
                                let slot = &mut calls[index];
                                if let Some(id) = call["id"].as_str() {
                                    slot.0 = id.to_string();
                                }
                                if let Some(name) = call["function"]["name"].as_str() {
                                    slot.1 = name.to_string();
                                    out.push(StreamEvent::ToolCallStarted { id: slot.0.clone(), name: slot.1.clone() });
                                }
                                slot.2.push_str(call["function"]["arguments"].as_str().unwrap_or_default());
                            }
                            if let Some(f) = choice["finish_reason"].as_str() {
                                finish = Some(f.to_string());
                            }
                            if chunk["usage"].is_object() {
                                usage = usage_of(&chunk["usage"]);
                            }
                        }
                        Err(message) if !ended => out.push(StreamEvent::Error { message, retryable: true }),
                        Err(_) => {}
                    }
                    futures::stream::iter(out)
                })
                .boxed();
            Ok(events)
        })
    }
}
