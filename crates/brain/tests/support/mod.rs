//! Fakes and helpers shared by the wire tests: scripted replies in each provider's (streamed) format.
#![allow(dead_code)]

use std::time::Duration;

use pam_brain::agent::{ToolCallResult, Toolbox, TurnOptions, run_turn};
use pam_brain::provider::{FallbackChain, LlmProvider, ToolSpec};
use pam_brain::registry::Registry;
use pam_brain::transcript::Message;
use pam_brain::wire::HttpSettings;
use pam_brain::wire::anthropic::Anthropic;
use pam_brain::wire::gemini::Gemini;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const SONNET: &str = "claude-sonnet-4-5-20250929";
pub const FLASH: &str = "gemini-3.0-flash";

pub fn settings(server: &MockServer, model: &str) -> HttpSettings {
    HttpSettings {
        base_url: server.uri(),
        api_key: "test-key".into(),
        model: model.into(),
        timeout: Duration::from_millis(800),
    }
}

pub fn anthropic(server: &MockServer) -> Box<dyn LlmProvider> {
    Box::new(Anthropic::new(settings(server, SONNET), reqwest::Client::new()))
}

pub fn gemini(server: &MockServer) -> Box<dyn LlmProvider> {
    Box::new(Gemini::new(settings(server, FLASH), reqwest::Client::new()))
}

pub fn a_text(text: &str) -> Value {
    json!({"id": "msg_1", "type": "message", "role": "assistant", "model": SONNET, "content": [{"type": "text", "text": text}],
           "stop_reason": "end_turn", "usage": {"input_tokens": 10, "output_tokens": 5}})
}

pub fn a_calls(calls: &[(&str, &str, Value)]) -> Value {
    let content: Vec<Value> = calls
        .iter()
        .map(|(id, name, input)| json!({"type": "tool_use", "id": id, "name": name, "input": input}))
        .collect();
    json!({"id": "msg_2", "type": "message", "role": "assistant", "content": content, "stop_reason": "tool_use",
           "usage": {"input_tokens": 20, "output_tokens": 8}})
}

/// A scripted reply. Anthropic messages are served as JSON, or as the SSE events of the real streaming
/// API when the request asked for `stream: true` (tool input in three `partial_json` pieces).
pub enum Reply {
    Template(ResponseTemplate),
    Anthropic(Value),
    /// A generateContent response; streamed as one SSE chunk when the request is streamGenerateContent.
    Gemini(Value),
    /// A chat completion; streamed as deltas (tool arguments in pieces) when the request says `stream`.
    OpenAi(Value),
}

pub fn sse_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(body)
}

pub fn gemini_body(request: &Request, response: &Value) -> ResponseTemplate {
    if request.url.path().contains("streamGenerateContent") {
        sse_response(format!("data: {response}\n\n"))
    } else {
        json_reply(response.clone())
    }
}

