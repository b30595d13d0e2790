//! PAM through REST: the offline brain acting on the user's data, re-send de-duplication, history, the
//! tool endpoints, and a fake Anthropic/Gemini pair speaking their real wire formats.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use pam_testkit::on_both_databases;

on_both_databases!(
    offline_pam_logs_an_expense_and_answers_totals,
    a_repeated_message_runs_once,
    conversations_are_kept_and_listed,
    tools_can_be_listed_and_run,
    a_fake_claude_runs_tools_and_falls_back_to_gemini,
);

pub async fn chat(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let res = app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

pub async fn brisbane(app: &TestApp, email: &str) -> TestUser {
    let user = app.register(email).await;
    app.send_json(
        Method::PATCH,
        &format!("/api/v1/users/{}/profile", user.id),
        Some(&user.token),
        &json!({"timezone": "Australia/Brisbane"}),
    )
    .await;
    user
}

fn brisbane_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Australia::Brisbane).date_naive()
}

async fn offline_pam_logs_an_expense_and_answers_totals(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane(&app, "pam1@example.com").await;
    // The extra fields the existing front end sends are accepted.
    let reply = chat(&app, &user, json!({"message": "I spent $42.50 on diesel yesterday", "user_id": user.id, "type": "chat",
        "environment": "production", "timestamp": 1764000000000u64, "context": {"userLocation": {"lat": -27.47, "lng": 153.02}}})).await;
    let yesterday = (brisbane_today() - Duration::days(1)).to_string();
    assert_eq!(reply["source"], "offline");
    assert_eq!(reply["error"], false);
    assert!(
        reply["response"].as_str().unwrap().contains("$42.50") && reply["response"].as_str().unwrap().contains("fuel"),
        "{reply}"
    );
    assert!(reply["response"].as_str().unwrap().contains("dated yesterday"), "the date as the user says it: {reply}");
    assert_eq!(reply["ui_actions"][0]["type"], "reload_expenses");
    assert_eq!(reply["actions"], reply["ui_actions"]);
    assert_eq!(reply["tool_calls"][0]["name"], "create_expense");
    assert_eq!(reply["session_id"], reply["conversation_id"]);

    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["expenses"][0]["amount"], 42.5);
    assert_eq!(list["expenses"][0]["category"], "fuel");
    assert_eq!(list["expenses"][0]["date"], yesterday);
    // Said in the user's own currency it is logged like any other; in another currency it is not stored
    // as the user's own (no conversion is made), and the reply says so.
    let currency = list["expenses"][0]["currency"].as_str().unwrap().to_string();
    let other = if currency == "EUR" { "£" } else { "€" };
    let reply = chat(&app, &user, json!({"message": format!("I paid {other}30 for the ferry")})).await;
    let text = reply["response"].as_str().unwrap();
    assert!(text.contains("couldn't") && text.contains(&currency), "{reply}");
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "nothing stored in the wrong currency: {list}");

    expense_today(&app, &user, 10.0).await;
    let reply = chat(&app, &user, json!({"message": "How much have I spent this month?"})).await;
    let month_total: f64 = if (brisbane_today() - Duration::days(1)).format("%m").to_string()
        == brisbane_today().format("%m").to_string()
    {
        52.5
    } else {
        10.0
    };
    assert!(reply["response"].as_str().unwrap().contains(&format!("${month_total:.2}")), "{reply}");
    assert!(reply["response"].as_str().unwrap().contains("this month"), "the period asked about: {reply}");
}

async fn expense_today(app: &TestApp, user: &TestUser, amount: f64) {
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/expenses",
            Some(&user.token),
            &json!({"amount": amount, "category": "dining"}),
        )
        .await;
    assert_eq!(res.status(), 201);
}

