//! Operators' API: every admin route refused to users (403) and to the anonymous (401) and audited with
//! its route and outcome; the primary model switched for the next turn (also on a second instance) and
//! an unknown model refused; the usage report equal to the ledger to the micro-dollar; role changes that
//! cannot leave the service without an admin; the usage chart. The Prometheus endpoint is in `metrics.rs`.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use pam_store::with_db;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::fakes::{claude_sse, text};
use crate::helpers::{Backend, TestApp, TestUser, assert_error, spawn_app, spawn_app_with};
use crate::knowledge::admin;
use crate::pam::chat;
use pam_testkit::on_both_databases;

on_both_databases!(
    every_admin_route_is_for_admins_only_and_audited,
    the_primary_model_switch_takes_the_next_turn_on_every_instance,
    usage_equals_the_ledger_to_the_micro_dollar,
    roles_change_but_the_last_admin_stays,
);

/// Every operators' route, with a body that passes validation where it needs one.
fn admin_routes(user: Uuid) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/admin/metrics".into(), None),
        (Method::GET, "/api/v1/admin/usage?group_by=day".into(), None),
        (Method::GET, "/api/v1/admin/models".into(), None),
        (Method::POST, "/api/v1/admin/models/primary".into(), Some(json!({"model_id": null}))),
        (Method::GET, "/api/v1/admin/models/health".into(), None),
        (Method::GET, "/api/v1/admin/users?q=example".into(), None),
        (Method::PATCH, format!("/api/v1/admin/users/{user}"), Some(json!({"role": "user"}))),
        (Method::GET, "/api/v1/admin/audit".into(), None),
        (Method::GET, "/api/v1/admin/jobs".into(), None),
        (Method::GET, "/api/v1/admin/charts/usage.svg?days=7".into(), None),
    ]
}

async fn call(app: &TestApp, m: &Method, path: &str, body: &Option<Value>, token: Option<&str>) -> reqwest::Response {
    app.send(m.clone(), path, token, |req| match body {
        Some(b) => req.json(b),
        None => req,
    })
    .await
}

/// The audit rows recorded for one route template, as (actor, status).
async fn audited(app: &TestApp, action: &str) -> Vec<(Option<Uuid>, i64)> {
    let rows: Vec<(Option<Uuid>, String)> = with_db!(app.db(), |pool| {
        sqlx::query_as("SELECT actor_id, CAST(details AS TEXT) FROM audit_log WHERE action = $1 ORDER BY created_at")
            .bind(action)
            .fetch_all(pool)
            .await
    })
    .unwrap();
    rows.into_iter()
        .map(|(actor, details)| {
            let details: Value = serde_json::from_str(&details).unwrap();
            (actor, details["status"].as_i64().unwrap())
        })
        .collect()
}

async fn every_admin_route_is_for_admins_only_and_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let boss = admin(&app, "boss@example.com").await;
    let user = app.register("traveller@example.com").await;
    for (m, path, body) in admin_routes(user.id) {
        assert_error(call(&app, &m, &path, &body, None).await, 401, "unauthorized").await;
        assert_error(call(&app, &m, &path, &body, Some(&user.token)).await, 403, "forbidden").await;
        let res = call(&app, &m, &path, &body, Some(&boss.token)).await;
        assert_eq!(res.status(), 200, "{m} {path} as an admin: {}", res.text().await.unwrap());
        let template = path.split('?').next().unwrap().replace(&user.id.to_string(), "{id}");
        let rows = audited(&app, &format!("admin {m} {template}")).await;
        assert_eq!(rows, vec![(None, 401), (Some(user.id), 403), (Some(boss.id), 200)], "{m} {template}");
    }
    // The log itself, filtered to one actor and one action.
    let path = format!("/api/v1/admin/audit?actor_id={}&action=admin%20PATCH", boss.id);
    let log: Value = app.get(&path, &boss.token).await.json().await.unwrap();
    assert_eq!(log["total"], 1, "{log}");
    assert_eq!(log["entries"][0]["details"]["route"], "/api/v1/admin/users/{id}");
    assert_eq!(log["entries"][0]["details"]["outcome"], "ok");
    assert_error(app.get("/api/v1/admin/audit?limit=0", &boss.token).await, 422, "validation_error").await;
    assert_error(app.get("/api/v1/admin/jobs?status=lost", &boss.token).await, 422, "validation_error").await;
    assert_error(app.get("/api/v1/admin/charts/usage.svg?days=0", &boss.token).await, 422, "validation_error").await;
}

