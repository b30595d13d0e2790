//! Never stuck, never twice: work that stops halfway (a dead worker, a client that disconnects, a turn
//! released without a reply) is finished or taken over, and copies arriving together act once.

use std::time::Duration;

use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use crate::fakes::{ScriptedClaude, after_tools, fuel_logger, text, tool_use};
use crate::helpers::{
    Backend, TestApp, TestUser, assert_error, propose_deleting_an_expense, spawn_app, spawn_app_with_claude,
};
use pam_testkit::on_both_databases;

mod confirmations;

on_both_databases!(
    a_turn_dropped_by_its_worker_is_released_and_a_resend_runs_it,
    a_turn_whose_worker_died_is_taken_over_after_its_lease,
    a_client_that_disconnects_does_not_cut_the_turn_short,
    an_idempotent_request_abandoned_by_its_client_still_stores_its_response,
    two_copies_of_a_first_message_make_one_conversation_and_one_expense,
    a_turn_run_again_replays_its_tools_instead_of_acting_twice,
    one_turn_at_a_time_per_user_and_a_busy_answer_is_not_stored,
);

async fn chat(app: &TestApp, user: &TestUser, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &body).await
}

/// A Claude that logs $42.50 of fuel, then says so; `delay` holds each answer back.
async fn logging_claude(delay: Duration) -> MockServer {
    let claude = MockServer::start().await;
    let script = fuel_logger().slow(delay);
    Mock::given(method("POST")).respond_with(script).mount(&claude).await;
    claude
}

async fn turn_status(app: &TestApp, message_id: &str) -> String {
    with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT status FROM pam_turns WHERE message_id = $1").bind(message_id).fetch_one(pool).await
    })
    .unwrap()
}

async fn a_turn_dropped_by_its_worker_is_released_and_a_resend_runs_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("lease1@example.com").await;
    // A worker claims the turn, then dies without an answer (its task panicked): the guard releases it.
    let claim = pam_server::pam::claims::claim_turn(
        app.db(),
        user.id,
        Uuid::now_v7(),
        Some("m-dropped"),
        "I spent $9 on coffee",
        false,
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    drop(claim);
    let mut status = String::new();
    for _ in 0..50 {
        status = turn_status(&app, "m-dropped").await;
        if status == "released" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, "released", "a dropped claim is released, not left running");
    let started = std::time::Instant::now();
    let res = chat(&app, &user, json!({"message": "I spent $9 on coffee", "message_id": "m-dropped"})).await;
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5), "the re-send ran at once, not after a 40 s wait");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    assert_eq!(turn_status(&app, "m-dropped").await, "done");
}

async fn a_turn_whose_worker_died_is_taken_over_after_its_lease(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("lease2@example.com").await;
    let claim = pam_server::pam::claims::claim_turn(
        app.db(),
        user.id,
        Uuid::now_v7(),
        Some("m-dead"),
        "I spent $7 on bread",
        false,
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    // The process died: no guard ran. Its claim is as old as a lease.
    std::mem::forget(claim);
    let old = chrono::Utc::now() - chrono::Duration::minutes(2);
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE pam_turns SET claimed_at = $1 WHERE message_id = 'm-dead'")
            .bind(old)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    assert_eq!(turn_status(&app, "m-dead").await, "running");
    let res = chat(&app, &user, json!({"message": "I spent $7 on bread", "message_id": "m-dead"})).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["message_id"], "m-dead");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    // The stale claim blocked nothing else either: a new message runs too.
    assert_eq!(chat(&app, &user, json!({"message": "how much have I spent?"})).await.status(), 200);
}

async fn a_client_that_disconnects_does_not_cut_the_turn_short(backend: Backend) {
    let claude = logging_claude(Duration::from_millis(600)).await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("gone@example.com").await;
    let body = json!({"message": "put $42.50 of fuel down", "message_id": "m-gone"});
    let hasty = app
        .try_send(Method::POST, "/api/v1/pam/chat", Some(&user.token), |r| {
            r.json(&body).timeout(Duration::from_millis(200))
        })
        .await;
    assert!(hasty.is_err(), "the client gave up before the reply");
    // The turn finishes on its own; the re-send gets its stored reply and runs nothing again.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let res = chat(&app, &user, body).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["response"], "Logged $42.50 of fuel.");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    assert_eq!(claude.received_requests().await.unwrap().len(), 2, "one turn's two model calls, no more");
}