async fn a_repeated_message_runs_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane(&app, "pam2@example.com").await;
    let body = json!({"message": "I spent $20 on groceries", "message_id": "m-1"});
    let first = chat(&app, &user, body.clone()).await;
    let again = chat(&app, &user, body).await;
    assert_eq!(first["response"], again["response"]);
    assert_eq!(first["message_id"], "m-1");
    // The existing client re-sends without an id when a reply is slow: the same text within 45 s is that re-send.
    let a = chat(&app, &user, json!({"message": "I spent $7 on coffee"})).await;
    let b = chat(&app, &user, json!({"message": "I spent $7 on coffee"})).await;
    assert_eq!(a["message_id"], b["message_id"]);
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 2, "each message logged one expense: {list}");
    let res =
        app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &json!({"message": "x".repeat(2001)})).await;
    assert_error(res, 422, "validation_error").await;
    let res = app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &json!({"message": "   "})).await;
    assert_error(res, 422, "validation_error").await;
    // pam-simple is the same turn.
    let simple: Value = app
        .send_json(Method::POST, "/api/v1/pam-simple/chat", Some(&user.token), &json!({"message": "hello"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(simple["response"].as_str().unwrap().contains("PAM"));
}

async fn conversations_are_kept_and_listed(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane(&app, "pam3@example.com").await;
    let other = app.register("pam3b@example.com").await;
    let first = chat(&app, &user, json!({"message": "I spent $5 on parking"})).await;
    let second = chat(&app, &user, json!({"message": "what can you do?"})).await;
    assert_eq!(first["conversation_id"], second["conversation_id"], "a chat continues the latest conversation");
    let id = first["conversation_id"].as_str().unwrap();
    let convo: Value = app.get(&format!("/api/v1/pam/conversations/{id}"), &user.token).await.json().await.unwrap();
    let roles: Vec<&str> = convo["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant", "assistant", "user", "assistant"], "{convo}");
    assert_eq!(convo["messages"][1]["tool_calls"][0]["name"], "create_expense");
    let list: Value = app.get("/api/v1/pam/conversations", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let history: Value = app.get("/api/v1/pam/history", &user.token).await.json().await.unwrap();
    assert_eq!(history["id"], id);
    assert_error(app.get(&format!("/api/v1/pam/conversations/{id}"), &other.token).await, 404, "not_found").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/chat",
            Some(&other.token),
            &json!({"message": "hi", "conversation_id": id}),
        )
        .await;
    assert_error(res, 404, "not_found").await;
    let fb = app
        .send_json(
            Method::POST,
            "/api/v1/pam/feedback",
            Some(&user.token),
            &json!({"message_id": first["message_id"], "rating": 5}),
        )
        .await;
    assert_eq!(fb.status(), 201);
    let fb = app
        .send_json(Method::POST, "/api/v1/pam/feedback", Some(&user.token), &json!({"message_id": "x", "rating": 9}))
        .await;
    assert_error(fb, 422, "validation_error").await;
    let res = app.delete("/api/v1/pam/history", &user.token).await;
    assert_eq!(res.status(), 204);
    let list: Value = app.get("/api/v1/pam/conversations", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}

async fn tools_can_be_listed_and_run(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = brisbane(&app, "pam4@example.com").await;
    let list: Value = app.get("/api/v1/pam/tools/list", &user.token).await.json().await.unwrap();
    assert_eq!(list["success"], true);
    let names: Vec<&str> = list["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    for name in
        ["create_expense", "update_profile", "update_settings", "manage_privacy", "get_user_stats", "export_data"]
    {
        assert!(names.contains(&name), "{name}");
    }
    assert_eq!(list["total_tools"], names.len());
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/create_expense",
            Some(&user.token),
            &json!({"amount": 9.5, "category": "coffee"}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["category"], "dining");
    assert_eq!(body["ui_actions"][0]["type"], "reload_expenses");
    let recorded: i64 = pam_store::with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT count(*) FROM tool_executions WHERE user_id = $1 AND tool_name = 'create_expense' AND outcome = 'ok'")
            .bind(user.id)
            .fetch_one(pool)
            .await
    })
    .unwrap();
    assert_eq!(recorded, 1, "REST executions are recorded too");
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/create_expense",
            Some(&user.token),
            &json!({"amount": -1, "category": "fuel"}),
        )
        .await;
    assert_error(res, 422, "validation_error").await;
    let res =
        app.send_json(Method::POST, "/api/v1/pam/tools/execute/launch_rockets", Some(&user.token), &json!({})).await;
    assert_error(res, 404, "not_found").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/update_profile",
            Some(&user.token),
            &json!({"nickname": "Pammy"}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"]["nickname"], "Pammy");
    // An expense in another currency is refused; a profile's own currency is a setting, and changes.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/create_expense",
            Some(&user.token),
            &json!({"amount": 30, "category": "transport", "currency": "EUR"}),
        )
        .await;
    assert_error(res, 422, "validation_error").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/pam/tools/execute/update_profile",
            Some(&user.token),
            &json!({"currency": "EUR"}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"]["currency"], "EUR");
    let health: Value = app.get_anonymous("/api/v1/pam/health").await.json().await.unwrap();
    assert_eq!(health["service"], "PAM");
    assert_eq!(health["providers"][0]["model"], "pam-offline");
}

/// A Claude fake: first a tool call, then (once the tool result is in the request) a final text.
pub struct FakeClaude;

impl Respond for FakeClaude {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let last = body["messages"].as_array().unwrap().last().unwrap().clone();
        let message = if last["content"][0]["type"] == "tool_result" {
            json!({"id": "m2", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "Logged $42.50 of diesel for you."}],
                   "stop_reason": "end_turn", "usage": {"input_tokens": 50, "output_tokens": 10}})
        } else {
            json!({"id": "m1", "type": "message", "role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "create_expense",
                   "input": {"amount": 42.5, "category": "diesel"}}], "stop_reason": "tool_use", "usage": {"input_tokens": 40, "output_tokens": 12}})
        };
        if body["stream"] == true {
            let mut sse = String::new();
            let mut start = message.clone();
            start["content"] = json!([]);
            sse += &format!("event: message_start\ndata: {}\n\n", json!({"type": "message_start", "message": start}));
            for (i, block) in message["content"].as_array().unwrap().iter().enumerate() {
                let mut empty = block.clone();
                if empty["type"] == "text" {
                    empty["text"] = json!("");
                } else {
                    empty["input"] = json!({});
                }
                sse += &format!(
                    "event: content_block_start\ndata: {}\n\n",
                    json!({"type": "content_block_start", "index": i, "content_block": empty})
                );
                let delta = if block["type"] == "text" {
                    json!({"type": "text_delta", "text": block["text"]})
                } else {
                    json!({"type": "input_json_delta", "partial_json": block["input"].to_string()})
                };
                sse += &format!(
                    "event: content_block_delta\ndata: {}\n\n",
                    json!({"type": "content_block_delta", "index": i, "delta": delta})
                );
                sse += &format!(
                    "event: content_block_stop\ndata: {}\n\n",
                    json!({"type": "content_block_stop", "index": i})
                );
            }
            sse += &format!(
                "event: message_delta\ndata: {}\n\n",
                json!({"type": "message_delta", "delta": {"stop_reason": message["stop_reason"]}, "usage": {"output_tokens": 10}})
            );
            sse += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(sse)
        } else {
            ResponseTemplate::new(200).set_body_json(message)
        }
    }
}