/// A Claude that answers every call in text and keeps the model each request named.
struct ModelRecorder(Arc<Mutex<Vec<String>>>);

impl Respond for ModelRecorder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        self.0.lock().unwrap().push(body["model"].as_str().unwrap_or_default().to_string());
        let (block, stop) = text("Hello from the fake.");
        claude_sse(&block, stop)
    }
}

async fn the_primary_model_switch_takes_the_next_turn_on_every_instance(backend: Backend) {
    let claude = MockServer::start().await;
    let models = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST")).respond_with(ModelRecorder(models.clone())).mount(&claude).await;
    let claude_url = claude.uri();
    let vars = [
        ("ANTHROPIC_API_KEY", "k"),
        ("ANTHROPIC_BASE_URL", claude_url.as_str()),
        ("PAM_PRIMARY_MODEL", "claude-sonnet-4-5-20250929"),
    ];
    let a = spawn_app_with(backend.clone(), &vars).await;
    let url = a.state.config.database_url.expose().to_string();
    let mut on_same_db = vars.to_vec();
    on_same_db.push(("DATABASE_URL", url.as_str()));
    let b = spawn_app_with(backend, &on_same_db).await;
    let boss = admin(&a, "boss@example.com").await;
    let user = a.register("traveller@example.com").await;

    chat(&a, &user, json!({"message": "hello"})).await;
    assert_eq!(models.lock().unwrap().last().unwrap(), "claude-sonnet-4-5-20250929");

    let haiku = "claude-haiku-4-5-20251001";
    let res =
        a.send_json(Method::POST, "/api/v1/admin/models/primary", Some(&boss.token), &json!({"model_id": haiku})).await;
    assert_eq!(res.status(), 200);
    let listed: Value = res.json().await.unwrap();
    assert_eq!(listed["primary"], haiku, "{listed}");

    chat(&a, &user, json!({"message": "hello again"})).await;
    assert_eq!(models.lock().unwrap().last().unwrap(), haiku, "the next turn on this instance");
    chat(&b, &user, json!({"message": "and from the other instance"})).await;
    assert_eq!(models.lock().unwrap().last().unwrap(), haiku, "the next turn on another instance, not restarted");

    // Unknown or uncallable ids are refused and change nothing.
    for bad in ["gpt-imaginary-9", "gemini-2.5-pro"] {
        let res = a
            .send_json(Method::POST, "/api/v1/admin/models/primary", Some(&boss.token), &json!({"model_id": bad}))
            .await;
        assert_error(res, 422, "validation_error").await;
    }
    chat(&a, &user, json!({"message": "still there?"})).await;
    assert_eq!(models.lock().unwrap().last().unwrap(), haiku);

    // Null goes back to the configured primary.
    let res =
        a.send_json(Method::POST, "/api/v1/admin/models/primary", Some(&boss.token), &json!({"model_id": null})).await;
    assert_eq!(res.status(), 200);
    chat(&b, &user, json!({"message": "back to normal"})).await;
    assert_eq!(models.lock().unwrap().last().unwrap(), "claude-sonnet-4-5-20250929");

    let actions: Vec<String> = crate::knowledge::audit_actions(&a, boss.id).await;
    assert_eq!(actions.iter().filter(|a| a.as_str() == "admin POST /api/v1/admin/models/primary").count(), 4);
}

