//! How turns and sockets end: a confirmation's reply names its conversation, a streamed tool call that
//! fails ends `failed`, and a client that sends but never reads is closed.

use crate::asyncapi::{self, Ws};
use crate::fakes::{careless_claude, deleting_claude};
use crate::helpers::{Backend, spawn_app, spawn_app_with_claude};
use pam_platform::push::PushSink;
use pam_testkit::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use super::*;

on_both_databases!(a_websocket_confirmation_reply_names_its_conversation_and_message);

async fn a_websocket_confirmation_reply_names_its_conversation_and_message(backend: Backend) {
    let claude = MockServer::start().await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("wsconfirm@example.com").await;
    let expense = async |amount: u32| -> String {
        let body = json!({"amount": amount, "category": "tea"});
        let e: Value =
            app.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &body).await.json().await.unwrap();
        e["id"].as_str().unwrap().to_string()
    };
    let propose = async |ws: &mut Ws, id: String, message_id: &str| -> Value {
        claude.reset().await;
        Mock::given(method("POST")).respond_with(deleting_claude(id)).mount(&claude).await;
        send(ws, json!({"type": "chat", "message": "delete my tea expense", "message_id": message_id})).await;
        let proposal = next(ws).await;
        assert_eq!(proposal["tool_calls"][0]["status"], "confirmation_required", "{proposal}");
        assert!(proposal["conversation_id"].is_string(), "{proposal}");
        proposal
    };
    let confirm = async |ws: &mut Ws, proposal: &Value, message_id: &str| -> Value {
        let id = &proposal["tool_calls"][0]["confirmation_id"];
        send(ws, json!({"type": "confirm", "confirmation_id": id, "message_id": message_id})).await;
        let reply = next(ws).await;
        assert_eq!(reply["type"], "chat_response");
        reply
    };
    let mut ws = open(&app, &user).await;
    // The proposal is made in a chat turn, so it belongs to that turn's conversation.
    let proposal = propose(&mut ws, expense(3).await, "m-1").await;
    let reply = confirm(&mut ws, &proposal, "c-1").await;
    assert_eq!(reply["message_id"], "c-1", "the confirm frame's message id: {reply}");
    assert_eq!(reply["conversation_id"], proposal["conversation_id"], "the proposal's conversation: {reply}");
    assert_eq!(reply["error"], false);
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
    // A confirmation that cannot be carried out (the user said no) names them too.
    let proposal = propose(&mut ws, expense(4).await, "m-2").await;
    send(&mut ws, json!({"type": "chat", "message": "no", "conversation_id": proposal["conversation_id"]})).await;
    next(&mut ws).await;
    let reply = confirm(&mut ws, &proposal, "c-2").await;
    assert!(reply["error"].is_string(), "{reply}");
    assert_eq!(reply["message_id"], "c-2");
    assert_eq!(reply["conversation_id"], proposal["conversation_id"], "{reply}");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "nothing deleted after the no");
}

on_both_databases!(a_streamed_tool_call_that_fails_ends_with_failed);

async fn a_streamed_tool_call_that_fails_ends_with_failed(backend: Backend) {
    let claude = MockServer::start().await;
    Mock::given(method("POST")).respond_with(careless_claude()).mount(&claude).await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("wsfailed@example.com").await;
    let mut ws = open(&app, &user).await;
    send(&mut ws, json!({"type": "chat", "message": "log minus five for fuel", "stream": true, "message_id": "s-bad"}))
        .await;
    let mut frames = Vec::new();
    let reply = loop {
        let f = next(&mut ws).await;
        if f["type"] == "chat_response" {
            break f;
        }
        frames.push(f);
    };
    let calls: Vec<(&str, &str, &str)> = frames
        .iter()
        .filter(|f| f["type"] == "tool_call")
        .map(|f| (f["message_id"].as_str().unwrap(), f["name"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(calls, [("s-bad", "create_expense", "started"), ("s-bad", "create_expense", "failed")]);
    assert_eq!(reply["tool_calls"][0]["status"], "error", "{reply}");
    assert_eq!(reply["message"], "That amount didn't work — how much was it?");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn a_client_that_sends_but_never_reads_is_closed() {
    let app = spawn_app(Backend::Sqlite).await;
    let user = app.register("deaf@example.com").await;
    let (mut write, mut read) = asyncapi::split(open(&app, &user).await);
    // What the client was sent and never read already fills the connection's kernel buffers (a few MB on
    // loopback) and part of the socket's outgoing queue.
    let backlog = crate::pushes::alert_frame(&"x".repeat(512 * 1024));
    for _ in 0..64 {
        assert_eq!(app.state.pam.hub.deliver(user.id, &backlog), 1);
    }
    // The client keeps sending (fewer frames than the per-socket budget of 240 a minute, so that limit
    // plays no part) and reads nothing.
    let started = std::time::Instant::now();
    let mut sent = 0;
    while app.state.pam.hub.connections() > 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "the server still holds the socket after {sent} pings");
        if sent < 200 {
            let frame = json!({"type": "ping"});
            let ping = asyncapi::send(&mut write, &frame);
            match tokio::time::timeout(Duration::from_millis(100), ping).await {
                Ok(Ok(())) => sent += 1,
                Ok(Err(_)) => sent = 200,
                Err(_) => {}
            }
        } else {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    // The server let go of the connection too: what did reach the client is followed by its end.
    let drained = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(Ok(_)) = asyncapi::receive(&mut read).await {}
    });
    assert!(drained.await.is_ok(), "the connection was closed");
}
