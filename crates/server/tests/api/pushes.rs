//! Pushes and background jobs: alerts reach the user's sockets once, after any reply in flight, on the
//! next connect when no socket was open, from whichever instance holds the socket; a job that keeps
//! failing is parked and listed for admins; nothing scheduled is lost to a restart.

use std::time::Duration;

use chrono::Utc;
use pam_platform::jobs::NewJob;
use pam_platform::outbox::{self, NewPush};
use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};

pub use crate::asyncapi::Ws;
use crate::asyncapi::{self, send};
use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app_with};
use pam_testkit::on_both_databases;

/// Fast polling and retries, so tests see pushes and parking within a second or two.
const FAST: &[(&str, &str)] = &[("PUSH_POLL_MS", "50"), ("JOBS_RETRY_BASE_MS", "20")];

pub async fn open(app: &TestApp, user: &TestUser) -> Ws {
    let mut ws = asyncapi::connect(&app.address, &user.id.to_string(), &user.token).await;
    assert_eq!(next(&mut ws, 5).await.expect("hello")["type"], "connection");
    ws
}

/// The next frame within `secs`, if any (held to the AsyncAPI document; a close ends the wait).
pub async fn next(ws: &mut Ws, secs: u64) -> Option<Value> {
    asyncapi::next_frame(ws, secs).await.filter(|frame| frame.get("closed").is_none())
}

/// A `proactive_alert` push whose message is `label` (tests tell pushes apart by it).
pub fn alert_push(label: &str) -> pam_platform::push_frames::PushFrame {
    use pam_platform::push_frames::{AlertContent, AlertContentKind, AlertPriority, ProactiveAlert, PushFrame};
    PushFrame::ProactiveAlert(ProactiveAlert {
        id: uuid::Uuid::now_v7(),
        timestamp: Utc::now(),
        content: AlertContent {
            kind: AlertContentKind::ProactiveSuggestion,
            category: "test".into(),
            message: label.into(),
            priority: AlertPriority::Low,
            actions: Vec::new(),
            alert_type: "test".into(),
        },
    })
}

/// The same as the JSON the push bus carries.
pub fn alert_frame(label: &str) -> Value {
    alert_push(label).to_value()
}

/// The label of an alert made by [`alert_frame`].
pub fn label(frame: &Value) -> &str {
    frame["content"]["message"].as_str().unwrap_or_default()
}

fn alert(user: &TestUser, key: &str, due_in: chrono::Duration) -> NewPush {
    NewPush {
        user_id: user.id,
        kind: "alert",
        frame: alert_push(key),
        due_at: Utc::now() + due_in,
        valid_for: chrono::Duration::hours(1),
        dedupe_key: key.to_string(),
    }
}

on_both_databases!(
    a_budget_alert_arrives_after_the_reply_that_caused_it,
    a_push_waits_for_the_next_connect,
    a_job_that_keeps_failing_is_parked_and_listed_for_admins
);

async fn a_budget_alert_arrives_after_the_reply_that_caused_it(backend: Backend) {
    let app = spawn_app_with(backend, FAST).await;
    let user = app.register("alert1@example.com").await;
    let budget = json!({"category": "fuel", "monthly_limit": 50});
    assert_eq!(app.send_json(Method::POST, "/api/v1/budgets", Some(&user.token), &budget).await.status(), 201);
    let mut ws = open(&app, &user).await;
    send(&mut ws, &json!({"type": "chat", "message": "I spent $60 on diesel"})).await.unwrap();
    let first = next(&mut ws, 20).await.expect("a reply");
    assert_eq!(first["type"], "chat_response", "the reply comes before any push: {first}");
    let pushed = next(&mut ws, 5).await.expect("the alert");
    assert_eq!(pushed["type"], "proactive_alert");
    assert_eq!(pushed["content"]["alert_type"], "budget_exceeded");
    assert_eq!(pushed["content"]["type"], "proactive_suggestion");
    assert!(pushed["content"]["message"].as_str().unwrap().contains("fuel"), "{pushed}");
    assert!(next(&mut ws, 1).await.is_none(), "said once");
}

async fn a_push_waits_for_the_next_connect(backend: Backend) {
    let app = spawn_app_with(backend, FAST).await;
    let user = app.register("alert2@example.com").await;
    assert!(outbox::schedule(app.db(), alert(&user, "later-1", chrono::Duration::zero())).await.unwrap());
    assert!(!outbox::schedule(app.db(), alert(&user, "later-1", chrono::Duration::zero())).await.unwrap(), "once");
    // Too late to be worth saying: more than its validity in the past.
    let mut stale = alert(&user, "stale-1", chrono::Duration::hours(-2));
    stale.valid_for = chrono::Duration::hours(1);
    outbox::schedule(app.db(), stale).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ws = open(&app, &user).await;
    let got = next(&mut ws, 5).await.expect("the waiting push");
    assert_eq!(label(&got), "later-1");
    assert!(next(&mut ws, 1).await.is_none(), "the stale one is not sent");
    assert_eq!(outbox::state(app.db(), "later-1").await.unwrap().unwrap().status, "delivered");
}

