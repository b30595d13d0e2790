//! Fake LLM providers speaking Anthropic's streamed wire format, scripted per test.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

/// One streamed Anthropic answer holding `block` (a text or a tool_use block) that stops for `stop`.
pub fn claude_sse(block: &Value, stop: &str) -> ResponseTemplate {
    let (start, delta) = if block["type"] == "text" {
        (json!({"type": "text", "text": ""}), json!({"type": "text_delta", "text": block["text"]}))
    } else {
        (
            json!({"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}),
            json!({"type": "input_json_delta", "partial_json": block["input"].to_string()}),
        )
    };
    let sse = [
        ("message_start", json!({"type": "message_start", "message": {"usage": {"input_tokens": 3}}})),
        ("content_block_start", json!({"type": "content_block_start", "index": 0, "content_block": start})),
        ("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": delta})),
        ("content_block_stop", json!({"type": "content_block_stop", "index": 0})),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 2}}),
        ),
        ("message_stop", json!({"type": "message_stop"})),
    ]
    .iter()
    .map(|(e, d)| format!("event: {e}\ndata: {d}\n\n"))
    .collect::<String>();
    ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(sse)
}

pub fn text(t: &str) -> (Value, &'static str) {
    (json!({"type": "text", "text": t}), "end_turn")
}

pub fn tool_use(id: &str, name: &str, input: Value) -> (Value, &'static str) {
    (json!({"type": "tool_use", "id": id, "name": name, "input": input}), "tool_use")
}

/// Whether a request is the model's second step (the tool results are in).
pub fn after_tools(body: &Value) -> bool {
    body["messages"].as_array().and_then(|m| m.last()).is_some_and(|last| last["content"][0]["type"] == "tool_result")
}

/// A Claude that logs $42.50 of fuel (`create_expense`), then says so.
pub fn fuel_logger() -> ScriptedClaude<impl Fn(&Value) -> (Value, &'static str) + Send + Sync> {
    ScriptedClaude::new(|body: &Value| {
        if after_tools(body) {
            text("Logged $42.50 of fuel.")
        } else {
            tool_use("toolu_log", "create_expense", json!({"amount": 42.5, "category": "fuel"}))
        }
    })
}

/// A Claude fake that proposes deleting one expense, then asks.
pub fn deleting_claude(id: String) -> ScriptedClaude<impl Fn(&Value) -> (Value, &'static str) + Send + Sync> {
    ScriptedClaude::new(move |body: &Value| {
        if after_tools(body) {
            text("Shall I delete that expense?")
        } else {
            tool_use("toolu_del", "delete_expense", json!({"expense_id": id}))
        }
    })
}

/// A Claude that first logs an impossible amount, then answers whatever came back.
pub fn careless_claude() -> ScriptedClaude<impl Fn(&Value) -> (Value, &'static str) + Send + Sync> {
    ScriptedClaude::new(|body: &Value| {
        if after_tools(body) {
            text("That amount didn't work — how much was it?")
        } else {
            tool_use("toolu_bad", "create_expense", json!({"amount": -5, "category": "fuel"}))
        }
    })
}

/// A Claude whose answer is a function of the request body; counts the calls it got.
pub struct ScriptedClaude<F> {
    pub script: F,
    pub delay: Duration,
    pub calls: Arc<AtomicUsize>,
}

impl<F: Fn(&Value) -> (Value, &'static str) + Send + Sync> ScriptedClaude<F> {
    pub fn new(script: F) -> Self {
        ScriptedClaude { script, delay: Duration::ZERO, calls: Arc::default() }
    }

    pub fn slow(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl<F: Fn(&Value) -> (Value, &'static str) + Send + Sync + 'static> Respond for ScriptedClaude<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let (block, stop) = (self.script)(&body);
        claude_sse(&block, stop).set_delay(self.delay)
    }
}