async fn an_idempotent_request_abandoned_by_its_client_still_stores_its_response(backend: Backend) {
    let claude = logging_claude(Duration::from_millis(600)).await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("idem-gone@example.com").await;
    let body = json!({"message": "fuel $42.50"});
    let send = async |timeout: Duration| {
        app.try_send(Method::POST, "/api/v1/pam/chat", Some(&user.token), |r| {
            r.header("idempotency-key", "abandoned-1").json(&body).timeout(timeout)
        })
        .await
    };
    assert!(send(Duration::from_millis(200)).await.is_err());
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let res = send(Duration::from_secs(10)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["idempotent-replayed"], "true", "the first request's response was stored");
    assert_eq!(app.rows("expenses", user.id).await, 1);
}

async fn two_copies_of_a_first_message_make_one_conversation_and_one_expense(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("twins@example.com").await;
    let body = json!({"message": "I spent $12 on a pie at Bakery Hill"});
    let replies = futures::future::join_all((0..4).map(|_| chat(&app, &user, body.clone()))).await;
    let mut ids = Vec::new();
    for res in replies {
        assert_eq!(res.status(), 200);
        let reply: Value = res.json().await.unwrap();
        ids.push((reply["message_id"].clone(), reply["conversation_id"].clone()));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every copy got the one turn's reply: {ids:?}");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    assert_eq!(app.rows("pam_conversations", user.id).await, 1);
}

async fn a_turn_run_again_replays_its_tools_instead_of_acting_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("replay@example.com").await;
    let body = json!({"message": "I spent $20 on diesel", "message_id": "m-replay"});
    assert_eq!(chat(&app, &user, body.clone()).await.status(), 200);
    // The reply was never stored (the worker died after the tools ran): the turn is run again.
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE pam_turns SET status = 'released', reply = NULL WHERE message_id = 'm-replay'")
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let res = chat(&app, &user, body).await;
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["ui_actions"][0]["type"], "reload_expenses", "the replayed result still reports the change");
    assert_eq!(app.rows("expenses", user.id).await, 1, "the tool's first result was replayed");
    assert_eq!(app.rows("tool_executions", user.id).await, 1);
}

async fn one_turn_at_a_time_per_user_and_a_busy_answer_is_not_stored(backend: Backend) {
    let claude = logging_claude(Duration::from_millis(1500)).await;
    let app = spawn_app_with_claude(backend, &claude, &[("PAM_TURN_WAIT_SECONDS", "1")]).await;
    let user = app.register("busy@example.com").await;
    let first = chat(&app, &user, json!({"message": "log $42.50 of fuel"}));
    let second = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.send(Method::POST, "/api/v1/pam/chat", Some(&user.token), |r| {
            r.header("idempotency-key", "busy-1").json(&json!({"message": "and what's my budget?"}))
        })
        .await
    };
    let (first, second) = futures::join!(first, second);
    assert_eq!(first.status(), 200);
    assert!(second.headers().contains_key("retry-after"));
    let body = assert_error(second, 429, "rate_limited").await;
    assert!(body["detail"].as_str().unwrap().contains("still answering"), "{body}");
    // The 429 was not stored for the key: once the first turn is done, the same request runs.
    let again = app
        .send(Method::POST, "/api/v1/pam/chat", Some(&user.token), |r| {
            r.header("idempotency-key", "busy-1").json(&json!({"message": "and what's my budget?"}))
        })
        .await;
    assert_eq!(again.status(), 200);
    assert!(!again.headers().contains_key("idempotent-replayed"));
}

on_both_databases!(
    a_worker_that_lost_its_lease_changes_nothing,
    a_confirmed_action_run_again_reuses_its_first_result,
    a_retried_turn_keeps_its_own_proposal,
);

async fn a_worker_that_lost_its_lease_changes_nothing(backend: Backend) {
    use pam_server::pam::claims::{Claim, claim_turn};
    let app = spawn_app(backend).await;
    let user = app.register("lost@example.com").await;
    let wait = Duration::from_secs(1);
    let Claim::Run { lease: slow, .. } =
        claim_turn(app.db(), user.id, Uuid::now_v7(), Some("m-lost"), "hi", false, wait).await.unwrap()
    else {
        panic!("the first claim runs")
    };
    // The slow worker's lease runs out and another request takes the turn over.
    let old = chrono::Utc::now() - chrono::Duration::minutes(2);
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE pam_turns SET claimed_at = $1 WHERE message_id = 'm-lost'")
            .bind(old)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let Claim::Run { lease: fresh, .. } =
        claim_turn(app.db(), user.id, Uuid::now_v7(), Some("m-lost"), "hi", false, wait).await.unwrap()
    else {
        panic!("the stale claim is taken over")
    };
    assert_eq!(fresh.turn_id, slow.turn_id, "the same turn, so its tools replay");
    // The slow worker comes back: neither its reply nor its release touches the new claim.
    assert!(!slow.finish(&json!({"response": "stale"})).await.unwrap(), "its lease was lost");
    assert_eq!(turn_status(&app, "m-lost").await, "running");
    assert!(fresh.finish(&json!({"response": "fresh"})).await.unwrap());
    let reply: Value = with_db!(app.db(), |pool| {
        sqlx::query_scalar::<_, sqlx::types::Json<Value>>("SELECT reply FROM pam_turns WHERE message_id = 'm-lost'")
            .fetch_one(pool)
            .await
            .map(|j| j.0)
    })
    .unwrap();
    assert_eq!(reply["response"], "fresh");
}