async fn a_job_that_keeps_failing_is_parked_and_listed_for_admins(backend: Backend) {
    parks_and_lists(spawn_app_with(backend, FAST).await).await;
}

/// The same with the queue in Redis (`JOBS_QUEUE=redis`): the runner and the admin list use it.
#[tokio::test]
async fn a_job_in_the_redis_queue_that_keeps_failing_is_parked_and_listed_for_admins() {
    let Some(redis) = pam_testkit::redis_for("api::pushes::a_job_in_the_redis_queue_that_keeps_failing") else {
        return;
    };
    let prefix = pam_testkit::redis_prefix();
    let mut vars = vec![("JOBS_QUEUE", "redis"), ("REDIS_URL", redis.as_str()), ("REDIS_KEY_PREFIX", prefix.as_str())];
    vars.extend_from_slice(FAST);
    let app = spawn_app_with(Backend::Sqlite, &vars).await;
    parks_and_lists(app).await;
}

async fn parks_and_lists(app: TestApp) {
    let admin = app.register("jobs-admin@example.com").await;
    app.make_admin(admin.id).await;
    let user = app.register("jobs-user@example.com").await;
    // A kind no handler knows: every run fails.
    let id = app
        .state
        .jobs
        .enqueue(NewJob::new("test.always_fails", json!({}), Utc::now()).attempts(3))
        .await
        .unwrap()
        .unwrap();
    // Three tries 20 and 40 ms apart take about a second (the runner polls every 500 ms); a busy machine
    // running many test apps at once can take several times that.
    let mut parked = Value::Null;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        parked = app.get("/api/v1/admin/jobs?status=parked", &admin.token).await.json().await.unwrap();
        // The page and the total are two reads: a job parked between them is counted but not yet listed.
        if parked["total"] == 1 && parked["jobs"].as_array().is_some_and(|jobs| jobs.len() == 1) {
            break;
        }
    }
    let mut everything = Vec::new();
    for status in ["queued", "running", "done"] {
        let path = format!("/api/v1/admin/jobs?status={status}");
        everything.push(app.get(&path, &admin.token).await.json::<Value>().await.unwrap());
    }
    assert_eq!(parked["jobs"][0]["id"], id.to_string(), "parked: {parked}; the other jobs: {everything:?}");
    assert_eq!(parked["total"], 1, "only the failing job is parked: {parked}");
    assert_eq!(parked["jobs"][0]["attempts"], 3);
    assert!(parked["jobs"][0]["last_error"].as_str().unwrap().contains("no handler"));
    assert_error(app.get("/api/v1/admin/jobs", &user.token).await, 403, "forbidden").await;
    assert_error(app.get("/api/v1/admin/jobs?status=lost", &admin.token).await, 422, "validation_error").await;
    let in_db: i64 = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'test.always_fails'").fetch_one(pool).await
    })
    .unwrap();
    let queue_in_redis = app.state.config.jobs_queue == pam_server::config::JobQueueKind::Redis;
    assert_eq!(in_db, if queue_in_redis { 0 } else { 1 }, "the job is in the configured queue only");
}

#[tokio::test]
async fn two_instances_deliver_a_push_once_and_a_restart_loses_nothing() {
    let Some(pg) = Backend::postgres_for("two_instances_deliver_a_push_once_and_a_restart_loses_nothing") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = pg.fresh_url(dir.path()).await;
    let a = spawn_app_with(pg.clone(), &[("DATABASE_URL", &url), ("PUSH_POLL_MS", "50")]).await;
    let b = spawn_app_with(pg.clone(), &[("DATABASE_URL", &url), ("PUSH_POLL_MS", "50")]).await;
    let user = a.register("twice@example.com").await;
    let mut on_a = open(&a, &user).await;
    let mut on_b = open(&b, &user).await;
    for k in 0..5 {
        outbox::schedule(a.db(), alert(&user, &format!("both-{k}"), chrono::Duration::zero())).await.unwrap();
    }
    let mut seen = Vec::new();
    for ws in [&mut on_a, &mut on_b] {
        while let Some(f) = next(ws, 2).await {
            seen.push(label(&f).to_string());
        }
    }
    seen.sort();
    assert_eq!(seen, ["both-0", "both-1", "both-2", "both-3", "both-4"], "each push once across the instances");

    // Scheduled with nobody connected, then a third instance (a restart) delivers it.
    drop((on_a, on_b));
    tokio::time::sleep(Duration::from_millis(200)).await;
    outbox::schedule(a.db(), alert(&user, "after-restart", chrono::Duration::milliseconds(500))).await.unwrap();
    let c = spawn_app_with(pg, &[("DATABASE_URL", &url), ("PUSH_POLL_MS", "50")]).await;
    let mut on_c = open(&c, &user).await;
    assert_eq!(label(&next(&mut on_c, 5).await.expect("delivered after the restart")), "after-restart");
}

