//! The edge of every request: request id, tracing span, timing, security headers, and the error
//! mapping that turns any non-JSON failure (unknown route, panic, body limit, CORS preflight quirks)
//! into SPEC §2's JSON shape without dropping headers set further in (CORS stays on errors).

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use tracing::Instrument;

use super::idempotency;
use crate::config::{Config, Environment};
use crate::error::{AppError, REQUEST_ID, error_body};
use crate::state::AppState;

use axum::http::HeaderName;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
const PROCESS_TIME: HeaderName = HeaderName::from_static("x-process-time");
const NOSNIFF: (HeaderName, HeaderValue) =
    (HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
const FRAME_OPTIONS: (HeaderName, HeaderValue) =
    (HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY"));
const REFERRER: (HeaderName, HeaderValue) =
    (HeaderName::from_static("referrer-policy"), HeaderValue::from_static("strict-origin-when-cross-origin"));
const PERMISSIONS: (HeaderName, HeaderValue) = (
    HeaderName::from_static("permissions-policy"),
    HeaderValue::from_static("camera=(), geolocation=(), microphone=(self), payment=()"),
);
const CSP: HeaderName = HeaderName::from_static("content-security-policy");
const CSP_API: HeaderValue = HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");
// The interactive docs need their own scripts and styles; everything else is a JSON API.
const CSP_DOCS: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
);
const HSTS: (HeaderName, HeaderValue) = (
    HeaderName::from_static("strict-transport-security"),
    HeaderValue::from_static("max-age=63072000; includeSubDomains"),
);

/// An incoming request id is echoed only when it is short and plain; otherwise we make one.
fn request_id_from(headers: &HeaderMap) -> HeaderValue {
    let sane = |v: &&HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty() && b.len() <= 128 && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
    };
    match headers.get(&REQUEST_ID_HEADER).filter(sane) {
        Some(v) => v.clone(),
        None => {
            let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
            let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buf);
            HeaderValue::from_str(text).expect("a UUID is a valid header value")
        }
    }
}

/// Milliseconds with three decimals, formatted without a heap string.
fn process_time(elapsed: std::time::Duration) -> HeaderValue {
    use std::io::Write;
    let micros = elapsed.as_micros();
    let mut buf = [0u8; 32];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    let _ = write!(cursor, "{}.{:03}", micros / 1000, micros % 1000);
    let len = cursor.position() as usize;
    HeaderValue::from_bytes(&buf[..len]).unwrap_or(HeaderValue::from_static("0"))
}

/// The whole edge in one middleware (request id, tracing, CORS, panics, idempotency, error mapping,
/// security headers, timing). One layer instead of a stack of them: axum clones every layer of a route
/// for each request, and this halves the per-request cost of the edge.
pub async fn edge(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request_id_from(req.headers());
    let docs = req.uri().path() == "/docs" || req.uri().path().starts_with("/docs/");
    let allowed_origin = req.headers().get(header::ORIGIN).filter(|o| state.cors.allows(o)).cloned();
    let is_preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);

    let mut response = if is_preflight {
        preflight(allowed_origin.is_some())
    } else {
        let span = tracing::info_span!("http", method = %req.method(), path = %req.uri().path(),
            request_id = request_id.to_str().unwrap_or_default(), user.id = tracing::field::Empty);
        let work = async {
            let handled = if req.method() == Method::POST && req.headers().contains_key(idempotency::HEADER) {
                AssertUnwindSafe(idempotency::handle(state.clone(), req, next)).catch_unwind().await
            } else {
                AssertUnwindSafe(next.run(req)).catch_unwind().await
            };
            let response = handled.unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned());
                AppError::Internal(anyhow::anyhow!("handler panicked: {}", what.unwrap_or_default())).into_response()
            });
            to_json_error(response)
        };
        REQUEST_ID.scope(request_id.clone(), work.instrument(span)).await
    };

    let elapsed = started.elapsed();
    let headers = response.headers_mut();
    if let Some(origin) = allowed_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, CORS_EXPOSE);
    }
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    headers.insert(PROCESS_TIME, process_time(elapsed));
    security_headers(headers, docs, state.config.environment);
    if response.status().is_server_error() {
        let id = request_id.to_str().unwrap_or_default();
        tracing::warn!(
            status = response.status().as_u16(),
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            request_id = id,
            "request failed"
        );
    }
    response.headers_mut().insert(REQUEST_ID_HEADER, request_id);
    response
}

const CORS_EXPOSE: HeaderValue = HeaderValue::from_static("x-request-id, x-process-time, retry-after");

/// A CORS preflight: 204 with a day's max-age; the grant itself is added only for allowed origins.
fn preflight(allowed: bool) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if allowed {
        let h = response.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type, accept, x-request-id, idempotency-key"),
        );
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    }
    response
}

/// Rewrites a failure whose body is not already JSON into the contract's error body, keeping its headers.
fn to_json_error(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return response;
    }
    let detail = match status {
        StatusCode::NOT_FOUND => "Not Found",
        StatusCode::METHOD_NOT_ALLOWED => "Method Not Allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "Request body is too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
        StatusCode::REQUEST_TIMEOUT => "Request timed out",
        _ => status.canonical_reason().unwrap_or("Error"),
    };
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), "request failed without an application error (panic or layer)");
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = error_body(status, detail).to_string();
    Response::from_parts(parts, Body::from(body)).into_response()
}

fn security_headers(headers: &mut HeaderMap, docs: bool, env: Environment) {
    for (name, value) in [NOSNIFF, FRAME_OPTIONS, REFERRER, PERMISSIONS] {
        headers.insert(name, value);
    }
    headers.insert(CSP, if docs { CSP_DOCS } else { CSP_API });
    if env == Environment::Production {
        headers.insert(HSTS.0, HSTS.1);
    }
}

/// Explicit origins per environment plus `CORS_ALLOWED_ORIGINS`; credentials are allowed, so the
/// grant always names the origin (never `*`).
pub struct CorsPolicy {
    origins: HashSet<HeaderValue>,
}

impl CorsPolicy {
    pub fn new(config: &Config) -> CorsPolicy {
        let mut origins: Vec<String> = match config.environment {
            Environment::Production => vec!["https://wheelsandwins.com".into(), "https://www.wheelsandwins.com".into()],
            Environment::Staging | Environment::Development => ["localhost", "127.0.0.1"]
                .iter()
                .flat_map(|host| [3000, 5173, 8080].map(|port| format!("http://{host}:{port}")))
                .collect(),
        };
        origins.extend(config.cors_allowed_origins.iter().cloned());
        CorsPolicy { origins: origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect() }
    }

    pub fn allows(&self, origin: &HeaderValue) -> bool {
        self.origins.contains(origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_plain_failure_becomes_the_contract_body_without_internals() {
        let raw = (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:3000")],
            "boom: db password=x",
        )
            .into_response();
        let mapped = REQUEST_ID.scope(HeaderValue::from_static("req-1"), async { to_json_error(raw) }).await;
        assert_eq!(mapped.status(), 500);
        assert_eq!(mapped.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:3000", "headers kept");
        let body = axum::body::to_bytes(mapped.into_body(), 1024).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["code"], "internal_error");
        assert_eq!(json["request_id"], "req-1");
        assert!(!json.to_string().contains("password"), "no internal text: {json}");
    }
}