async fn a_confirmed_action_run_again_reuses_its_first_result(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("twice@example.com").await;
    let (e, path) = propose_deleting_an_expense(&app, &user).await;
    assert_eq!(app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await.status(), 200);
    // As if the run had died after the tool ran but before the proposal recorded its outcome.
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE pam_confirmations SET status = 'pending', result = NULL, claimed_at = NULL")
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let again = app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await;
    assert_eq!(again.status(), 200, "the first run's result, not 'expense not found'");
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["data"]["deleted"], e["id"]);
    assert_eq!(app.rows("tool_executions", user.id).await, 1, "the tool ran once");
}

async fn a_retried_turn_keeps_its_own_proposal(backend: Backend) {
    let claude = MockServer::start().await;
    let expense_id: std::sync::Arc<std::sync::OnceLock<String>> = std::sync::Arc::default();
    let id = expense_id.clone();
    let script = ScriptedClaude::new(move |body: &Value| {
        if after_tools(body) {
            text("Shall I delete it?")
        } else {
            tool_use("toolu_d", "delete_expense", json!({"expense_id": id.get().cloned().unwrap_or_default()}))
        }
    });
    Mock::given(method("POST")).respond_with(script).mount(&claude).await;
    let app = spawn_app_with_claude(backend, &claude, &[]).await;
    let user = app.register("ownprop@example.com").await;
    let e = crate::helpers::tea_expense(&app, &user).await;
    let _ = expense_id.set(e["id"].as_str().unwrap().to_string());
    let body = json!({"message": "delete the tea", "message_id": "m-prop"});
    let first: Value = chat(&app, &user, body.clone()).await.json().await.unwrap();
    let conversation = first["conversation_id"].clone();
    // The reply was lost; the re-send runs the turn again. Its own proposal must survive it.
    with_db!(app.db(), |pool| {
        sqlx::query("UPDATE pam_turns SET status = 'released', reply = NULL WHERE message_id = 'm-prop'")
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })
    .unwrap();
    let again: Value = chat(&app, &user, body).await.json().await.unwrap();
    assert_eq!(again["tool_calls"][0]["confirmation_id"], first["tool_calls"][0]["confirmation_id"]);
    let yes: Value =
        chat(&app, &user, json!({"message": "yes", "conversation_id": conversation})).await.json().await.unwrap();
    assert_eq!(yes["source"], "pam", "the yes answered the proposal: {yes}");
    assert_eq!(app.rows("expenses", user.id).await, 0, "deleted once confirmed");
}

#[tokio::test]
async fn shutdown_lets_a_turn_in_flight_finish_and_store_its_reply() {
    crate::helpers::init_test_process();
    let claude = logging_claude(Duration::from_millis(700)).await;
    let dir = tempfile::tempdir().unwrap();
    let vars = std::collections::HashMap::from([
        ("DATA_DIR".to_string(), dir.path().display().to_string()),
        ("SECRET_KEY".to_string(), crate::helpers::TEST_SECRET.to_string()),
        ("ANTHROPIC_API_KEY".to_string(), "k".to_string()),
        ("ANTHROPIC_BASE_URL".to_string(), claude.uri()),
        ("PAM_FALLBACK_MODELS".to_string(), String::new()),
    ]);
    let state = pam_server::app::build_state(pam_server::config::Config::from_vars(vars).unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(pam_server::app::serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    let app = TestApp { address, client: reqwest::Client::new(), state, _data_dir: dir };
    let user = app.register("sigterm@example.com").await;
    let body = json!({"message": "fuel $42.50", "message_id": "m-sigterm"});
    let (reply, ()) = futures::join!(chat(&app, &user, body), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.send(()).unwrap();
    });
    assert_eq!(reply.status(), 200, "the request in flight was answered");
    tokio::time::timeout(Duration::from_secs(30), served).await.expect("server stopped").unwrap().unwrap();
    assert_eq!(turn_status(&app, "m-sigterm").await, "done", "its reply is stored for a re-send");
    assert_eq!(app.rows("expenses", user.id).await, 1);
}