async fn a_fake_claude_runs_tools_and_falls_back_to_gemini(backend: Backend) {
    let claude = MockServer::start().await;
    Mock::given(method("POST")).respond_with(FakeClaude).mount(&claude).await;
    let google = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).insert_header("content-type", "text/event-stream")
        .set_body_string(format!("data: {}\n\n", json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Gemini here."}]}, "finishReason": "STOP"}]}))))
        .mount(&google).await;
    let (claude_url, google_url) = (claude.uri(), google.uri());
    let app = spawn_app_with(
        backend,
        &[
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", &claude_url),
            ("GEMINI_API_KEY", "g"),
            ("GEMINI_BASE_URL", &google_url),
        ],
    )
    .await;
    let user = brisbane(&app, "pam5@example.com").await;
    let reply = chat(&app, &user, json!({"message": "I spent $42.50 on diesel"})).await;
    assert_eq!(reply["response"], "Logged $42.50 of diesel for you.");
    assert_eq!(reply["source"], "claude");
    let sent: Vec<Value> =
        claude.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(sent.len(), 2);
    let result = &sent[1]["messages"].as_array().unwrap().last().unwrap()["content"][0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["tool_use_id"], "toolu_1");
    assert!(sent[0]["tools"].as_array().unwrap().iter().any(|t| t["name"] == "create_expense"));
    let list: Value = app.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 1, "the tool ran once");
    assert_eq!(list["expenses"][0]["category"], "fuel");

    // Claude overloaded: Gemini answers.
    claude.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(529).set_body_json(
                json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
            ),
        )
        .mount(&claude)
        .await;
    let reply = chat(&app, &user, json!({"message": "hello there"})).await;
    assert_eq!(reply["response"], "Gemini here.");
    assert_eq!(reply["source"], "gemini");
}