on_both_databases!(
    a_timer_set_over_chat_goes_off_after_the_reply,
    a_dismissed_timer_never_goes_off,
    a_timer_due_during_a_turn_waits_for_its_reply
);

async fn a_timer_set_over_chat_goes_off_after_the_reply(backend: Backend) {
    let app = spawn_app_with(backend, FAST).await;
    let user = app.register("timer1@example.com").await;
    let mut ws = open(&app, &user).await;
    send(&mut ws, &json!({"type": "chat", "message": "set a timer for 2 seconds for the kettle"})).await.unwrap();
    let reply = next(&mut ws, 20).await.expect("a reply");
    assert_eq!(reply["type"], "chat_response");
    assert!(
        reply["message"].as_str().unwrap().starts_with("Timer set for kettle: 2 s"),
        "the time understood: {reply}"
    );
    assert_eq!(reply["ui_actions"][0]["type"], "reload_calendar");
    let fired = next(&mut ws, 6).await.expect("the timer");
    assert_eq!(fired["type"], "timer_expired", "{fired}");
    assert_eq!(fired["timer_type"], "timer");
    assert_eq!(fired["label"], "kettle");
    assert_eq!(fired["action"], "show_notification");
    assert_eq!(fired["notification"]["requireInteraction"], true);
    for key in ["timer_id", "message", "timestamp"] {
        assert!(fired.get(key).is_some(), "{key} in {fired}");
    }
    assert!(next(&mut ws, 1).await.is_none(), "once");
    let timers: Value = app.get("/api/v1/timers", &user.token).await.json().await.unwrap();
    assert_eq!(timers["timers"][0]["status"], "fired", "{timers}");
}

async fn a_dismissed_timer_never_goes_off(backend: Backend) {
    let app = spawn_app_with(backend, FAST).await;
    let user = app.register("timer2@example.com").await;
    let mut ws = open(&app, &user).await;
    let t: Value = app
        .send_json(Method::POST, "/api/v1/timers", Some(&user.token), &json!({"duration_seconds": 1, "label": "eggs"}))
        .await
        .json()
        .await
        .unwrap();
    let id = t["id"].as_str().unwrap();
    let res = app
        .send_json(Method::POST, "/api/v1/pam/internal/dismiss-timer", Some(&user.token), &json!({"timer_id": id}))
        .await;
    assert_eq!(res.status(), 200);
    assert!(next(&mut ws, 3).await.is_none(), "a dismissed timer stays quiet");
    let t: Value = app.get(&format!("/api/v1/timers/{id}"), &user.token).await.json().await.unwrap();
    assert_eq!(t["status"], "dismissed");
}

async fn a_timer_due_during_a_turn_waits_for_its_reply(backend: Backend) {
    use crate::fakes::{ScriptedClaude, text};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer};
    let claude = MockServer::start().await;
    let slow = ScriptedClaude::new(|_: &Value| text("Here's a slow answer.")).slow(Duration::from_millis(1500));
    Mock::given(method("POST")).respond_with(slow).mount(&claude).await;
    let uri = claude.uri();
    let extra = [("PUSH_POLL_MS", "50"), ("ANTHROPIC_API_KEY", "test-key"), ("ANTHROPIC_BASE_URL", uri.as_str())];
    let app = spawn_app_with(backend, &extra).await;
    let user = app.register("timer3@example.com").await;
    let mut ws = open(&app, &user).await;
    let res = app.send_json(Method::POST, "/api/v1/timers", Some(&user.token), &json!({"duration_seconds": 1})).await;
    assert_eq!(res.status(), 201);
    send(&mut ws, &json!({"type": "chat", "message": "tell me something"})).await.unwrap();
    let first = next(&mut ws, 20).await.expect("a frame");
    assert_eq!(first["type"], "chat_response", "the reply comes first: {first}");
    assert_eq!(first["message"], "Here's a slow answer.");
    assert_eq!(next(&mut ws, 3).await.expect("the timer, right after")["type"], "timer_expired");
}
