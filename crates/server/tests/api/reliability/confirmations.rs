//! Confirmation leases: a proposal claimed by a worker that died is taken over after its bound, and a
//! confirmed action that fails is put back for another try.

use crate::helpers::{Backend, TestApp, TestUser, assert_error, propose_deleting_an_expense, spawn_app};
use pam_store::with_db;
use pam_testkit::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    a_confirmation_whose_worker_died_is_taken_over_after_its_lease,
    a_confirmed_action_that_fails_is_put_back_for_another_try,
);

/// A proposal's status and claim time.
async fn confirmation(app: &TestApp, user: &TestUser) -> (String, Option<chrono::DateTime<chrono::Utc>>) {
    with_db!(app.db(), |pool| {
        sqlx::query_as("SELECT status, claimed_at FROM pam_confirmations WHERE user_id = $1")
            .bind(user.id)
            .fetch_one(pool)
            .await
    })
    .unwrap()
}

async fn a_confirmation_whose_worker_died_is_taken_over_after_its_lease(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("confirm-lease@example.com").await;
    let (e, path) = propose_deleting_an_expense(&app, &user).await;
    // A confirm claimed the proposal and its worker died before running the action (the process was
    // killed): the row says "running", claimed at `at`.
    let claimed = async |at: chrono::DateTime<chrono::Utc>| {
        with_db!(app.db(), |pool| {
            sqlx::query("UPDATE pam_confirmations SET status = 'running', claimed_at = $2 WHERE user_id = $1")
                .bind(user.id)
                .bind(at)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
        .unwrap()
    };
    assert_eq!(claimed(chrono::Utc::now()).await, 1);
    // Within its lease the run may still be going somewhere: a second confirm does not run it too.
    let busy = app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await;
    assert!(busy.headers().contains_key("retry-after"));
    let err = assert_error(busy, 429, "rate_limited").await;
    assert!(err["detail"].as_str().unwrap().contains("already being carried out"), "{err}");
    assert_eq!(app.rows("expenses", user.id).await, 1);
    // Past the lease the confirm takes it over: the action runs once and the proposal is done.
    assert_eq!(claimed(chrono::Utc::now() - chrono::Duration::minutes(2)).await, 1);
    let res = app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await;
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["data"]["deleted"], e["id"]);
    assert_eq!(app.rows("expenses", user.id).await, 0);
    assert_eq!(app.rows("tool_executions", user.id).await, 1);
    assert_eq!(confirmation(&app, &user).await.0, "done");
    let again: Value = app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await.json().await.unwrap();
    assert_eq!(again["data"], done["data"], "a later confirm replays");
    assert_eq!(app.rows("tool_executions", user.id).await, 1, "the action ran once");
}

async fn a_confirmed_action_that_fails_is_put_back_for_another_try(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("confirm-fails@example.com").await;
    let (e, path) = propose_deleting_an_expense(&app, &user).await;
    // The run fails on the way (the store cannot look up the action's earlier runs).
    app.rename_table("tool_executions", "tool_executions_elsewhere").await;
    let failed = app.send(Method::POST, &path, Some(&user.token), |r| r.json(&json!({}))).await;
    assert!(failed.status().is_server_error(), "{}", failed.status());
    app.rename_table("tool_executions_elsewhere", "tool_executions").await;
    assert_eq!(confirmation(&app, &user).await, ("pending".to_string(), None), "put back, not left running");
    assert_eq!(app.rows("expenses", user.id).await, 1, "nothing was done");
    // The user confirms again at once (no lease to wait out) and it runs.
    let res = app.send_json(Method::POST, &path, Some(&user.token), &json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["data"]["deleted"], e["id"]);
    assert_eq!(app.rows("expenses", user.id).await, 0);
    assert_eq!(app.rows("tool_executions", user.id).await, 1);
}
