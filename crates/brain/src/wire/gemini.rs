//! Gemini `generateContent`: functionCall / functionResponse parts, `thoughtSignature` echoed on the
//! part it came with, tool schemas compiled to Gemini's subset, calls detected by their parts (the
//! finishReason is STOP either way).

use futures::future::BoxFuture;
use serde_json::{Map, Value, json};

use super::{HttpSettings, post_json};
use crate::provider::{LlmProvider, ModelRequest, ModelResponse, ProviderError, StopReason, ToolChoice};
use crate::transcript::{Block, Message, Role};
use crate::usage::Usage;

pub struct Gemini {
    settings: HttpSettings,
    client: reqwest::Client,
}

impl Gemini {
    pub fn new(settings: HttpSettings, client: reqwest::Client) -> Gemini {
        Gemini { settings, client }
    }
}

/// Keys Gemini's schema subset does not accept.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "definitions",
    "additionalProperties",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "examples",
    "example",
    "default",
    "title",
    "const",
    "patternProperties",
    "unevaluatedProperties",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Compiles a JSON Schema (OpenAPI 3.1 flavour) to Gemini's subset: unsupported keywords dropped,
/// `type: [T, "null"]` turned into `type: T, nullable: true`, `oneOf` into `anyOf`, odd formats removed.
pub fn compile_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if DROPPED.contains(&k.as_str()) {
                    continue;
                }
                match (k.as_str(), v) {
                    ("type", Value::Array(types)) => {
                        let non_null: Vec<&Value> = types.iter().filter(|t| t.as_str() != Some("null")).collect();
                        if let Some(t) = non_null.first() {
                            out.insert("type".into(), (*t).clone());
                        }
                        if non_null.len() < types.len() {
                            out.insert("nullable".into(), Value::Bool(true));
                        }
                    }
                    ("format", Value::String(f))
                        if !["date-time", "enum", "int32", "int64", "float", "double"].contains(&f.as_str()) => {}
                    ("oneOf", v) => {
                        out.insert("anyOf".into(), compile_schema(v));
                    }
                    ("properties", Value::Object(props)) => {
                        out.insert(
                            "properties".into(),
                            Value::Object(props.iter().map(|(n, s)| (n.clone(), compile_schema(s))).collect()),
                        );
                    }
                    (_, v) => {
                        out.insert(k.clone(), compile_schema(v));
                    }
                }
            }
            // anyOf [T, null] → T, nullable.
            if let Some(Value::Array(options)) = out.get("anyOf").cloned() {
                let non_null: Vec<&Value> =
                    options.iter().filter(|o| o.get("type").and_then(Value::as_str) != Some("null")).collect();
                if non_null.len() == 1 && options.len() == 2 {
                    out.remove("anyOf");
                    if let Value::Object(inner) = non_null[0].clone() {
                        for (k, v) in inner {
                            out.entry(k).or_insert(v);
                        }
                    }
                    out.insert("nullable".into(), Value::Bool(true));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(compile_schema).collect()),
        other => other.clone(),
    }
}

