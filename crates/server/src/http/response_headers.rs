//! What every response carries (SPEC §2 and §7): `X-Request-ID`, `X-Process-Time`, the security
//! headers and `Vary: origin`, with the CORS grant when the origin is allowed. Written for the hot
//! path: static header values, the map grown once, numbers written digit by digit.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

use super::cors;
use crate::config::Environment;

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
pub fn request_id_from(headers: &HeaderMap) -> HeaderValue {
    let sane = |v: &&HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty() && b.len() <= 128 && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
    };
    match headers.get(&REQUEST_ID_HEADER).filter(sane) {
        Some(v) => v.clone(),
        None => {
            let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
            let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buf);
            #[allow(clippy::expect_used, reason = "a hyphenated UUID is ASCII hex and dashes, always a header value")]
            HeaderValue::from_str(text).expect("a UUID is a valid header value")
        }
    }
}

/// Milliseconds with three decimals (`12.345`), written digit by digit: `write!` cost more than
/// everything else this header needs.
fn process_time(elapsed: std::time::Duration) -> HeaderValue {
    let mut micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    // u64::MAX has 20 digits; with the point that is 21 bytes.
    let mut text = [0u8; 24];
    let mut start = text.len();
    let mut written = 0;
    while written < 4 || micros > 0 {
        if written == 3 {
            start -= 1;
            text[start] = b'.';
        }
        start -= 1;
        text[start] = b'0' + (micros % 10) as u8;
        micros /= 10;
        written += 1;
    }
    HeaderValue::from_bytes(&text[start..]).unwrap_or(HeaderValue::from_static("0"))
}

/// The headers every response carries, added last so nothing further in can drop them: ours win over
/// a handler's header of the same name, except `Vary`, which collects both; the handler's other headers
/// are kept.
pub fn finish(
    mut response: Response,
    started: Instant,
    request_id: HeaderValue,
    allowed_origin: Option<HeaderValue>,
    docs: bool,
    environment: Environment,
) -> Response {
    let elapsed = started.elapsed();
    let status = response.status();
    let headers = response.headers_mut();
    // Room for all of ours at once: the handler's map is sized for its own two or three, and growing
    // it header by header would rehash it several times per response.
    let production = environment == Environment::Production;
    headers.reserve(9 + usize::from(production) + if allowed_origin.is_some() { 3 } else { 0 });
    for (name, value) in [NOSNIFF, FRAME_OPTIONS, REFERRER, PERMISSIONS, (CSP, if docs { CSP_DOCS } else { CSP_API })] {
        headers.insert(name, value);
    }
    if production {
        headers.insert(HSTS.0, HSTS.1);
    }
    if let Some(origin) = allowed_origin {
        cors::grant(headers, origin);
    }
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    headers.insert(PROCESS_TIME, process_time(elapsed));
    if status.is_server_error() {
        tracing::warn!(
            status = status.as_u16(),
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            request_id = request_id.to_str().unwrap_or_default(),
            "request failed"
        );
    }
    headers.insert(REQUEST_ID_HEADER, request_id);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;
    use std::time::Duration;

    #[test]
    fn edge_headers_win_and_the_handlers_others_are_kept() {
        let mut response = "ok".into_response();
        let headers = response.headers_mut();
        headers.insert(CSP, HeaderValue::from_static("default-src *"));
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("from-the-handler"));
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.append(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        headers.append(header::SET_COOKIE, HeaderValue::from_static("b=2"));
        let response =
            finish(response, Instant::now(), HeaderValue::from_static("req-1"), None, false, Environment::Production);

        let headers = response.headers();
        assert_eq!(headers[CSP], CSP_API, "our security headers win");
        assert_eq!(headers[REQUEST_ID_HEADER], "req-1");
        assert_eq!(headers[HSTS.0], HSTS.1, "production adds HSTS");
        let vary: Vec<_> = headers.get_all(header::VARY).iter().collect();
        assert_eq!(vary, ["accept-encoding", "origin"], "Vary collects both");
        let cookies: Vec<_> = headers.get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(cookies, ["a=1", "b=2"], "every value of the handler's own headers is kept");
        assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
        assert!(headers.contains_key(PROCESS_TIME));
    }

    #[test]
    fn process_time_is_milliseconds_with_three_decimals() {
        for (micros, text) in [(0, "0.000"), (7, "0.007"), (999, "0.999"), (1_234, "1.234"), (12_345_678, "12345.678")]
        {
            assert_eq!(process_time(Duration::from_micros(micros)), text, "{micros} µs");
        }
        assert_eq!(process_time(Duration::MAX), "18446744073709551.615", "saturates instead of failing");
    }
}
