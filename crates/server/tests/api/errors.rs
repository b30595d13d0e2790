//! SPEC §2 error shapes and the baseline middleware, on routes that touch the store.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, spawn_app};
use pam_testkit::on_both_databases;

on_both_databases!(bad_input_is_a_4xx_in_the_contract_shape, every_response_carries_edge_headers);

async fn bad_input_is_a_4xx_in_the_contract_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.register("oli@example.com").await;
    let profile = format!("/api/v1/users/{}/profile", user.id);

    let res = app
        .send(Method::PATCH, &profile, Some(&user.token), |r| {
            r.header("content-type", "application/json").body("{\"full_name\": ")
        })
        .await;
    let body = assert_error(res, 422, "validation_error").await;
    assert_eq!(body["detail"][0]["type"], "json_invalid");

    let res = app
        .send(Method::PATCH, &profile, Some(&user.token), |r| r.header("content-type", "text/plain").body("{}"))
        .await;
    assert_error(res, 415, "unsupported_media_type").await;

    let res = app.send(Method::PATCH, &profile, Some(&user.token), |r| r.json(&json!([1, 2]))).await;
    assert_error(res, 422, "validation_error").await;

    let huge = json!({"full_name": "x".repeat(2 * 1024 * 1024)});
    let res = app.send(Method::PATCH, &profile, Some(&user.token), |r| r.json(&huge)).await;
    assert_error(res, 413, "payload_too_large").await;

    let res = app.get("/api/v1/users/not-a-uuid/profile", &user.token).await;
    let body = assert_error(res, 422, "validation_error").await;
    assert_eq!(body["detail"][0]["loc"], json!(["path", "user_id"]));

    let res = app.send_undocumented(Method::GET, "/api/v1/no-such-route", Some(&user.token), |r| r).await;
    assert_error(res, 404, "not_found").await;
    let res = app.send_undocumented(Method::DELETE, "/api/auth/me", Some(&user.token), |r| r).await;
    assert_error(res, 405, "method_not_allowed").await;

    let res = app
        .send(Method::POST, "/api/auth/login", None, |r| {
            r.header("content-type", "application/json").body("\u{0}\u{1}garbage")
        })
        .await;
    assert_error(res, 422, "validation_error").await;

    let res = app.send_json(Method::POST, "/api/auth/register", None, &json!({"email": null, "password": []})).await;
    assert_error(res, 422, "validation_error").await;
}

async fn every_response_carries_edge_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.send(Method::GET, "/health", None, |r| r.header("x-request-id", "trace-abc_123")).await;
    assert_eq!(res.headers()["x-request-id"], "trace-abc_123", "a sane incoming id is echoed");
    let ms: f64 = res.headers()["x-process-time"].to_str().unwrap().parse().unwrap();
    assert!(ms >= 0.0);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert_eq!(res.headers()["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    assert!(res.headers().get("strict-transport-security").is_none(), "HSTS only in production");
    assert_eq!(res.headers()["vary"], "origin", "CORS grants depend on the origin, so caches must know");

    let res = app.send(Method::GET, "/health", None, |r| r.header("x-request-id", "bad id with spaces\t")).await;
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "an unsafe id is replaced: {id}");

    // CORS headers stay on errors, and preflight is 204 with a day's max-age.
    let res = app.send(Method::GET, "/api/auth/me", None, |r| r.header("origin", "http://localhost:5173")).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["access-control-allow-origin"], "http://localhost:5173");
    assert_eq!(res.headers()["access-control-allow-credentials"], "true");
    let res = app
        .send_undocumented(Method::OPTIONS, "/api/auth/me", None, |r| {
            r.header("origin", "http://localhost:3000")
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "authorization")
        })
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["access-control-max-age"], "86400");
    let res = app.send(Method::GET, "/health", None, |r| r.header("origin", "https://evil.example")).await;
    assert!(res.headers().get("access-control-allow-origin").is_none(), "unknown origins get no CORS grant");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "healthy");
}