/// The request body exactly as sent.
pub fn body(request: &ModelRequest) -> Value {
    // functionResponse parts name the function; find it from the call with the same id.
    let name_of = |id: &str| -> String {
        request
            .messages
            .iter()
            .flat_map(|m| m.tool_uses())
            .find(|(cid, _, _)| *cid == id)
            .map(|(_, n, _)| n.to_string())
            .unwrap_or_default()
    };
    let contents: Vec<Value> = request
        .messages
        .iter()
        .map(|m| {
            let parts: Vec<Value> = m
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Text { text } => Some(json!({"text": text})),
                    Block::ToolUse { name, input, signature, .. } => {
                        let mut part = json!({"functionCall": {"name": name, "args": input}});
                        if let Some(sig) = signature {
                            part["thoughtSignature"] = json!(sig);
                        }
                        Some(part)
                    }
                    Block::ToolResult { tool_use_id, content, is_error } => {
                        let parsed: Value = serde_json::from_str(content).unwrap_or_else(|_| json!(content));
                        let response = if *is_error { json!({"error": parsed}) } else { json!({"result": parsed}) };
                        Some(json!({"functionResponse": {"name": name_of(tool_use_id), "response": response}}))
                    }
                    // Gemini's reasoning travels in signatures, not in replayed thought text.
                    Block::Thinking { .. } => None,
                })
                .collect();
            json!({"role": if m.role == Role::User { "user" } else { "model" }, "parts": parts})
        })
        .collect();
    let mut body = json!({
        "systemInstruction": {"parts": [{"text": request.system}]},
        "contents": contents,
        "generationConfig": {"maxOutputTokens": request.max_tokens},
    });
    if !request.tools.is_empty() {
        let declarations: Vec<Value> = request
            .tools
            .iter()
            .map(|t| json!({"name": t.name, "description": t.description, "parameters": compile_schema(&t.parameters)}))
            .collect();
        body["tools"] = json!([{"functionDeclarations": declarations}]);
        body["toolConfig"] = json!({"functionCallingConfig": {"mode": match request.tool_choice {
            ToolChoice::Auto => "AUTO",
            ToolChoice::None => "NONE",
        }}});
    }
    body
}

/// Reads a generateContent response. Call ids are made here (Gemini's calls carry none).
pub fn parse(json: &Value, call_id_prefix: &str) -> Result<ModelResponse, ProviderError> {
    let candidate = &json["candidates"][0];
    let finish = candidate["finishReason"].as_str().unwrap_or("STOP");
    if finish == "MALFORMED_FUNCTION_CALL" {
        // The model's own output was broken: another model (or another try) may do better.
        return Err(ProviderError::Retryable {
            message: "the model produced a malformed function call".into(),
            retry_after: None,
        });
    }
    let mut blocks = Vec::new();
    for (i, part) in candidate["content"]["parts"].as_array().cloned().unwrap_or_default().iter().enumerate() {
        if let Some(call) = part.get("functionCall") {
            blocks.push(Block::ToolUse {
                id: call["id"].as_str().map(str::to_string).unwrap_or_else(|| format!("{call_id_prefix}_{i}")),
                name: call["name"].as_str().unwrap_or_default().to_string(),
                input: if call["args"].is_object() { call["args"].clone() } else { json!({}) },
                signature: part["thoughtSignature"].as_str().map(str::to_string),
            });
        } else if let Some(text) = part["text"].as_str() {
            if part["thought"] == true {
                continue;
            }
            blocks.push(Block::text(text));
        }
    }
    let has_calls = blocks.iter().any(|b| matches!(b, Block::ToolUse { .. }));
    let stop = match finish {
        _ if has_calls => StopReason::ToolUse,
        "STOP" => StopReason::EndTurn,
        "MAX_TOKENS" => StopReason::MaxTokens,
        "SAFETY" | "RECITATION" | "PROHIBITED_CONTENT" | "BLOCKLIST" | "SPII" => StopReason::Refusal,
        other => StopReason::Other(other.to_string()),
    };
    if blocks.is_empty() && stop == StopReason::Refusal {
        blocks.push(Block::text("I can't help with that one."));
    }
    let u = &json["usageMetadata"];
    let cached = u["cachedContentTokenCount"].as_u64().unwrap_or(0);
    let usage = Usage {
        input_tokens: u["promptTokenCount"].as_u64().unwrap_or(0).saturating_sub(cached),
        output_tokens: u["candidatesTokenCount"].as_u64().unwrap_or(0) + u["thoughtsTokenCount"].as_u64().unwrap_or(0),
        cache_write_tokens: 0,
        cache_read_tokens: cached,
    };
    Ok(ModelResponse { message: Message { role: Role::Assistant, blocks }, stop, usage })
}

impl LlmProvider for Gemini {
    fn model(&self) -> &str {
        &self.settings.model
    }

