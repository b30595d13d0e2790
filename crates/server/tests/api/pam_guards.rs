//! PAM's guards: confirmation before deleting, spend caps, re-sends while a turn runs, the terminal, restarts.

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::fakes::{careless_claude, deleting_claude};
use crate::helpers::{Backend, assert_error, spawn_app, spawn_app_with};
use crate::pam::{FakeClaude, brisbane, chat};
use pam_testkit::on_both_databases;

on_both_databases!(deletions_wait_for_confirmation);

async fn deletions_wait_for_confirmation(backend: Backend) {
    let claude = MockServer::start().await;
    let url = claude.uri();
    let app = spawn_app_with(
        backend,
        &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", &url), ("PAM_FALLBACK_MODELS", "")],
    )
    .await;
    let user = brisbane(&app, "pam6@example.com").await;
    let make = async || -> String {
        let res = app
            .send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &json!({"amount": 5, "category": "fuel"}))
            .await;
        res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    };
    let count = async || {
        app.get("/api/v1/expenses", &user.token).await.json::<Value>().await.unwrap()["total"].as_i64().unwrap()
    };

    // REST: the first call only proposes.
    let id = make().await;
    let proposal: Value = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/delete_expense",
            Some(&user.token),
            &json!({"expense_id": id}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(proposal["success"], false);
    assert_eq!(proposal["confirmation_required"], true);
    // The question is a sentence a person reads, not the arguments.
    let summary = proposal["summary"].as_str().unwrap();
    assert!(summary.starts_with("Delete the $5.00 fuel expense of "), "{summary}");
    assert!(summary.ends_with('?') && !summary.contains(&id), "{summary}");
    assert_eq!(count().await, 1, "nothing deleted before confirmation");
    let confirm_path = format!("/api/v1/pam/tools/confirm/{}", proposal["confirmation_id"].as_str().unwrap());
    let done: Value =
        app.send_json(Method::POST, &confirm_path, Some(&user.token), &json!({})).await.json().await.unwrap();
    assert_eq!(done["success"], true);
    assert_eq!(count().await, 0);
    let again: Value =
        app.send_json(Method::POST, &confirm_path, Some(&user.token), &json!({})).await.json().await.unwrap();
    assert_eq!(again["data"], done["data"], "a second confirm replays, it does not act again");
    let other = app.register("pam6b@example.com").await;
    let res = app.send_json(Method::POST, &confirm_path, Some(&other.token), &json!({})).await;
    assert_error(res, 404, "not_found").await;

    // Chat: the model's delete is proposed; the user's "yes" carries it out.
    let id = make().await;
    Mock::given(method("POST")).respond_with(deleting_claude(id.clone())).mount(&claude).await;
    let reply = chat(&app, &user, json!({"message": "delete that fuel expense"})).await;
    assert_eq!(reply["tool_calls"][0]["status"], "confirmation_required");
    assert!(reply["tool_calls"][0]["confirmation_id"].is_string());
    assert!(reply["tool_calls"][0]["summary"].is_string());
    assert_eq!(count().await, 1, "not deleted before the user says yes");
    let yes = chat(&app, &user, json!({"message": "Yes please"})).await;
    assert!(yes["response"].as_str().unwrap().starts_with("Done"), "{yes}");
    assert_eq!(count().await, 0);
}

on_both_databases!(spend_caps_switch_to_the_offline_brain);

async fn spend_caps_switch_to_the_offline_brain(backend: Backend) {
    let claude = MockServer::start().await;
    Mock::given(method("POST")).respond_with(FakeClaude).mount(&claude).await;
    let url = claude.uri();
    let app = spawn_app_with(
        backend,
        &[
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", &url),
            ("PAM_FALLBACK_MODELS", ""),
            ("PAM_DAILY_SPEND_CAP_USD", "0.0005"),
        ],
    )
    .await;
    let user = brisbane(&app, "pam7@example.com").await;
    let first = chat(&app, &user, json!({"message": "I spent $42.50 on diesel"})).await;
    assert_eq!(first["source"], "claude");
    // That turn cost 0.0006 USD (40×3 + 12×15 + 50×3 + 10×15 micro-USD), past the 0.0005 cap.
    let second = chat(&app, &user, json!({"message": "I spent $5 on coffee"})).await;
    assert_eq!(second["source"], "offline");
    assert!(second["response"].as_str().unwrap().contains("limit"), "{second}");
    assert!(second["response"].as_str().unwrap().contains("Logged $5.00"), "the offline brain still logs: {second}");
    assert_eq!(claude.received_requests().await.unwrap().len(), 2, "Claude was not called past the cap");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 2);
}

