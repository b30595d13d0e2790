//! Many instances on one database and one Redis (SPEC §7 "Many instances"): two apps share a rate
//! limit, a write on one is read fresh on the other, an admin role revoked on one is refused on the
//! other (or by both, when the admin command changed it), a push raised on one reaches a socket held by
//! the other once, a timer goes off once on every socket of its user, and a conversation (with a
//! pending confirmation) started on one continues on the other. And with a Redis that does not answer,
//! every request is still served, in-process, and the fallback is counted.
//!
//! `outage` covers Redis going away: never a 5xx, limits in-process, sharing back by itself.
//!
//! The Redis tests need `PAM_TEST_REDIS_URL` (skipped locally without it, failed in CI); each pair of
//! instances gets its own key prefix, as two deployments sharing one Redis would.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::fakes::{ScriptedClaude, after_tools, text, tool_use};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app_with};
use crate::pushes::{alert_frame, next, open};
use pam_testkit::{on_both_databases, redis_for, redis_prefix};

mod outage;
mod posts;

/// Two instances of the app on one database and one Redis (with one key prefix).
async fn two_instances(backend: Backend, redis_url: &str, extra: &[(&str, &str)]) -> (TestApp, TestApp) {
    let prefix = redis_prefix();
    // A generous deadline: these tests are about sharing, and a loaded test machine must not turn a slow
    // answer into an in-process fallback.
    let mut vars = vec![("REDIS_URL", redis_url), ("REDIS_KEY_PREFIX", prefix.as_str()), ("REDIS_TIMEOUT_MS", "1000")];
    vars.extend_from_slice(extra);
    let a = spawn_app_with(backend.clone(), &vars).await;
    let database_url = a.state.config.database_url.expose().to_string();
    let mut same_database = vars.clone();
    same_database.push(("DATABASE_URL", database_url.as_str()));
    let b = spawn_app_with(backend, &same_database).await;
    for app in [&a, &b] {
        let redis = app.state.redis.as_ref().expect("REDIS_URL is set");
        let listening = within(Duration::from_secs(5), || async move { redis.is_listening() }).await;
        assert!(listening.is_some(), "subscribed to the other instance's invalidations and pushes");
    }
    (a, b)
}