    fn complete<'a>(&'a self, request: &'a ModelRequest) -> BoxFuture<'a, Result<ModelResponse, ProviderError>> {
        Box::pin(async move {
            let url = format!(
                "{}/v1beta/models/{}:generateContent",
                self.settings.base_url.trim_end_matches('/'),
                self.settings.model
            );
            let builder = self.client.post(url).header("x-goog-api-key", &self.settings.api_key).json(&body(request));
            let json = post_json(builder, self.settings.timeout).await?;
            parse(&json, &format!("gemini_{}", request.messages.len()))
        })
    }

    fn stream<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        self.stream_content(request, deadlines)
    }
}

impl Gemini {
    /// `streamGenerateContent?alt=sse`: each event is a whole response chunk; text parts are deltas and
    /// function calls arrive whole.
    pub fn stream_content<'a>(
        &'a self,
        request: &'a ModelRequest,
        deadlines: crate::stream::Deadlines,
    ) -> BoxFuture<'a, Result<crate::stream::EventStream<'a>, ProviderError>> {
        use crate::stream::StreamEvent;
        use futures::StreamExt;
        Box::pin(async move {
            let url = format!(
                "{}/v1beta/models/{}:streamGenerateContent?alt=sse",
                self.settings.base_url.trim_end_matches('/'),
                self.settings.model
            );
            let builder = self.client.post(url).header("x-goog-api-key", &self.settings.api_key).json(&body(request));
            let sse = super::sse::open(builder, deadlines.first_token, deadlines.idle).await?;
            let prefix = format!("gemini_{}", request.messages.len());
            let mut blocks: Vec<Block> = Vec::new();
            let mut usage = Usage::default();
            let mut finished = false;
            let events = sse
                .map(Some)
                .chain(futures::stream::iter([None]))
                .flat_map(move |item| {
                    let mut out = Vec::new();
                    match item {
                        Some(Ok(ev)) => {
                            let chunk: Value = serde_json::from_str(&ev.data).unwrap_or(Value::Null);
                            match parse(&chunk, &format!("{prefix}_{}", blocks.len())) {
                                Ok(part) => {
                                    for b in part.message.blocks {
                                        match &b {
                                            Block::Text { text } => {
                                                out.push(StreamEvent::TextDelta(text.clone()));
                                                if let Some(Block::Text { text: last }) = blocks.last_mut() {
                                                    last.push_str(text);
                                                    continue;
                                                }
                                            }
                                            Block::ToolUse { id, name, input, .. } => {
                                                out.push(StreamEvent::ToolCallStarted {
                                                    id: id.clone(),
                                                    name: name.clone(),
                                                });
                                                out.push(StreamEvent::ToolCallFinished {
                                                    id: id.clone(),
                                                    name: name.clone(),
                                                    input: input.clone(),
                                                });
                                            }
                                            _ => {}
                                        }
                                        blocks.push(b);
                                    }
                                    if chunk.get("usageMetadata").is_some() {
                                        usage = part.usage;
                                    }
                                }
                                Err(e) => {
                                    finished = true;
                                    out.push(StreamEvent::Error { message: e.to_string(), retryable: true });
                                }
                            }
                        }
                        Some(Err(message)) => {
                            finished = true;
                            out.push(StreamEvent::Error { message, retryable: true });
                        }
                        None if !finished => {
                            let has_calls = blocks.iter().any(|b| matches!(b, Block::ToolUse { .. }));
                            let response = ModelResponse {
                                message: Message { role: Role::Assistant, blocks: std::mem::take(&mut blocks) },
                                stop: if has_calls { StopReason::ToolUse } else { StopReason::EndTurn },
                                usage,
                            };
                            out.push(StreamEvent::Usage(usage));
                            out.push(StreamEvent::Done(response));
                        }
                        None => {}
                    }
                    futures::stream::iter(out)
                })
                .boxed();
            Ok(events)
        })
    }
}
