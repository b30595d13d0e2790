//! PAM over the WebSocket, with tokio-tungstenite against the real server.

use pam_platform::push::PushSink;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::asyncapi::{self, Incoming, Ws, send_malformed};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app, spawn_app_with_claude};
use pam_testkit::on_both_databases;

mod endings;

async fn connect(app: &TestApp, path_user: &str, token: &str) -> Ws {
    asyncapi::connect(&app.address, path_user, token).await
}

/// The next frame (pings are skipped), held to the AsyncAPI document; a close is `{"closed": code}`.
async fn next(ws: &mut Ws) -> Value {
    asyncapi::next_frame(ws, 10).await.expect("a frame in time")
}

/// Sends a frame the AsyncAPI document describes.
async fn send(ws: &mut Ws, frame: Value) {
    asyncapi::send(ws, &frame).await.unwrap();
}

async fn open(app: &TestApp, user: &TestUser) -> Ws {
    let mut ws = connect(app, &user.id.to_string(), &user.token).await;
    let hello = next(&mut ws).await;
    assert_eq!(hello["type"], "connection");
    assert_eq!(hello["status"], "connected");
    ws
}

on_both_databases!(
    websocket_chat_acts_and_replies,
    websocket_refuses_bad_tokens_and_bad_frames,
    websocket_and_rest_share_message_ids,
    pushes_wait_for_the_reply_in_flight
);

async fn websocket_chat_acts_and_replies(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("ws1@example.com").await;
    let mut ws = open(&app, &user).await;
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next(&mut ws).await["type"], "pong");
    send(&mut ws, json!({"type": "chat", "message": "I spent $42.50 on diesel yesterday", "user_id": user.id, "timestamp": 1764000000000u64})).await;
    let reply = next(&mut ws).await;
    assert_eq!(reply["type"], "chat_response");
    assert_eq!(reply["error"], false);
    assert!(reply["message"].as_str().unwrap().contains("$42.50"), "{reply}");
    assert_eq!(reply["content"], reply["message"]);
    assert_eq!(reply["ui_actions"][0]["type"], "reload_expenses");
    assert_eq!(reply["tool_calls"][0]["status"], "ok");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["expenses"][0]["category"], "fuel");

    // Streamed: start, chunks, then the same final reply.
    send(
        &mut ws,
        json!({"type": "chat", "content": "How much have I spent this week?", "stream": true, "message_id": "s-1"}),
    )
    .await;
    let start = next(&mut ws).await;
    assert_eq!(start["type"], "chat_response_start");
    assert_eq!(start["message_id"], "s-1");
    let mut frames = Vec::new();
    loop {
        let f = next(&mut ws).await;
        let done = f["type"] == "chat_response";
        frames.push(f);
        if done {
            break;
        }
    }
    let calls: Vec<&str> = frames
        .iter()
        .filter(|f| f["type"] == "tool_call" && f["name"] == "get_spending_summary")
        .filter_map(|f| f["status"].as_str())
        .collect();
    assert_eq!(calls, ["started", "done"], "each streamed tool call ends with done (or failed)");
    assert!(frames.iter().any(|f| f["type"] == "chunk"));
    assert!(frames.last().unwrap()["message"].as_str().unwrap().starts_with("You've spent"));

    send(&mut ws, json!({"type": "context_update", "context": {"timezone": "Australia/Perth"}})).await;
    assert_eq!(next(&mut ws).await["type"], "context_updated");
}

async fn websocket_refuses_bad_tokens_and_bad_frames(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("ws2@example.com").await;
    let other = app.register("ws3@example.com").await;
    let mut ws = connect(&app, &user.id.to_string(), "not-a-token").await;
    assert_eq!(next(&mut ws).await["closed"], 4001);
    let mut ws = connect(&app, &other.id.to_string(), &user.token).await;
    assert_eq!(next(&mut ws).await["closed"], 4001, "another user's socket");

    let mut ws = open(&app, &user).await;
    send_malformed(&mut ws, "{not json").await.unwrap();
    assert_eq!(next(&mut ws).await["error_code"], "FORMAT_ERROR");
    send_malformed(&mut ws, json!({"type": "dance"}).to_string()).await.unwrap();
    let err = next(&mut ws).await;
    assert_eq!(err["error_code"], "UNKNOWN_TYPE");
    assert_eq!(err["error"], err["message"]);
    send_malformed(&mut ws, json!({"type": "chat", "message": "x".repeat(2001)}).to_string()).await.unwrap();
    assert_eq!(next(&mut ws).await["error_code"], "MESSAGE_TOO_LARGE");
    send_malformed(&mut ws, "x".repeat(1024 * 1024 + 10)).await.unwrap();
    assert_eq!(next(&mut ws).await["closed"], 4009);
}

