//! Health and readiness (no auth).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::extract::Json;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(live))
        .routes(routes!(ready))
        .routes(routes!(api_health))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `healthy` while the process answers.
    pub status: &'static str,
    pub service: &'static str,
    pub version: &'static str,
    pub environment: &'static str,
    pub timestamp: DateTime<Utc>,
}

/// Liveness with service facts.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "healthy",
        service: "pam-backend",
        version: env!("CARGO_PKG_VERSION"),
        environment: state.config.environment.as_str(),
        timestamp: Utc::now(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct Live {
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/health/live", tag = "health", responses((status = 200, body = Live)))]
async fn live() -> Json<Live> {
    Json(Live { status: "alive" })
}

#[derive(Serialize, ToSchema)]
pub struct DependencyStatus {
    pub name: &'static str,
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// What it is (e.g. `sqlite`, `in-process`).
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    pub timestamp: DateTime<Utc>,
    pub uptime_seconds: u64,
    pub dependencies: Vec<DependencyStatus>,
}

async fn readiness(state: &AppState) -> (StatusCode, Json<Readiness>) {
    let started = std::time::Instant::now();
    let db = match tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => DependencyStatus {
            name: "database",
            status: "ok",
            kind: state.db.kind().to_string(),
            latency_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
            detail: None,
        },
        Ok(Err(_)) | Err(_) => DependencyStatus {
            name: "database",
            status: "unavailable",
            kind: state.db.kind().to_string(),
            latency_ms: None,
            detail: Some("the database did not answer".into()),
        },
    };
    let cache =
        DependencyStatus { name: "cache", status: "ok", kind: "in-process".into(), latency_ms: None, detail: None };
    let ready = db.status == "ok";
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        timestamp: Utc::now(),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        dependencies: vec![db, cache],
    };
    (if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

/// Ready to serve: 503 with a status per dependency when the database is unreachable.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    readiness(&state).await
}

/// The same as `/health/ready`, at the path the front end calls.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
async fn api_health(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    readiness(&state).await
}
