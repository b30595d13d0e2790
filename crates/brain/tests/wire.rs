//! The HTTP providers against local fakes that speak each provider's wire format, asserting both what
//! the brain returns and what it sent.

use std::time::Duration;

use pam_brain::provider::{LlmProvider, ModelRequest, ProviderError, StopReason, ToolChoice};
use pam_brain::transcript::{Block, Message};
use pam_brain::wire::anthropic::Anthropic;
use pam_brain::wire::gemini::{Gemini, compile_schema};
use pam_brain::wire::openai::OpenAiCompatible;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod support;
use support::*;

#[tokio::test]
async fn anthropic_plain_text_marks_system_and_tools_cacheable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", "test-key"))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(ok(a_text("G'day!")))
        .mount(&server)
        .await;
    let out = turn(&chain(vec![anthropic(&server)]), "hello").await;
    assert_eq!(out.text, "G'day!");
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["model"], SONNET);
    assert_eq!(sent["system"][0]["cache_control"]["type"], "ephemeral");
    assert_eq!(sent["tools"][1]["cache_control"]["type"], "ephemeral", "the last tool carries the breakpoint");
    assert!(sent["tools"][0].get("cache_control").is_none());
    assert_eq!(sent["tool_choice"]["type"], "auto");
    assert_eq!(sent["messages"][0]["content"][0]["text"], "hello");
}

#[tokio::test]
async fn anthropic_tool_call_then_its_result_goes_back() {
    let server = MockServer::start().await;
    script(
        &server,
        "/v1/messages",
        vec![ok(a_calls(&[("toolu_1", "create_expense", json!({"amount": 42.5}))])), ok(a_text("Logged."))],
    )
    .await;
    let out = turn(&chain(vec![anthropic(&server)]), "I spent $42.50 on diesel").await;
    assert_eq!(out.text, "Logged.");
    let sent = bodies(&server).await;
    let last = sent[1]["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["role"], "user");
    assert_eq!(last["content"][0]["type"], "tool_result");
    assert_eq!(last["content"][0]["tool_use_id"], "toolu_1");
    assert_eq!(sent[1]["messages"][1]["content"][0]["type"], "tool_use", "the call is replayed before its result");
}

#[tokio::test]
async fn anthropic_parallel_calls_results_in_one_message_in_order_and_empty_input() {
    let server = MockServer::start().await;
    script(
        &server,
        "/v1/messages",
        vec![
            ok(a_calls(&[("a", "get_spending_summary", json!({})), ("b", "create_expense", json!({"amount": 5}))])),
            ok(a_text("Done both.")),
        ],
    )
    .await;
    let out = turn(&chain(vec![anthropic(&server)]), "both").await;
    assert_eq!(out.tool_calls.len(), 2);
    let sent = bodies(&server).await;
    let results = sent[1]["messages"].as_array().unwrap().last().unwrap()["content"].as_array().unwrap().clone();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["tool_use_id"], "a");
    assert_eq!(results[1]["tool_use_id"], "b");
    assert!(results[0]["content"].as_str().unwrap().contains("\"got\":{}"), "empty streamed input became {{}}");
    assert_eq!(sent[1]["messages"][1]["content"][0]["input"], json!({}));
}

#[tokio::test]
async fn anthropic_429_with_retry_after_is_retried_on_the_same_model() {
    let server = MockServer::start().await;
    script(
        &server,
        "/v1/messages",
        vec![
            Reply::Template(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(
                json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}),
            )),
            ok(a_text("After the wait.")),
        ],
    )
    .await;
    let started = std::time::Instant::now();
    let out = turn(&chain(vec![anthropic(&server)]), "hi").await;
    assert_eq!(out.text, "After the wait.");
    assert_eq!(out.model, SONNET);
    assert!(started.elapsed() >= Duration::from_secs(1), "retry-after honoured");
}