on_both_databases!(terminal_chat_and_restarts_keep_the_conversation);

async fn terminal_chat_and_restarts_keep_the_conversation(backend: Backend) {
    let app = spawn_app(backend.clone()).await;
    let user = brisbane(&app, "pam8@example.com").await;
    let who = pam_server::pam::terminal::user_for(&app.state, "PAM8@example.com").await.unwrap();
    assert_eq!(who.id, user.id);
    let input = tokio::io::BufReader::new(&b"I spent $9 on coffee\nhow much have I spent today?\n\n"[..]);
    let mut output = Vec::new();
    pam_server::pam::terminal::run(&app.state, &who, input, &mut output).await.unwrap();
    let printed = String::from_utf8(output).unwrap();
    assert!(printed.contains("Logged $9.00 for dining"), "{printed}");
    assert!(printed.contains("You've spent $9.00 today"), "{printed}");

    // A second server on the same database sees the conversation (nothing lived only in memory).
    let database_url = app.state.config.database_url.expose().to_string();
    let again = spawn_app_with(backend, &[("DATABASE_URL", &database_url)]).await;
    let history: Value = again.get("/api/v1/pam/history", &user.token).await.json().await.unwrap();
    let texts: Vec<&str> =
        history["messages"].as_array().unwrap().iter().filter_map(|m| m["content"].as_str()).collect();
    assert!(texts.contains(&"I spent $9 on coffee"), "{history}");
}

on_both_databases!(a_resend_while_the_first_turn_runs_gets_its_reply);

/// Delays another responder's answers.
struct Slow<R>(R, std::time::Duration);

impl<R: Respond> Respond for Slow<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request).set_delay(self.1)
    }
}

async fn a_resend_while_the_first_turn_runs_gets_its_reply(backend: Backend) {
    let claude = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Slow(FakeClaude, std::time::Duration::from_millis(300)))
        .mount(&claude)
        .await;
    let url = claude.uri();
    let app = spawn_app_with(
        backend,
        &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", &url), ("PAM_FALLBACK_MODELS", "")],
    )
    .await;
    let user = brisbane(&app, "pam9@example.com").await;
    let body = json!({"message": "I spent $42.50 on diesel"});
    let send = || app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &body);
    let (a, b) = futures::join!(send(), async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        send().await
    });
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a["message_id"], b["message_id"], "the re-send is the same turn");
    assert_eq!(a["response"], b["response"]);
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "one expense, however many copies");
    assert_eq!(claude.received_requests().await.unwrap().len(), 2, "one turn's two model calls");
}

on_both_databases!(bad_tool_input_goes_back_as_an_error_and_the_reply_is_not_empty);

async fn bad_tool_input_goes_back_as_an_error_and_the_reply_is_not_empty(backend: Backend) {
    let claude = MockServer::start().await;
    Mock::given(method("POST")).respond_with(careless_claude()).mount(&claude).await;
    let url = claude.uri();
    let app = spawn_app_with(
        backend,
        &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", &url), ("PAM_FALLBACK_MODELS", "")],
    )
    .await;
    let user = brisbane(&app, "pam10@example.com").await;
    let reply = chat(&app, &user, json!({"message": "log minus five for fuel"})).await;
    assert_eq!(reply["response"], "That amount didn't work — how much was it?");
    assert_eq!(reply["tool_calls"][0]["status"], "error");
    let sent: Vec<Value> =
        claude.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let result = &sent[1]["messages"].as_array().unwrap().last().unwrap()["content"][0];
    assert_eq!(result["is_error"], true);
    assert!(result["content"].as_str().unwrap().contains("amount"), "a readable reason: {result}");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}
