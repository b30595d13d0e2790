//! Health and readiness (no auth).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Datelike, Timelike, Utc};
use pam_web::extract::Json;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Environment;
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
    #[serde(serialize_with = "rfc3339_millis")]
    pub timestamp: DateTime<Utc>,
}

/// RFC 3339 in UTC to the millisecond, written digit by digit: chrono's general formatter (one
/// `write_char` per character through serde's `collect_str`) was the largest single cost of `/health`.
fn rfc3339_millis_text(at: &DateTime<Utc>) -> [u8; 24] {
    fn digits(slot: &mut [u8], mut n: u32) {
        for byte in slot.iter_mut().rev() {
            *byte = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    let mut text = *b"0000-00-00T00:00:00.000Z";
    digits(&mut text[0..4], at.year().clamp(0, 9999) as u32);
    digits(&mut text[5..7], at.month());
    digits(&mut text[8..10], at.day());
    digits(&mut text[11..13], at.hour());
    digits(&mut text[14..16], at.minute());
    digits(&mut text[17..19], at.second());
    // A leap second shows as 59.999 rather than an out-of-range field.
    digits(&mut text[20..23], at.timestamp_subsec_millis().min(999));
    text
}

fn rfc3339_millis<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(std::str::from_utf8(&rfc3339_millis_text(at)).unwrap_or_default())
}

impl Health {
    fn now(environment: Environment) -> Health {
        Health {
            status: "healthy",
            service: "pam-backend",
            version: env!("CARGO_PKG_VERSION"),
            environment: environment.as_str(),
            timestamp: Utc::now(),
        }
    }

    /// The same JSON serde writes for this struct (a test holds them equal), written directly:
    /// `/health` is what load balancers and uptime checks poll, and every field but the timestamp is
    /// one of our constants, which need no escaping.
    fn to_json(&self) -> Vec<u8> {
        let pieces = [
            r#"{"status":""#,
            self.status,
            r#"","service":""#,
            self.service,
            r#"","version":""#,
            self.version,
            r#"","environment":""#,
            self.environment,
            r#"","timestamp":""#,
        ];
        let timestamp = rfc3339_millis_text(&self.timestamp);
        let end = br#""}"#;
        // Exactly sized: a full vector becomes the response body without another allocation.
        let mut json = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum::<usize>() + timestamp.len() + end.len());
        for piece in pieces {
            json.extend_from_slice(piece.as_bytes());
        }
        json.extend_from_slice(&timestamp);
        json.extend_from_slice(end);
        json
    }
}

/// Liveness with service facts.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let json = Health::now(state.config.environment).to_json();
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json)
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
    let cached = format!(
        "{} profiles, {} identities and {} posts cached",
        state.domains.profiles.cache.entry_count(),
        state.auth.identities.entry_count(),
        state.domains.social.posts.entry_count()
    );
    let cache = match &state.redis {
        None => DependencyStatus {
            name: "cache",
            status: "ok",
            kind: "in-process".into(),
            latency_ms: None,
            detail: Some(cached),
        },
        // Redis is reported, not required: without it limits, caches and pushes run in-process.
        Some(redis) => match redis.ping().await {
            Some(latency) => DependencyStatus {
                name: "cache",
                status: "ok",
                kind: "redis".into(),
                latency_ms: Some(latency.as_secs_f64() * 1000.0),
                detail: Some(if redis.is_listening() {
                    format!("{cached}; invalidations and pushes shared")
                } else {
                    format!("{cached}; the subscription to other instances is reconnecting (caches bypassed)")
                }),
            },
            None => DependencyStatus {
                name: "cache",
                status: "unavailable",
                kind: "redis".into(),
                latency_ms: None,
                detail: Some(format!(
                    "{cached}; Redis did not answer within {} ms: limits and pushes are in-process, caches bypassed",
                    redis.timeout().as_millis()
                )),
            },
        },
    };
    let models = state.pam.chain.models();
    let healthy = models.iter().filter(|m| state.pam.chain.is_healthy(m)).count();
    let brain = DependencyStatus {
        name: "brain",
        // The offline brain always answers, so PAM is never without a brain; the detail says which
        // models are skipped for now.
        status: "ok",
        kind: models.join(" -> "),
        latency_ms: None,
        detail: Some(format!("{healthy} of {} models available", models.len())),
    };
    let engines = state.domains.speech.speech.tts_availability();
    let answering = engines.iter().filter(|(_, up)| *up).count();
    let speech = DependencyStatus {
        name: "speech",
        // Speech is a feature, not a condition of serving: its state is reported, readiness is the database's.
        status: if answering > 0 { "ok" } else { "unavailable" },
        kind: engines.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(" -> "),
        latency_ms: None,
        detail: Some(format!(
            "{answering} of {} speech engines answering; transcription {}",
            engines.len(),
            if state.domains.speech.speech.has_stt() { "configured" } else { "not configured" }
        )),
    };
    let ready = db.status == "ok";
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        timestamp: Utc::now(),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        dependencies: vec![db, cache, brain, speech],
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rendered(at: DateTime<Utc>) -> String {
        let mut out = Vec::new();
        rfc3339_millis(&at, &mut serde_json::Serializer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_written_health_body_is_what_serde_writes() {
        for environment in [Environment::Development, Environment::Staging, Environment::Production] {
            let health = Health::now(environment);
            assert_eq!(
                String::from_utf8(health.to_json()).unwrap(),
                serde_json::to_string(&health).unwrap(),
                "{environment:?}"
            );
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc_to_the_millisecond() {
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 9, 5, 2).unwrap() + chrono::Duration::microseconds(45_678);
        assert_eq!(rendered(at), r#""2026-03-07T09:05:02.045Z""#);
        let now = Utc::now();
        let text = rendered(now);
        let parsed = DateTime::parse_from_rfc3339(text.trim_matches('"')).unwrap();
        assert_eq!(parsed.timestamp_millis(), now.timestamp_millis(), "{text} round-trips");
    }
}