async fn websocket_and_rest_share_message_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("ws4@example.com").await;
    let mut ws = open(&app, &user).await;
    send(&mut ws, json!({"type": "chat", "message": "I spent $12 on groceries", "message_id": "shared-1"})).await;
    let over_ws = next(&mut ws).await;
    let over_rest: Value = app
        .send_json(
            Method::POST,
            "/api/v1/pam/chat",
            Some(&user.token),
            &json!({"message": "I spent $12 on groceries", "message_id": "shared-1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(over_ws["message"], over_rest["response"]);
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "one expense for one message id");
}

async fn pushes_wait_for_the_reply_in_flight(backend: Backend) {
    // A Claude that takes half a second to answer keeps the turn in flight long enough to push into it.
    let claude = MockServer::start().await;
    let message = json!({"type": "message", "role": "assistant", "content": [], "usage": {"input_tokens": 5, "output_tokens": 1}});
    let sse = format!(
        "event: message_start\ndata: {}\n\nevent: content_block_start\ndata: {}\n\nevent: content_block_delta\ndata: {}\n\n\
         event: content_block_stop\ndata: {}\n\nevent: message_delta\ndata: {}\n\nevent: message_stop\ndata: {{}}\n\n",
        json!({"type": "message_start", "message": message}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Here you go."}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 3}}),
    );
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(sse)
                .set_delay(Duration::from_millis(500)),
        )
        .mount(&claude)
        .await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("ws5@example.com").await;
    let mut ws = open(&app, &user).await;
    // No turn in flight: a push is delivered at once.
    assert_eq!(app.state.pam.hub.deliver(user.id, &crate::pushes::alert_frame("a1")), 1);
    assert_eq!(crate::pushes::label(&next(&mut ws).await), "a1");
    send(&mut ws, json!({"type": "chat", "message": "what's my plan today?"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    use pam_calendar::frames::{TimerType, Words, timer_expired};
    let words = Words { label: "Tea".into(), title: "Timer done".into(), message: "Tea is ready".into() };
    let tea = timer_expired(uuid::Uuid::now_v7(), TimerType::Timer, &words, chrono::Utc::now(), "timer-tea");
    app.state.pam.hub.deliver(user.id, &tea.to_value());
    let first = next(&mut ws).await;
    assert_eq!(first["type"], "chat_response", "the reply comes first: {first}");
    assert_eq!(first["message"], "Here you go.");
    let second = next(&mut ws).await;
    assert_eq!(second["type"], "timer_expired", "then the held push");
}

on_both_databases!(chat_frames_are_rate_limited_per_user);

async fn chat_frames_are_rate_limited_per_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("ws6@example.com").await;
    let mut ws = open(&app, &user).await;
    // Pings do not count; 60 chat messages a minute do.
    for _ in 0..5 {
        send(&mut ws, json!({"type": "ping"})).await;
        assert_eq!(next(&mut ws).await["type"], "pong");
    }
    // The limit refills at one a second (60 a minute), so on a slow machine the 61st can already be
    // allowed again; 90 in a burst cannot all pass unless answering them took half a minute.
    const SENT: usize = 90;
    for i in 0..SENT {
        send(&mut ws, json!({"type": "chat", "message": format!("hello {i}"), "message_id": format!("r-{i}")})).await;
    }
    let (mut limited, mut answered) = (None, 0);
    for _ in 0..SENT {
        let f = next(&mut ws).await;
        if f["type"] == "error" {
            limited = Some(f);
        } else if f["type"] == "chat_response" {
            answered += 1;
        }
    }
    assert!(answered >= 60, "a burst of 60 is allowed; answered {answered}");
    let limited = limited.expect("the burst past 60 is refused");
    assert_eq!(limited["error_code"], "RATE_LIMIT_EXCEEDED");
    assert!(limited["retry_after"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn a_silent_socket_is_pinged_then_closed_with_1001() {
    let app =
        crate::helpers::spawn_app_with(Backend::Sqlite, &[("WS_PING_SECONDS", "1"), ("WS_SILENT_CLOSE_SECONDS", "2")])
            .await;
    let user = app.register("ws7@example.com").await;
    let mut ws = open(&app, &user).await;
    // Say nothing (and read nothing, so no automatic pong goes back) for longer than the silence limit.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut pings = 0;
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), asyncapi::receive(&mut ws))
            .await
            .expect("frames")
            .expect("open")
            .expect("ok")
        {
            Incoming::Ping => pings += 1,
            Incoming::Close(code) => break code,
            Incoming::Frame(_) | Incoming::Pong => {}
        }
    };
    assert!(pings >= 1, "the server pinged");
    assert_eq!(close, Some(1001));
}

#[tokio::test]
async fn shutdown_closes_websockets_with_1001() {
    crate::helpers::init_test_process();
    let dir = tempfile::tempdir().unwrap();
    let vars = std::collections::HashMap::from([
        ("DATA_DIR".to_string(), dir.path().display().to_string()),
        ("SECRET_KEY".to_string(), crate::helpers::TEST_SECRET.to_string()),
    ]);
    let state = pam_server::app::build_state(pam_server::config::Config::from_vars(vars).unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(pam_server::app::serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    let app = TestApp { address, client: reqwest::Client::new(), state, _data_dir: dir };
    let user = app.register("ws8@example.com").await;
    let mut ws = open(&app, &user).await;
    stop.send(()).unwrap();
    assert_eq!(next(&mut ws).await["closed"], 1001);
    tokio::time::timeout(Duration::from_secs(10), served).await.expect("server stopped").unwrap().unwrap();
}

on_both_databases!(a_socket_that_floods_frames_is_refused_then_closed, a_stream_that_fails_midway_says_so_in_the_reply);

async fn a_socket_that_floods_frames_is_refused_then_closed(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("flood@example.com").await;
    let mut ws = open(&app, &user).await;
    // Malformed frames and pings count too: past the per-socket budget they are refused...
    for i in 0..300 {
        if i % 2 == 0 {
            send(&mut ws, json!({"type": "ping"})).await;
        } else {
            send_malformed(&mut ws, "{not json").await.unwrap();
        }
    }
    let mut refused = 0;
    for _ in 0..300 {
        if next(&mut ws).await["error_code"] == "RATE_LIMIT_EXCEEDED" {
            refused += 1;
        }
    }
    assert_eq!(refused, 60, "the 60 frames past the budget of 240 a minute are refused");
    // ...and far past it the socket is closed.
    for _ in 0..300 {
        if asyncapi::send(&mut ws, &json!({"type": "ping"})).await.is_err() {
            break;
        }
    }
    // The socket ends: with a 1008 close frame, or — the client still sending — a reset connection.
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(10), asyncapi::receive(&mut ws))
            .await
            .expect("the socket ends in time")
        {
            Some(Ok(Incoming::Close(code))) => break code,
            Some(Ok(_)) => {}
            Some(Err(_)) | None => break Some(1008),
        }
    };
    assert_eq!(closed, Some(1008));
    for _ in 0..50 {
        if app.state.pam.hub.connections() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.state.pam.hub.connections(), 0, "the server let go of the socket");
}

async fn a_stream_that_fails_midway_says_so_in_the_reply(backend: Backend) {
    let claude = MockServer::start().await;
    let sse = format!(
        "event: message_start\ndata: {}\n\nevent: content_block_start\ndata: {}\n\nevent: content_block_delta\ndata: {}\n\n\
         event: error\ndata: {}\n\n",
        json!({"type": "message_start", "message": {"usage": {"input_tokens": 5}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Let me check your "}}),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    );
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(sse),
        )
        .mount(&claude)
        .await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("midway@example.com").await;
    let mut ws = open(&app, &user).await;
    send(&mut ws, json!({"type": "chat", "message": "what's my budget?", "stream": true, "message_id": "s-1"})).await;
    let mut saw_chunk = false;
    let reply = loop {
        let f = next(&mut ws).await;
        if f["type"] == "chunk" {
            saw_chunk = true;
        }
        if f["type"] == "chat_response" {
            break f;
        }
    };
    assert!(saw_chunk, "text had streamed before the failure");
    let error = reply["error"].as_str().expect("error is the human message");
    assert!(!error.is_empty());
    assert_eq!(reply["message"], error, "message says the same as error: {reply}");
    assert_eq!(reply["content"], error);
}