/// The chunks OpenAI streams for a completion.
pub fn openai_sse(completion: &Value) -> String {
    let message = &completion["choices"][0]["message"];
    let mut out = String::new();
    let chunk = |delta: Value, finish: Value| {
        format!("data: {}\n\n", json!({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
    };
    if let Some(text) = message["content"].as_str() {
        let mid = text.len() / 2;
        out += &chunk(json!({"role": "assistant", "content": &text[..mid]}), Value::Null);
        out += &chunk(json!({"content": &text[mid..]}), Value::Null);
    }
    for (i, call) in message["tool_calls"].as_array().cloned().unwrap_or_default().iter().enumerate() {
        let args = call["function"]["arguments"].as_str().unwrap_or_default();
        let mid = args.len() / 2;
        out += &chunk(
            json!({"tool_calls": [{"index": i, "id": call["id"], "type": "function", "function": {"name": call["function"]["name"], "arguments": &args[..mid]}}]}),
            Value::Null,
        );
        out += &chunk(json!({"tool_calls": [{"index": i, "function": {"arguments": &args[mid..]}}]}), Value::Null);
    }
    out += &chunk(json!({}), completion["choices"][0]["finish_reason"].clone());
    if completion.get("usage").is_some() {
        out += &format!("data: {}\n\n", json!({"choices": [], "usage": completion["usage"]}));
    }
    out += "data: [DONE]\n\n";
    out
}

impl Respond for Reply {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self {
            Reply::Template(t) => t.clone(),
            Reply::Gemini(response) => gemini_body(request, response),
            Reply::OpenAi(completion) => {
                let streamed =
                    serde_json::from_slice::<Value>(&request.body).map(|b| b["stream"] == true).unwrap_or(false);
                if streamed { sse_response(openai_sse(completion)) } else { json_reply(completion.clone()) }
            }
            Reply::Anthropic(message) => {
                let streamed =
                    serde_json::from_slice::<Value>(&request.body).map(|b| b["stream"] == true).unwrap_or(false);
                if streamed {
                    ResponseTemplate::new(200)
                        .insert_header("content-type", "text/event-stream")
                        .set_body_string(anthropic_sse(message))
                } else {
                    ResponseTemplate::new(200).set_body_json(message.clone())
                }
            }
        }
    }
}

pub fn sse_event(name: &str, data: Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The SSE events Anthropic streams for a message.
pub fn anthropic_sse(message: &Value) -> String {
    let mut out = String::new();
    let mut start = message.clone();
    start["content"] = json!([]);
    start["usage"]["output_tokens"] = json!(1);
    out += &sse_event("message_start", json!({"type": "message_start", "message": start}));
    out += &sse_event("ping", json!({"type": "ping"}));
    for (i, block) in message["content"].as_array().unwrap().iter().enumerate() {
        match block["type"].as_str().unwrap() {
            "text" => {
                out += &sse_event(
                    "content_block_start",
                    json!({"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}),
                );
                let text = block["text"].as_str().unwrap();
                let mid = text.len() / 2;
                for piece in [&text[..mid], &text[mid..]] {
                    out += &sse_event(
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": piece}}),
                    );
                }
            }
            "tool_use" => {
                out += &sse_event(
                    "content_block_start",
                    json!({"type": "content_block_start", "index": i,
                    "content_block": {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}),
                );
                let input = block["input"].to_string();
                let input = if input == "{}" { String::new() } else { input };
                let (a, b) = (input.len() / 3, 2 * input.len() / 3);
                for piece in [&input[..a], &input[a..b], &input[b..]] {
                    out += &sse_event(
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": piece}}),
                    );
                }
            }
            _ => {}
        }
        out += &sse_event("content_block_stop", json!({"type": "content_block_stop", "index": i}));
    }
    out += &sse_event(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": message["stop_reason"]}, "usage": {"output_tokens": message["usage"]["output_tokens"]}}),
    );
    out += &sse_event("message_stop", json!({"type": "message_stop"}));
    out
}

/// Mounts replies that are served in order, one each.
pub async fn script(server: &MockServer, url_path: &str, responses: Vec<Reply>) {
    for (i, r) in responses.into_iter().enumerate() {
        Mock::given(method("POST"))
            .and(path(url_path))
            .respond_with(r)
            .up_to_n_times(1)
            .with_priority((i + 1) as u8)
            .mount(server)
            .await;
    }
}

/// An Anthropic message reply.
pub fn ok(body: Value) -> Reply {
    Reply::Anthropic(body)
}

pub fn json_reply(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

pub async fn bodies(server: &MockServer) -> Vec<Value> {
    server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

pub struct Tools;

impl Toolbox for Tools {
    fn definitions(&self) -> Vec<ToolSpec> {
        vec![
            ToolSpec {
                name: "create_expense".into(),
                description: "Log an expense".into(),
                parameters: json!({
                "type": "object", "$schema": "https://json-schema.org/draft/2020-12/schema", "additionalProperties": false,
                "properties": {"amount": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
                               "description": {"type": ["string", "null"]}, "date": {"type": "string", "format": "date"}},
                "required": ["amount"]}),
            },
            ToolSpec {
                name: "get_spending_summary".into(),
                description: "Spending".into(),
                parameters: json!({"type": "object", "properties": {}}),
            },
        ]
    }
    fn execute<'a>(
        &'a self,
        _id: &'a str,
        name: &'a str,
        input: Value,
    ) -> futures::future::BoxFuture<'a, ToolCallResult> {
        Box::pin(async move {
            ToolCallResult {
                content: json!({"tool": name, "got": input}).to_string(),
                is_error: false,
                ui_actions: vec![],
                status: "ok".into(),
                detail: None,
            }
        })
    }
}

pub async fn turn(chain: &FallbackChain, said: &str) -> pam_brain::agent::TurnOutcome {
    run_turn(
        chain,
        &Registry::default(),
        &Tools,
        "You are PAM.",
        &[],
        Message::user_text(said),
        &TurnOptions::default(),
    )
    .await
    .unwrap()
}

pub fn chain(providers: Vec<Box<dyn LlmProvider>>) -> FallbackChain {
    FallbackChain::new(providers, Duration::from_secs(30))
}
