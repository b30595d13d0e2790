//! Bare axum: one JSON route, no middleware. The ceiling our /health is compared with.
use axum::{Json, Router, routing::get};

#[tokio::main]
async fn main() {
    let port = std::env::args().nth(1).unwrap_or_else(|| "18080".into());
    let app = Router::new().route(
        "/health",
        get(|| async { Json(serde_json::json!({"status": "healthy", "service": "hello"})) }),
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