/// One ledger line: user, model, tokens (in, out, cache write, cache read), micro-USD, latency, when.
type Line = (Uuid, &'static str, [i64; 4], i64, i64, DateTime<Utc>);

async fn insert_ledger(app: &TestApp, lines: &[Line]) {
    for (user, model, tokens, cost, latency, at) in lines {
        with_db!(app.db(), |pool| {
            sqlx::query(
                "INSERT INTO llm_usage (id, user_id, model, input_tokens, output_tokens, cache_write_tokens, \
                 cache_read_tokens, cost_micro_usd, latency_ms, outcome, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ok', $10)",
            )
            .bind(Uuid::now_v7())
            .bind(user)
            .bind(*model)
            .bind(tokens[0])
            .bind(tokens[1])
            .bind(tokens[2])
            .bind(tokens[3])
            .bind(cost)
            .bind(latency)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .unwrap();
    }
}

async fn usage_equals_the_ledger_to_the_micro_dollar(backend: Backend) {
    let app = spawn_app(backend).await;
    let boss = admin(&app, "boss@example.com").await;
    let ann = app.register("ann@example.com").await;
    let bob = app.register("bob@example.com").await;
    let day = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 30, 0).unwrap();
    let (sonnet, haiku) = ("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001");
    // Odd amounts, so a float sum or a rounding would show.
    let lines: Vec<Line> = vec![
        (ann.id, sonnet, [1201, 333, 0, 7], 8_598_123, 900, day(2, 8)),
        (ann.id, haiku, [77, 15, 1024, 0], 1_003, 120, day(2, 23)),
        (ann.id, sonnet, [5, 1, 0, 90_001], 27_017, 450, day(3, 0)),
        (ann.id, haiku, [1, 1, 1, 1], 1, 60, day(9, 12)),
        (bob.id, sonnet, [999, 999, 999, 999], 7_777_777, 2000, day(3, 10)),
        (ann.id, sonnet, [10, 10, 0, 0], 333_333, 300, day(20, 1)),
    ];
    insert_ledger(&app, &lines).await;
    let (from, to) = (day(2, 0), day(10, 0));
    let expected: Vec<&Line> = lines.iter().filter(|l| l.0 == ann.id && l.5 >= from && l.5 < to).collect();
    let expected_cost: i64 = expected.iter().map(|l| l.3).sum();
    let expected_cache_read: i64 = expected.iter().map(|l| l.2[3]).sum();
    assert_eq!(expected_cost, 8_626_144);

    for group in ["user", "model", "day"] {
        let path = format!(
            "/api/v1/admin/usage?user_id={}&from={}&to={}&group_by={group}",
            ann.id,
            urlencode(&from.to_rfc3339()),
            urlencode(&to.to_rfc3339())
        );
        let res = app.get(&path, &boss.token).await;
        assert_eq!(res.status(), 200);
        let usage: Value = res.json().await.unwrap();
        let rows = usage["rows"].as_array().unwrap();
        let sum = |field: &str| rows.iter().map(|r| r[field].as_i64().unwrap()).sum::<i64>();
        assert_eq!(usage["total"]["cost_micro_usd"], expected_cost, "{group}: {usage}");
        assert_eq!(sum("cost_micro_usd"), expected_cost, "{group}: rows add up to the total");
        assert_eq!(sum("calls"), expected.len() as i64);
        assert_eq!(sum("cache_read_tokens"), expected_cache_read);
        assert_eq!(usage["total"]["cost_usd"].as_f64().unwrap(), 8.626144);
        match group {
            "user" => assert_eq!(rows.len(), 1),
            "model" => {
                let haiku_row = rows.iter().find(|r| r["key"] == haiku).unwrap();
                assert_eq!(haiku_row["cost_micro_usd"], 1_004);
                assert_eq!(haiku_row["cache_write_tokens"], 1025);
            }
            _ => {
                let keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
                assert_eq!(keys, ["2026-11-02", "2026-11-03", "2026-11-09"]);
                assert_eq!(rows[0]["latency_ms_p50"], 120, "{}", rows[0]);
                assert_eq!(rows[0]["latency_ms_p95"], 900);
            }
        }
    }
    // Everyone over the whole month matches the ledger summed by the database itself.
    let ledger: i64 = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT CAST(SUM(cost_micro_usd) AS BIGINT) FROM llm_usage").fetch_one(pool).await
    })
    .unwrap();
    let all: Value = app
        .get("/api/v1/admin/usage?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&group_by=user", &boss.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"]["cost_micro_usd"], ledger);
    assert_eq!(all["rows"].as_array().unwrap().len(), 2);
    let backwards = "/api/v1/admin/usage?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z";
    assert_error(app.get(backwards, &boss.token).await, 422, "validation_error").await;
    assert_error(app.get("/api/v1/admin/usage?group_by=week", &boss.token).await, 422, "validation_error").await;
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn patch_role(app: &TestApp, by: &TestUser, target: Uuid, role: &str) -> reqwest::Response {
    app.send_json(Method::PATCH, &format!("/api/v1/admin/users/{target}"), Some(&by.token), &json!({"role": role}))
        .await
}

async fn roles_change_but_the_last_admin_stays(backend: Backend) {
    let app = spawn_app(backend).await;
    let boss = admin(&app, "boss@example.com").await;
    let ann = app.register("ann@example.com").await;

    // The only admin cannot step down.
    assert_error(patch_role(&app, &boss, boss.id, "user").await, 409, "conflict").await;
    assert_error(patch_role(&app, &boss, ann.id, "owner").await, 422, "validation_error").await;
    assert_error(patch_role(&app, &boss, Uuid::new_v4(), "admin").await, 404, "not_found").await;

    let res = patch_role(&app, &boss, ann.id, "admin").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["role"], "admin");
    // Ann's token now opens the operators' routes, at once.
    assert_eq!(app.get("/api/v1/admin/models", &ann.token).await.status(), 200);
    // Two admins demoting each other at once: one wins, the other is refused, one admin is left.
    let (a, b) = tokio::join!(patch_role(&app, &boss, ann.id, "user"), patch_role(&app, &ann, boss.id, "user"));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    // The loser is refused as the last admin (409), or, when the winner's change landed first, is no
    // longer an admin at all (403).
    assert!(statuses[0] == 200 && [403, 409].contains(&statuses[1]), "{statuses:?}");
    let admins: Vec<Uuid> = with_db!(app.db(), |pool| {
        sqlx::query_scalar("SELECT id FROM profiles WHERE role = 'admin'").fetch_all(pool).await
    })
    .unwrap();
    assert_eq!(admins.len(), 1);
    let (last, demoted) = if admins[0] == ann.id { (&ann, &boss) } else { (&boss, &ann) };
    assert_error(app.get("/api/v1/admin/models", &demoted.token).await, 403, "forbidden").await;
    assert_error(patch_role(&app, last, last.id, "user").await, 409, "conflict").await;
    // Promoted again, the other may now step down of their own accord.
    assert_eq!(patch_role(&app, last, demoted.id, "admin").await.status(), 200);
    assert_eq!(patch_role(&app, demoted, demoted.id, "user").await.status(), 200);
    let ann = last;

    let found: Value = app.get("/api/v1/admin/users?q=ANN@", &ann.token).await.json().await.unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["users"][0]["email"], "ann@example.com");
    let page: Value = app.get("/api/v1/admin/users?limit=1&offset=1", &ann.token).await.json().await.unwrap();
    assert_eq!((page["total"].as_i64(), page["users"].as_array().unwrap().len()), (Some(2), 1));
}

/// The daily cost chart: one bar series per model, the same SVG approach as the Wins chart.
#[tokio::test]
async fn the_usage_chart_draws_each_model() {
    let app = spawn_app(Backend::Sqlite).await;
    let boss = admin(&app, "boss@example.com").await;
    let now = Utc::now() - Duration::minutes(1);
    insert_ledger(
        &app,
        &[
            (boss.id, "claude-sonnet-4-5-20250929", [10, 10, 0, 0], 250_000, 500, now),
            (boss.id, "gemini-3.0-flash", [10, 10, 0, 0], 20_000, 300, now - Duration::days(2)),
        ],
    )
    .await;
    let res = app.get("/api/v1/admin/charts/usage.svg?days=30", &boss.token).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let svg = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let text: String = doc.descendants().filter_map(|n| n.text()).collect::<Vec<_>>().join(" ");
    assert!(text.contains("claude-sonnet-4-5-20250929") && text.contains("gemini-3.0-flash"), "{text}");
}
