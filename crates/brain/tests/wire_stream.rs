//! Streaming: deltas, partial tool input, mid-stream errors and the first-token and idle deadlines.

use std::time::Duration;

use pam_brain::agent::TurnOptions;
use pam_brain::provider::{FallbackChain, LlmProvider};
use pam_brain::registry::Registry;
use pam_brain::transcript::Message;
use pam_brain::wire::HttpSettings;
use pam_brain::wire::anthropic::Anthropic;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::*;

async fn turn_with_deadlines(
    chain: &FallbackChain,
    said: &str,
    first: u64,
    idle: u64,
) -> (pam_brain::agent::TurnOutcome, Vec<pam_brain::agent::TurnEvent>) {
    let events = std::sync::Mutex::new(Vec::new());
    let options = TurnOptions {
        deadlines: pam_brain::stream::Deadlines {
            first_token: Duration::from_millis(first),
            idle: Duration::from_millis(idle),
        },
        ..Default::default()
    };
    let sink = |e: pam_brain::agent::TurnEvent| events.lock().unwrap().push(e);
    let out = pam_brain::agent::run_turn_with(
        chain,
        &Registry::default(),
        &Tools,
        "You are PAM.",
        &[],
        Message::user_text(said),
        &options,
        &sink,
    )
    .await
    .unwrap();
    (out, events.into_inner().unwrap())
}

#[tokio::test]
async fn streamed_text_reaches_the_sink_in_pieces() {
    let server = MockServer::start().await;
    script(
        &server,
        "/v1/messages",
        vec![
            ok(a_calls(&[("t1", "create_expense", json!({"amount": 42.5, "description": "diesel"}))])),
            ok(a_text("Logged your diesel.")),
        ],
    )
    .await;
    let (out, events) = turn_with_deadlines(&chain(vec![anthropic(&server)]), "diesel 42.50", 2000, 2000).await;
    assert_eq!(out.text, "Logged your diesel.");
    let texts: Vec<&pam_brain::agent::TurnEvent> =
        events.iter().filter(|e| matches!(e, pam_brain::agent::TurnEvent::Text(_))).collect();
    assert_eq!(texts.len(), 2, "two deltas");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, pam_brain::agent::TurnEvent::ToolStarted { name, .. } if name == "create_expense"))
    );
    let sent = bodies(&server).await;
    assert_eq!(sent[0]["stream"], true);
    // The tool input arrived in three partial_json pieces and was assembled before the tool ran.
    assert_eq!(sent[1]["messages"][1]["content"][0]["input"], json!({"amount": 42.5, "description": "diesel"}));
}

#[tokio::test]
async fn an_error_mid_stream_is_a_retryable_error_not_a_second_answer() {
    let claude = MockServer::start().await;
    let body = format!(
        "{}{}{}{}",
        sse_event(
            "message_start",
            json!({"type": "message_start", "message": {"usage": {"input_tokens": 5, "output_tokens": 1}}})
        ),
        sse_event(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
        ),
        sse_event(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Your fuel spend is "}})
        ),
        sse_event("error", json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})),
    );
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(body),
        )
        .mount(&claude)
        .await;
    let google = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Reply::Gemini(
            json!({"candidates": [{"content": {"parts": [{"text": "second answer"}]}, "finishReason": "STOP"}]}),
        ))
        .mount(&google)
        .await;
    let (out, _) = turn_with_deadlines(&chain(vec![anthropic(&claude), gemini(&google)]), "fuel?", 2000, 2000).await;
    assert!(out.error.as_deref().unwrap().contains("Overloaded"), "{:?}", out.error);
    assert!(out.retryable);
    assert_eq!(out.text, "Your fuel spend is ");
    assert!(google.received_requests().await.unwrap().is_empty(), "no silent second answer");
}

#[tokio::test]
async fn a_slow_first_byte_moves_to_the_next_model() {
    let claude = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(anthropic_sse(&a_text("late")))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&claude)
        .await;
    let google = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Reply::Gemini(
            json!({"candidates": [{"content": {"parts": [{"text": "Gemini on time."}]}, "finishReason": "STOP"}]}),
        ))
        .mount(&google)
        .await;
    let started = std::time::Instant::now();
    let (out, _) = turn_with_deadlines(&chain(vec![anthropic(&claude), gemini(&google)]), "hi", 300, 2000).await;
    assert_eq!(out.text, "Gemini on time.");
    assert!(started.elapsed() < Duration::from_secs(2), "the first-token deadline cut the wait");
}

#[tokio::test]
async fn a_stalled_stream_hits_the_idle_deadline() {
    // A raw server: headers and the first events, then silence.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 65536];
        let _ = socket.read(&mut buf).await;
        let events = format!(
            "{}{}{}",
            sse_event("message_start", json!({"type": "message_start", "message": {"usage": {"input_tokens": 5}}})),
            sse_event(
                "content_block_start",
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
            ),
            sse_event(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Half an "}})
            ),
        );
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = format!("{:x}\r\n{events}\r\n", events.len());
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(chunk.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let settings = HttpSettings {
        base_url: format!("http://{address}"),
        api_key: "k".into(),
        model: SONNET.into(),
        timeout: Duration::from_secs(5),
    };
    let provider: Box<dyn LlmProvider> = Box::new(Anthropic::new(settings, reqwest::Client::new()));
    let started = std::time::Instant::now();
    let (out, _) = turn_with_deadlines(&chain(vec![provider]), "hi", 2000, 300).await;
    assert!(out.error.as_deref().unwrap().contains("stalled"), "{:?}", out.error);
    assert_eq!(out.text, "Half an ");
    assert!(started.elapsed() < Duration::from_secs(2));
}
