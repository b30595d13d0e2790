//! CORS (SPEC §7): explicit origins per environment plus `CORS_ALLOWED_ORIGINS`, credentials allowed,
//! preflight answered 204 with a day's max-age.

use std::collections::HashSet;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::config::{Config, Environment};

/// Response headers a browser script may read: request tracing, rate-limit state and replays.
const CORS_EXPOSE: HeaderValue = HeaderValue::from_static(
    "x-request-id, x-process-time, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, \
     idempotent-replayed, x-engine, x-cache-hit, x-duration",
);

/// The grant for an allowed origin, on any response (errors included).
pub fn grant(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, CORS_EXPOSE);
}

/// A CORS preflight: 204 with a day's max-age; the grant itself is added only for allowed origins.
pub fn preflight(allowed: bool) -> Response {
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
