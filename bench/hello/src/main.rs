//! Bare axum: one JSON route, no middleware. The ceiling our /health is compared with.
//!
//! `bench-hello PORT` answers `/health` with a two-field JSON object and nothing else. `bench-hello PORT
//! contract` answers `/health` with the bytes the contract asks of ours — the same headers (request
//! id, process time, security headers, `Vary`) and a body of the same size — written as
//! cheaply as axum allows (static headers, a constant body). That is the floor for any server that
//! keeps the contract: what sending those bytes costs, with no work behind them.
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::IntoResponse;
use axum::{Json, Router, routing::get};

const CONTRACT_HEADERS: [(HeaderName, HeaderValue); 9] = [
    (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
    (HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff")),
    (HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY")),
    (HeaderName::from_static("referrer-policy"), HeaderValue::from_static("strict-origin-when-cross-origin")),
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), geolocation=(), microphone=(self), payment=()"),
    ),
    (
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
    ),
    (header::VARY, HeaderValue::from_static("origin")),
    (HeaderName::from_static("x-process-time"), HeaderValue::from_static("0.116")),
    (HeaderName::from_static("x-request-id"), HeaderValue::from_static("1a7297c4-dfc6-4795-aa61-f5052285e77c")),
];
const CONTRACT_BODY: &[u8] = br#"{"status":"healthy","service":"pam-backend","version":"0.1.0","environment":"development","timestamp":"2026-12-01T07:54:42.109Z"}"#;

#[tokio::main]
async fn main() {
    let port = std::env::args().nth(1).unwrap_or_else(|| "18080".into());
    let app = if std::env::args().nth(2).as_deref() == Some("contract") {
        Router::new().route("/health", get(|| async { (CONTRACT_HEADERS, CONTRACT_BODY).into_response() }))
    } else {
        Router::new()
            .route("/health", get(|| async { Json(serde_json::json!({"status": "healthy", "service": "hello"})) }))
    };
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
