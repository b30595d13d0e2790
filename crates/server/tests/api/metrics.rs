//! The Prometheus endpoint, parsed as the exposition format: route templates (no raw ids), the tool
//! counter, the token that guards it, and metrics switched off.

use std::collections::HashMap;

use openmetrics_parser::PrometheusValue;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use crate::fakes::{after_tools, text, tool_use};
use crate::helpers::{Backend, assert_error, spawn_app_with};
use crate::pam::chat;

/// The Prometheus endpoint after a chat turn that ran a tool: parsed as the exposition format, it holds
/// the HTTP counter under the route template (no raw ids) and the tool counter for `create_expense`.
#[tokio::test]
async fn prometheus_metrics_name_routes_and_tools() {
    let claude = MockServer::start().await;
    let script = |body: &Value| {
        if after_tools(body) {
            text("Logged.")
        } else {
            tool_use("toolu_m", "create_expense", json!({"amount": 12.5, "category": "food", "description": "pies"}))
        }
    };
    Mock::given(method("POST")).respond_with(crate::fakes::ScriptedClaude::new(script)).mount(&claude).await;
    let claude_url = claude.uri();
    let app = spawn_app_with(Backend::Sqlite, &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", &claude_url)]).await;
    let user = app.register("metrics@example.com").await;
    chat(&app, &user, json!({"message": "I spent $12.50 on pies"})).await;
    let profile = format!("/api/v1/users/{}/profile", user.id);
    assert_eq!(app.get(&profile, &user.token).await.status(), 200);

    let res = app.get_anonymous("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    assert!(res.headers().get("x-ratelimit-limit").is_none(), "exempt from limits");
    let body = res.text().await.unwrap();
    let scrape = openmetrics_parser::prometheus::parse_prometheus(&body).expect("Prometheus text");
    let samples = |name: &str| -> Vec<(HashMap<String, String>, PrometheusValue)> {
        scrape.families.get(name).map_or_else(Vec::new, |family| {
            family
                .iter_samples()
                .map(|s| {
                    let labels = s.get_labelset().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    (labels, s.value.clone())
                })
                .collect()
        })
    };
    let value = |name: &str, labels: &[(&str, &str)]| -> Option<f64> {
        samples(name)
            .into_iter()
            .filter(|(have, _)| labels.iter().all(|(k, v)| have.get(*k).map(String::as_str) == Some(*v)))
            .map(|(_, value)| match value {
                PrometheusValue::Counter(c) => c.value.as_f64(),
                PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n) => n.as_f64(),
                _ => f64::NAN,
            })
            .reduce(f64::max)
    };
    let chat_calls =
        value("http_requests_total", &[("route", "/api/v1/pam/chat"), ("method", "POST"), ("status", "200")]);
    assert!(chat_calls.is_some_and(|v| v >= 1.0), "{body}");
    assert!(value("http_requests_total", &[("route", "/api/v1/users/{user_id}/profile")]).is_some(), "{body}");
    assert!(!body.contains(&user.id.to_string()), "no user id in any label");
    let tool_calls = value("pam_tool_calls_total", &[("tool", "create_expense"), ("outcome", "ok")]);
    assert!(tool_calls.is_some_and(|v| v >= 1.0), "{body}");
    let claude_calls = value("pam_llm_calls_total", &[("model", "claude-sonnet-4-5-20250929"), ("outcome", "ok")]);
    assert!(claude_calls.is_some_and(|v| v >= 2.0), "{body}");
    assert!(value("pam_llm_tokens_total", &[("kind", "input")]).is_some(), "{body}");
    let latency = samples("http_request_duration_seconds");
    let chat_latency = latency.iter().find(|(l, _)| l.get("route").is_some_and(|r| r == "/api/v1/pam/chat"));
    match chat_latency {
        Some((_, PrometheusValue::Histogram(h))) => assert!(h.count.is_some_and(|c| c >= 1), "{h:?}"),
        other => panic!("latency is not a histogram: {other:?}\n{body}"),
    }
    assert!(value("pam_cache_requests_total", &[("result", "hit")]).is_some(), "{body}");
}

#[tokio::test]
async fn the_metrics_token_guards_the_endpoint_and_metrics_can_be_off() {
    let app = spawn_app_with(Backend::Sqlite, &[("METRICS_TOKEN", "scrape-me-please")]).await;
    let anonymous = app.get_anonymous("/metrics").await;
    assert_error(anonymous, 401, "unauthorized").await;
    let wrong = app.send(Method::GET, "/metrics", Some("scrape-me-pleasf"), |r| r).await;
    assert_error(wrong, 401, "unauthorized").await;
    let right = app.send(Method::GET, "/metrics", Some("scrape-me-please"), |r| r).await;
    assert_eq!(right.status(), 200);

    let off = spawn_app_with(Backend::Sqlite, &[("METRICS_ENABLED", "false")]).await;
    assert_error(off.get_anonymous("/metrics").await, 404, "not_found").await;
}
