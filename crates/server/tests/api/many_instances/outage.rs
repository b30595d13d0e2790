//! Redis going away under two instances (SPEC §7 "fail open"): requests keep being served — never a
//! 5xx — with each instance limiting in-process, and the limit is shared again once Redis is back, by
//! itself; and one whose Redis never answers serves everything in-process and counts it. "Redis" here is a relay in front of the test Redis that the test cuts, so the Redis other
//! tests share keeps running.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::{two_instances, within};
use crate::helpers::{Backend, TestApp, TestUser, spawn_app_with};
use crate::pushes::{next, open};
use pam_testkit::redis_proxy::Proxy;
use pam_testkit::{on_both_databases, redis_for};

on_both_databases!(redis_killed_under_load_leaves_no_5xx_limits_in_process_and_shares_again_when_back);

/// Requests a minute per user on every route of these tests.
const LIMIT: usize = 40;

/// `n` concurrent GETs of the expenses list for `user`, spread over both instances; their statuses.
async fn burst(apps: [&TestApp; 2], user: &TestUser, n: usize) -> Vec<u16> {
    let requests = (0..n).map(|i| {
        let app = apps[i % 2];
        async move { app.get("/api/v1/expenses", &user.token).await.status().as_u16() }
    });
    futures::future::join_all(requests).await
}

fn served(statuses: &[u16]) -> usize {
    statuses.iter().filter(|s| **s == 200).count()
}

async fn redis_killed_under_load_leaves_no_5xx_limits_in_process_and_shares_again_when_back(backend: Backend) {
    let Some(redis) = redis_for("api::many_instances::redis_killed_under_load") else {
        return;
    };
    let mut proxy = Proxy::start(&redis).await;
    let through = proxy.url(&redis);
    let limit = LIMIT.to_string();
    let (a, b) = two_instances(backend, &through, &[("RATE_LIMIT_DEFAULT_PER_MINUTE", limit.as_str())]).await;
    let users = [
        a.register("load@example.com").await,
        a.register("before@example.com").await,
        a.register("during@example.com").await,
        b.register("after@example.com").await,
    ];
    // A steady load of reads and writes on both instances for the whole test, across the outage.
    let stop = tokio::sync::watch::channel(false);
    let load = {
        let (a, b, user, mut stopped) = (&a, &b, &users[0], stop.0.subscribe());
        async move {
            let mut statuses = Vec::new();
            let path = format!("/api/v1/users/{}/profile", user.id);
            for i in 0u32.. {
                if *stopped.borrow_and_update() {
                    break;
                }
                let app = if i % 2 == 0 { a } else { b };
                let status = if i % 3 == 0 {
                    let body = json!({"full_name": format!("Load {i}")});
                    app.send_json(Method::PATCH, &path, Some(&user.token), &body).await.status()
                } else {
                    app.get("/api/v1/expenses", &user.token).await.status()
                };
                statuses.push(status.as_u16());
            }
            statuses
        }
    };
    let phases = async {
        let before = burst([&a, &b], &users[1], 2 * LIMIT).await;
        proxy.stop().await;
        let during = burst([&a, &b], &users[2], 4 * LIMIT).await;
        proxy.restart().await;
        // Back by itself: each instance's command connection answers again and its subscription is live.
        let back = within(Duration::from_secs(10), || async {
            for app in [&a, &b] {
                let redis = app.state.redis.as_ref().expect("REDIS_URL");
                if redis.ping().await.is_none() || !redis.is_listening() {
                    return false;
                }
            }
            true
        })
        .await;
        assert!(back.is_some(), "both instances use Redis again by themselves");
        let fallbacks =
            || [&a, &b].iter().map(|app| app.state.redis.as_ref().map_or(0, |r| r.fallbacks())).sum::<u64>();
        let fell_back = fallbacks();
        let after = burst([&a, &b], &users[3], 2 * LIMIT).await;
        assert_eq!(fallbacks(), fell_back, "Redis back: nothing served in-process");
        stop.0.send_replace(true);
        (before, during, after)
    };
    let (load, (before, during, after)) = tokio::join!(load, phases);

    for (name, statuses) in [("load", &load), ("before", &before), ("during", &during), ("after", &after)] {
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 429),
            "{name}: only 200s and 429s, never a 5xx: {statuses:?}"
        );
    }
    assert!(load.len() > 20, "the load ran throughout: {} requests", load.len());
    assert_eq!(served(&before), LIMIT, "Redis up: one limit for both instances");
    assert_eq!(served(&during), 2 * LIMIT, "Redis down: each instance limits in-process");
    assert_eq!(served(&after), LIMIT, "Redis back: one limit for both again: {after:?}");
}

/// The value of one Prometheus counter series in the process's `/metrics` (0 before it exists).
async fn counter(app: &TestApp, series: &str) -> f64 {
    let text = app.get_anonymous("/metrics").await.text().await.unwrap();
    text.lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn a_redis_that_does_not_answer_leaves_every_request_served_in_process() {
    // Nothing listens on port 1: Redis is "down" from the start.
    let vars = [("REDIS_URL", "redis://127.0.0.1:1"), ("RATE_LIMIT_DEFAULT_PER_MINUTE", "3")];
    let app = spawn_app_with(Backend::Sqlite, &vars).await;
    let fallbacks = r#"pam_redis_fallbacks_total{op="rate_limit"}"#;
    let before = counter(&app, fallbacks).await;
    let user = app.register("offline@example.com").await;
    let path = format!("/api/v1/users/{}/profile", user.id);
    let res = app.send_json(Method::PATCH, &path, Some(&user.token), &json!({"full_name": "Off Line"})).await;
    assert_eq!(res.status(), 200, "a write's invalidation falls back too");
    let read: Value = app.get(&path, &user.token).await.json().await.unwrap();
    assert_eq!(read["full_name"], "Off Line", "read from the database: the cache is bypassed, never stale");
    let mut statuses = Vec::new();
    for _ in 0..2 {
        statuses.push(app.get("/api/v1/expenses", &user.token).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 429], "the third and fourth request of three a minute: limited in-process, never a 5xx");

    let mut ws = open(&app, &user).await;
    app.state.pushes.publish(user.id, crate::pushes::alert_frame("local"));
    assert_eq!(crate::pushes::label(&next(&mut ws, 5).await.expect("delivered in-process")), "local");

    let ready = app.get_anonymous("/health/ready").await;
    assert_eq!(ready.status(), 200, "Redis is not a condition of serving");
    let ready: Value = ready.json().await.unwrap();
    let cache = ready["dependencies"].as_array().unwrap().iter().find(|d| d["name"] == "cache").unwrap().clone();
    assert_eq!((cache["kind"].as_str(), cache["status"].as_str()), (Some("redis"), Some("unavailable")), "{cache}");
    assert!(counter(&app, fallbacks).await >= before + 4.0, "every limited request counted as a fallback");
}