/// Polls `probe` until it answers true or `within` has passed; returns how long it took, if it did.
async fn within<F, Fut>(limit: Duration, mut probe: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < limit {
        if probe().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

on_both_databases!(
    a_rate_limit_counts_requests_made_to_both_instances,
    a_profile_written_on_one_instance_is_read_fresh_on_the_other,
    an_admin_role_revoked_on_one_instance_is_refused_on_the_other_within_a_second,
    a_push_raised_on_one_instance_reaches_each_socket_on_either_instance_once,
    a_conversation_started_on_one_instance_continues_on_the_other,
    a_timer_goes_off_once_on_every_socket_of_its_user_across_instances,
    the_admin_command_is_honoured_by_running_instances_within_a_second
);

async fn a_rate_limit_counts_requests_made_to_both_instances(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::a_rate_limit_counts_requests_made_to_both_instances") else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[("RATE_LIMIT_DEFAULT_PER_MINUTE", "4")]).await;
    let user = a.register("shared-limit@example.com").await;
    for (i, app) in [&a, &b, &a, &b].into_iter().enumerate() {
        let res = app.get("/api/v1/expenses", &user.token).await;
        assert_eq!(res.status(), 200, "request {i}");
        assert_eq!(res.headers()["x-ratelimit-limit"], "4");
        assert_eq!(res.headers()["x-ratelimit-remaining"], (3 - i).to_string().as_str(), "request {i}");
    }
    for app in [&b, &a] {
        let res = app.get("/api/v1/expenses", &user.token).await;
        assert_eq!(res.status(), 429, "the fifth request, on either instance");
        assert!(res.headers().contains_key("retry-after"));
        assert_eq!(res.headers()["x-ratelimit-remaining"], "0");
    }
    for app in [&a, &b] {
        let ready: Value = app.get_anonymous("/health/ready").await.json().await.unwrap();
        let cache = ready["dependencies"].as_array().unwrap().iter().find(|d| d["name"] == "cache").unwrap().clone();
        assert_eq!((cache["kind"].as_str(), cache["status"].as_str()), (Some("redis"), Some("ok")), "{cache}");
        assert!(cache["latency_ms"].as_f64().is_some(), "the ping's latency: {cache}");
        assert_eq!(app.state.redis.as_ref().unwrap().fallbacks(), 0, "nothing was served in-process");
    }
}

async fn a_profile_written_on_one_instance_is_read_fresh_on_the_other(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::a_profile_written_on_one_instance_is_read_fresh") else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[]).await;
    let user = a.register("fresh@example.com").await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    let before: Value = b.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(before["full_name"], Value::Null, "now cached on B: {before}");

    let res = a.send_json(Method::PATCH, &path, Some(&user.token), &json!({"full_name": "Fay Nomad"})).await;
    assert_eq!(res.status(), 200);
    let (b, path, token) = (&b, &path, &user.token);
    let fresh = within(Duration::from_secs(1), || async move {
        let seen: Value = b.get(path, token).await.json().await.unwrap();
        seen["full_name"] == "Fay Nomad"
    })
    .await;
    assert!(fresh.is_some(), "B reads the write within a second, not after its 30 s cache lifetime");
}

async fn an_admin_role_revoked_on_one_instance_is_refused_on_the_other_within_a_second(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::an_admin_role_revoked_on_one_instance_is_refused") else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[]).await;
    let boss = a.register("boss@example.com").await;
    a.make_admin(boss.id).await;
    let deputy = a.register("deputy@example.com").await;
    let deputy_path = format!("/api/v1/admin/users/{}", deputy.id);
    let promote = a.send_json(Method::PATCH, &deputy_path, Some(&boss.token), &json!({"role": "admin"})).await;
    assert_eq!(promote.status(), 200);
    let (b, token) = (&b, deputy.token.as_str());
    let status_on_b = || async move { b.get("/api/v1/admin/models", token).await.status().as_u16() };
    let opened = within(Duration::from_secs(1), || async move { status_on_b().await == 200 }).await;
    assert!(opened.is_some(), "B sees the promotion (and now caches the deputy as an admin)");

    let revoke = a.send_json(Method::PATCH, &deputy_path, Some(&boss.token), &json!({"role": "user"})).await;
    assert_eq!(revoke.status(), 200);
    let refused = within(Duration::from_secs(1), || async move { status_on_b().await == 403 }).await;
    assert!(refused.is_some(), "B refuses the former admin within a second");
}

async fn a_push_raised_on_one_instance_reaches_each_socket_on_either_instance_once(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::a_push_raised_on_one_instance_reaches_each_socket") else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[]).await;
    let user = a.register("sockets@example.com").await;
    let mut on_b = open(&b, &user).await;
    let frame = alert_frame("fuel is cheap here");
    a.state.pushes.publish(user.id, frame.clone());
    assert_eq!(next(&mut on_b, 5).await, Some(frame), "raised on A, held on B");
    assert_eq!(next(&mut on_b, 1).await, None, "once");

    let mut on_a = open(&a, &user).await;
    let both = alert_frame("rain tonight");
    b.state.pushes.publish(user.id, both.clone());
    for (name, ws) in [("A", &mut on_a), ("B", &mut on_b)] {
        assert_eq!(next(ws, 5).await, Some(both.clone()), "the socket on {name}");
        assert_eq!(next(ws, 1).await, None, "once on {name}");
    }
}

/// A Claude that remembers only what the transcript it is sent holds: it proposes deleting an expense
/// when asked, and otherwise tells the user's dog's name if the transcript mentions it.
fn remembering_claude(expense_id: String) -> ScriptedClaude<impl Fn(&Value) -> (Value, &'static str) + Send + Sync> {
    ScriptedClaude::new(move |body: &Value| {
        let transcript = body["messages"].to_string();
        let last = body["messages"].as_array().and_then(|m| m.last()).map(|m| m.to_string()).unwrap_or_default();
        if after_tools(body) {
            text("Shall I delete that expense?")
        } else if last.contains("delete") {
            tool_use("toolu_del", "delete_expense", json!({"expense_id": expense_id}))
        } else if transcript.contains("Biscuit") && last.contains("name") {
            text("Your dog is called Biscuit.")
        } else {
            text("Noted.")
        }
    })
}

async fn chat(app: &TestApp, user: &TestUser, message: &str) -> Value {
    let res = app.send_json(Method::POST, "/api/v1/pam/chat", Some(&user.token), &json!({"message": message})).await;
    assert_eq!(res.status(), 200, "{message}");
    res.json().await.unwrap()
}

async fn a_conversation_started_on_one_instance_continues_on_the_other(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::a_conversation_started_on_one_instance_continues") else {
        return;
    };
    let claude = wiremock::MockServer::start().await;
    let url = claude.uri();
    let llm = [("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", url.as_str()), ("PAM_FALLBACK_MODELS", "")];
    let (a, b) = two_instances(backend, &redis, &llm).await;
    let user = a.register("roaming@example.com").await;
    let fuel = json!({"amount": 9, "category": "fuel"});
    let expense: Value =
        a.send_json(Method::POST, "/api/v1/expenses", Some(&user.token), &fuel).await.json().await.unwrap();
    let id = expense["id"].as_str().unwrap().to_string();
    wiremock::Mock::given(wiremock::matchers::method("POST")).respond_with(remembering_claude(id)).mount(&claude).await;

    let first = chat(&a, &user, "My dog is called Biscuit").await;
    let second = chat(&b, &user, "What's my dog's name?").await;
    assert_eq!(second["response"], "Your dog is called Biscuit.", "B continued A's transcript: {second}");
    assert_eq!(second["conversation_id"], first["conversation_id"], "one conversation across instances");

    // A confirmation asked on one instance is answered on the other.
    let asked = chat(&b, &user, "delete that fuel expense").await;
    assert_eq!(asked["tool_calls"][0]["status"], "confirmation_required", "{asked}");
    let yes = chat(&a, &user, "yes").await;
    assert!(yes["response"].as_str().unwrap().starts_with("Done"), "{yes}");
    let list: Value = b.get("/api/v1/expenses", &user.token).await.json().await.unwrap();
    assert_eq!(list["total"], 0, "deleted once, on A, seen on B");
    let path = format!("/api/v1/pam/conversations/{}", first["conversation_id"].as_str().unwrap());
    let on_a: Value = a.get(&path, &user.token).await.json().await.unwrap();
    let on_b: Value = b.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(on_a["messages"], on_b["messages"], "the same transcript from either instance");
    assert!(on_a["messages"].as_array().unwrap().len() >= 8, "every turn kept: {on_a}");
}

async fn a_timer_goes_off_once_on_every_socket_of_its_user_across_instances(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::a_timer_goes_off_once_on_every_socket") else {
        return;
    };
    // Both instances run the jobs and look for due pushes, as every instance of a deployment does.
    let fast = [("PUSH_POLL_MS", "50"), ("JOBS_RETRY_BASE_MS", "20")];
    let (a, b) = two_instances(backend, &redis, &fast).await;
    let user = a.register("kettle@example.com").await;
    let mut on_a = open(&a, &user).await;
    let mut on_b = open(&b, &user).await;
    let body = json!({"duration_seconds": 1, "label": "kettle"});
    let res = b.send_json(Method::POST, "/api/v1/timers", Some(&user.token), &body).await;
    assert_eq!(res.status(), 201);
    for (name, ws) in [("A", &mut on_a), ("B", &mut on_b)] {
        let fired = next(ws, 6).await.unwrap_or_else(|| panic!("the timer on the socket on {name}"));
        assert_eq!((fired["type"].as_str(), fired["label"].as_str()), (Some("timer_expired"), Some("kettle")));
    }
    for (name, ws) in [("A", &mut on_a), ("B", &mut on_b)] {
        assert_eq!(next(ws, 2).await, None, "once on {name}");
    }
    let timers: Value = a.get("/api/v1/timers", &user.token).await.json().await.unwrap();
    assert_eq!(timers["timers"][0]["status"], "fired", "{timers}");
}