#[tokio::test]
async fn anthropic_529_falls_back_to_gemini() {
    let claude = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(529).set_body_json(
                json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
            ),
        )
        .mount(&claude)
        .await;
    let google = MockServer::start().await;
    Mock::given(method("POST")).and(path(format!("/v1beta/models/{FLASH}:streamGenerateContent"))).and(header("x-goog-api-key", "test-key"))
        .respond_with(Reply::Gemini(json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Gemini answering."}]}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 3}}))).mount(&google).await;
    let out = turn(&chain(vec![anthropic(&claude), gemini(&google)]), "hi").await;
    assert_eq!(out.text, "Gemini answering.");
    assert_eq!(out.model, FLASH);
    assert!(out.usage.iter().any(|u| u.model == SONNET && u.outcome.contains("529")));
}

#[tokio::test]
async fn anthropic_refusal_is_a_refusal() {
    let server = MockServer::start().await;
    let mut body = a_text("I can't help with that.");
    body["stop_reason"] = json!("refusal");
    Mock::given(method("POST")).respond_with(ok(body)).mount(&server).await;
    let provider = Anthropic::new(settings(&server, SONNET), reqwest::Client::new());
    let request = ModelRequest {
        system: "s".into(),
        messages: vec![Message::user_text("x")],
        tools: vec![],
        tool_choice: ToolChoice::Auto,
        max_tokens: 50,
        today: None,
    };
    let answer = provider.complete(&request).await.unwrap();
    assert_eq!(answer.stop, StopReason::Refusal);
    let out = turn(&chain(vec![anthropic(&server)]), "x").await;
    assert_eq!(out.text, "I can't help with that.");
}

#[tokio::test]
async fn anthropic_usage_with_cache_tokens_costs_exactly() {
    let server = MockServer::start().await;
    let mut body = a_text("ok");
    body["usage"] = json!({"input_tokens": 1000, "output_tokens": 500, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 10000});
    Mock::given(method("POST")).respond_with(ok(body)).mount(&server).await;
    let out = turn(&chain(vec![anthropic(&server)]), "hi").await;
    let record = out.usage.iter().find(|u| u.outcome == "ok").unwrap();
    assert_eq!(record.usage.cache_read_tokens, 10_000);
    assert_eq!(record.cost_micro_usd, 21_000, "1000×3 + 500×15 + 2000×3.75 + 10000×0.3");
}

#[tokio::test]
async fn anthropic_max_tokens_bad_request_and_slow_first_byte() {
    let server = MockServer::start().await;
    let mut body = a_text("cut sh");
    body["stop_reason"] = json!("max_tokens");
    Mock::given(method("POST")).respond_with(ok(body)).mount(&server).await;
    let provider = Anthropic::new(settings(&server, SONNET), reqwest::Client::new());
    let request = ModelRequest {
        system: "s".into(),
        messages: vec![Message::user_text("x")],
        tools: vec![],
        tool_choice: ToolChoice::Auto,
        max_tokens: 5,
        today: None,
    };
    assert_eq!(provider.complete(&request).await.unwrap().stop, StopReason::MaxTokens);

    let bad = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}})),
        )
        .mount(&bad)
        .await;
    let err = Anthropic::new(settings(&bad, SONNET), reqwest::Client::new()).complete(&request).await.unwrap_err();
    assert!(matches!(err, ProviderError::Fatal(m) if m.contains("400")));

    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_reply(a_text("late")).set_delay(Duration::from_secs(3)))
        .mount(&slow)
        .await;
    let err = Anthropic::new(settings(&slow, SONNET), reqwest::Client::new()).complete(&request).await.unwrap_err();
    assert!(matches!(err, ProviderError::Retryable { ref message, .. } if message.contains("no answer")), "{err:?}");
}

/// A Gemini fake that, like the real API, refuses a history whose functionCall lost its thoughtSignature.
struct StrictGemini;

impl Respond for StrictGemini {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let contents = body["contents"].as_array().unwrap();
        let calls: Vec<&Value> = contents
            .iter()
            .flat_map(|c| c["parts"].as_array().unwrap().iter())
            .filter(|p| p.get("functionCall").is_some())
            .collect();
        if calls.is_empty() {
            return gemini_body(
                request,
                &json!({"candidates": [{"content": {"role": "model", "parts": [
                {"functionCall": {"name": "create_expense", "args": {"amount": 42.5}}, "thoughtSignature": "sig-abc"}]}, "finishReason": "STOP"}],
                "usageMetadata": {"promptTokenCount": 30, "candidatesTokenCount": 10, "cachedContentTokenCount": 12}}),
            );
        }
        if calls.iter().any(|c| c["thoughtSignature"] != "sig-abc") {
            return ResponseTemplate::new(400).set_body_json(json!({"error": {"code": 400, "message": "Function call is missing a thought_signature", "status": "INVALID_ARGUMENT"}}));
        }
        gemini_body(
            request,
            &json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Logged via Gemini."}]}, "finishReason": "STOP"}]}),
        )
    }
}

#[tokio::test]
async fn gemini_echoes_signatures_compiles_schemas_and_names_function_responses() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(StrictGemini).mount(&server).await;
    let out = turn(&chain(vec![gemini(&server)]), "I spent $42.50").await;
    assert_eq!(out.text, "Logged via Gemini.");
    let sent = bodies(&server).await;
    let decl = &sent[0]["tools"][0]["functionDeclarations"][0]["parameters"];
    assert!(decl.get("additionalProperties").is_none() && decl.get("$schema").is_none());
    assert!(decl["properties"]["amount"].get("exclusiveMinimum").is_none());
    assert_eq!(decl["properties"]["description"]["type"], "string");
    assert_eq!(decl["properties"]["description"]["nullable"], true);
    assert_eq!(sent[0]["toolConfig"]["functionCallingConfig"]["mode"], "AUTO");
    let contents = sent[1]["contents"].as_array().unwrap();
    assert_eq!(contents[1]["parts"][0]["thoughtSignature"], "sig-abc");
    assert_eq!(contents[2]["parts"][0]["functionResponse"]["name"], "create_expense");
    assert_eq!(out.usage[0].usage.cache_read_tokens, 12);
}

