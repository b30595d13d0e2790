//! The edge of every request: request id, tracing span, timing, security headers, and the error
//! mapping that turns any non-JSON failure (unknown route, panic, body limit, CORS preflight quirks)
//! into SPEC §2's JSON shape without dropping headers set further in (CORS stays on errors).

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use crate::config::{Config, Environment};
use crate::error::{REQUEST_ID, error_body};
use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// An incoming request id is echoed only when it is short and plain; otherwise we make one.
fn request_id_from(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

pub async fn edge(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request_id_from(req.headers());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let is_preflight = method == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let span =
        tracing::info_span!("http", %method, path = %path, request_id = %request_id, user.id = tracing::field::Empty);

    let mut response = REQUEST_ID
        .scope(request_id.clone(), async {
            let response = next.run(req).instrument(span.clone()).await;
            to_json_error(response)
        })
        .await;

    if is_preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID_HEADER, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("{elapsed_ms:.3}")) {
        headers.insert("x-process-time", v);
    }
    security_headers(headers, &path, state.config.environment);
    let status = response.status().as_u16();
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "request failed");
        } else {
            tracing::debug!(status, elapsed_ms, "request");
        }
    });
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

fn security_headers(headers: &mut HeaderMap, path: &str, env: Environment) {
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), geolocation=(), microphone=(self), payment=()"),
    );
    // The interactive docs need their own scripts and styles; everything else is a JSON API.
    let csp = if path == "/docs" || path.starts_with("/docs/") {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    } else {
        "default-src 'none'; frame-ancestors 'none'"
    };
    headers.insert("content-security-policy", HeaderValue::from_static(csp));
    if env == Environment::Production {
        headers.insert("strict-transport-security", HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
}

/// Explicit origins per environment plus `CORS_ALLOWED_ORIGINS`; credentials allowed, so never `*`.
pub fn cors(config: &Config) -> CorsLayer {
    let mut origins: Vec<String> = match config.environment {
        Environment::Production => vec!["https://wheelsandwins.com".into(), "https://www.wheelsandwins.com".into()],
        Environment::Staging | Environment::Development => {
            let mut v = Vec::new();
            for host in ["localhost", "127.0.0.1"] {
                for port in [3000, 5173, 8080] {
                    v.push(format!("http://{host}:{port}"));
                }
            }
            v
        }
    };
    origins.extend(config.cors_allowed_origins.iter().cloned());
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("x-process-time"),
            header::RETRY_AFTER,
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}