async fn the_admin_command_is_honoured_by_running_instances_within_a_second(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::the_admin_command_is_honoured_by_running_instances") else {
        return;
    };
    let (a, b) = two_instances(backend, &redis, &[]).await;
    let user = a.register("promoted@example.com").await;
    for app in [&a, &b] {
        assert_eq!(app.get("/api/v1/admin/models", &user.token).await.status(), 403, "now cached as a user");
    }
    let config = &a.state.config;
    let dir = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_pam-backend"))
        .args(["admin", "grant", "promoted@example.com"])
        .current_dir(dir.path())
        .env_clear()
        .envs([
            ("DATA_DIR", dir.path().display().to_string()),
            ("DATABASE_URL", config.database_url.expose().to_string()),
            ("SECRET_KEY", crate::helpers::TEST_SECRET.to_string()),
            ("REDIS_URL", redis.clone()),
            ("REDIS_KEY_PREFIX", config.redis_key_prefix.clone()),
            ("RUST_LOG", "warn".to_string()),
        ])
        .output()
        .await
        .expect("run pam-backend admin grant");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("granted admin role"));
    for app in [&a, &b] {
        let token = user.token.as_str();
        let honoured =
            within(
                Duration::from_secs(1),
                || async move { app.get("/api/v1/admin/models", token).await.status() == 200 },
            )
            .await;
        assert!(honoured.is_some(), "a running instance honours the new role within a second, not after 30 s");
    }
}