#[tokio::test]
async fn gemini_rejects_a_call_without_its_signature() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(StrictGemini).mount(&server).await;
    let provider = Gemini::new(settings(&server, FLASH), reqwest::Client::new());
    let stripped = Message {
        role: pam_brain::transcript::Role::Assistant,
        blocks: vec![Block::ToolUse {
            id: "g1".into(),
            name: "create_expense".into(),
            input: json!({}),
            signature: None,
        }],
    };
    let result = Message {
        role: pam_brain::transcript::Role::User,
        blocks: vec![Block::ToolResult { tool_use_id: "g1".into(), content: "{}".into(), is_error: false }],
    };
    let request = ModelRequest {
        system: "s".into(),
        messages: vec![Message::user_text("x"), stripped, result],
        tools: vec![],
        tool_choice: ToolChoice::Auto,
        max_tokens: 50,
        today: None,
    };
    let err = provider.complete(&request).await.unwrap_err();
    assert!(matches!(err, ProviderError::Fatal(m) if m.contains("thought_signature")));
}

#[tokio::test]
async fn gemini_malformed_call_and_safety() {
    let server = MockServer::start().await;
    script(
        &server,
        &format!("/v1beta/models/{FLASH}:generateContent"),
        vec![
            ok(json!({"candidates": [{"content": {"parts": []}, "finishReason": "MALFORMED_FUNCTION_CALL"}]})),
            ok(json!({"candidates": [{"finishReason": "SAFETY"}]})),
        ],
    )
    .await;
    let provider = Gemini::new(settings(&server, FLASH), reqwest::Client::new());
    let request = ModelRequest {
        system: "s".into(),
        messages: vec![Message::user_text("x")],
        tools: vec![],
        tool_choice: ToolChoice::None,
        max_tokens: 50,
        today: None,
    };
    assert!(matches!(provider.complete(&request).await.unwrap_err(), ProviderError::Retryable { .. }));
    let refused = provider.complete(&request).await.unwrap();
    assert_eq!(refused.stop, StopReason::Refusal);
    assert!(!refused.message.text().is_empty());
}

#[test]
fn gemini_schema_compiler_handles_nested_and_nullable_shapes() {
    let compiled = compile_schema(&json!({"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string", "examples": ["x"]}},
        "when": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}));
    assert!(compiled["properties"]["tags"]["items"].get("examples").is_none());
    assert_eq!(compiled["properties"]["when"]["type"], "string");
    assert_eq!(compiled["properties"]["when"]["nullable"], true);
    assert!(compiled["properties"]["when"].get("format").is_none());
    assert!(compiled["properties"]["choice"].get("anyOf").is_some());
}

#[tokio::test]
async fn openai_compatible_tools_round_trip() {
    let server = MockServer::start().await;
    script(&server, "/v1/chat/completions", vec![
        Reply::OpenAi(json!({"choices": [{"message": {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "create_expense", "arguments": "{\"amount\": 12}"}},
            {"id": "call_2", "type": "function", "function": {"name": "get_spending_summary", "arguments": ""}}]}, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 9, "prompt_tokens_details": {"cached_tokens": 20}}})),
        Reply::OpenAi(json!({"choices": [{"message": {"role": "assistant", "content": "All done."}, "finish_reason": "stop"}]})),
    ]).await;
    let mut s = settings(&server, "gpt-4o-mini");
    s.base_url = format!("{}/v1", server.uri());
    let provider: Box<dyn LlmProvider> = Box::new(OpenAiCompatible::new(s, reqwest::Client::new()));
    let out = turn(&chain(vec![provider]), "log 12").await;
    assert_eq!(out.text, "All done.");
    let sent = bodies(&server).await;
    let msgs = sent[1]["messages"].as_array().unwrap();
    assert_eq!(msgs[0]["role"], "system");
    assert_eq!(msgs[2]["tool_calls"][0]["function"]["name"], "create_expense");
    assert_eq!(msgs[3]["role"], "tool");
    assert_eq!(msgs[3]["tool_call_id"], "call_1");
    assert_eq!(msgs[4]["tool_call_id"], "call_2");
    assert!(msgs[4]["content"].as_str().unwrap().contains("\"got\":{}"), "empty arguments became {{}}");
    assert_eq!(out.usage[0].usage.cache_read_tokens, 20);
    assert_eq!(out.usage[0].usage.input_tokens, 30);
}
