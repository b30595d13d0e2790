//! The HTTP exchange every client shares: send with the endpoint's timeout, turn 429 and 5xx into
//! typed errors, read at most a bounded body, parse JSON without trusting it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::ProviderError;
use crate::source::Source;

/// Longest wait a Retry-After can ask for. Beyond this we report the limit and let the caller decide;
/// a provider asking for hours is misconfigured or mis-sent, and no traveller waits that long.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// Largest body read: the biggest documented answers (50 RIDB facilities with descriptions, a 16-day
/// forecast) are well under 1 MB; more is not an answer we asked for.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Provider messages kept in [`ProviderError::Rejected`].
const MAX_REASON_CHARS: usize = 200;

/// A response that was not 429 or 5xx, with its body read.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
}

/// Sends `request` with `timeout` as the deadline for the whole exchange, body included, in a
/// `provider.call` span. Failures are logged at debug only: whoever handles the error (a fallback, or
/// the domain answering 503) logs it once.
pub(crate) async fn fetch(source: Source, request: RequestBuilder, timeout: Duration) -> Result<Answer, ProviderError> {
    let span = tracing::info_span!("provider.call", provider = source.as_str());
    exchange(source, request, timeout).instrument(span).await
}

async fn exchange(source: Source, request: RequestBuilder, timeout: Duration) -> Result<Answer, ProviderError> {
    let mut response = request.timeout(timeout).send().await.map_err(|e| transport_error(&e))?;
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        let retry_after = retry_after(response.headers(), Utc::now());
        tracing::debug!(provider = %source, ?retry_after, "provider rate limit reached");
        return Err(ProviderError::RateLimited { retry_after });
    }
    if status.is_server_error() {
        tracing::debug!(provider = %source, status = status.as_u16(), "provider failed");
        return Err(ProviderError::Upstream(status.as_u16()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ProviderError::Malformed(format!("body larger than {MAX_BODY_BYTES} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer { status, body })
}

fn transport_error(error: &reqwest::Error) -> ProviderError {
    if error.is_timeout() {
        return ProviderError::Timeout;
    }
    // Without the URL: some keys (Tankerkönig's) travel in the query string.
    tracing::debug!(error = %error_without_url(error), "provider unreachable");
    ProviderError::Unreachable
}

fn error_without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}

/// The wait a 429 asked for: delay-seconds or an HTTP date, at most [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else if let Ok(seconds) = value.parse::<f64>() {
        // Not in the RFC, but some services send "1.5"; negative or absurd values are not a wait.
        Duration::try_from_secs_f64(seconds).ok()?
    } else {
        let at = DateTime::parse_from_rfc2822(value).ok()?.with_timezone(&Utc);
        (at - now).to_std().unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The body of a 2xx answer, or [`ProviderError::Rejected`] with the provider's message.
pub(crate) fn success_body(answer: Answer) -> Result<Vec<u8>, ProviderError> {
    if answer.status.is_success() { Ok(answer.body) } else { Err(rejected(answer.status.as_u16(), &answer.body)) }
}

/// A refusal, with the message from a JSON body's `reason`, `message` or `error` field when there is one.
pub(crate) fn rejected(status: u16, body: &[u8]) -> ProviderError {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let message = json.as_ref().and_then(|v| {
        ["reason", "message", "error", "detail"].iter().find_map(|field| match v.get(field) {
            Some(serde_json::Value::String(text)) => Some(text.clone()),
            Some(serde_json::Value::Object(inner)) => inner.get("message").and_then(|m| m.as_str()).map(str::to_string),
            _ => None,
        })
    });
    let reason = message.unwrap_or_else(|| {
        StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("refused").to_string()
    });
    ProviderError::Rejected { status, reason: cut(&reason) }
}

pub(crate) fn cut(text: &str) -> String {
    text.chars().take(MAX_REASON_CHARS).collect()
}

/// Parses a JSON body into the wire type; any mismatch is [`ProviderError::Malformed`].
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ProviderError> {
    serde_json::from_slice(body).map_err(|e| ProviderError::Malformed(cut(&e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_clamps() {
        let now = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(retry_after(&headers("7"), now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers("1.5"), now), Some(Duration::from_millis(1500)));
        assert_eq!(retry_after(&headers("Wed, 01 Jan 2025 00:00:30 GMT"), now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after(&headers("Tue, 31 Dec 2024 23:00:00 GMT"), now), Some(Duration::ZERO), "past");
        assert_eq!(retry_after(&headers("86400"), now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after(&headers("-5"), now), None);
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn refusals_carry_the_providers_message_cut_short() {
        let body = br#"{"error":true,"reason":"Parameter 'latitude' is out of range"}"#;
        assert_eq!(
            rejected(400, body),
            ProviderError::Rejected { status: 400, reason: "Parameter 'latitude' is out of range".into() }
        );
        assert_eq!(
            rejected(401, b"<html>no</html>"),
            ProviderError::Rejected { status: 401, reason: "Unauthorized".into() }
        );
        let long = format!(r#"{{"message":"{}"}}"#, "x".repeat(5000));
        match rejected(403, long.as_bytes()) {
            ProviderError::Rejected { reason, .. } => assert_eq!(reason.len(), MAX_REASON_CHARS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_json_is_malformed() {
        #[derive(serde::Deserialize, Debug)]
        struct Wire {
            #[allow(dead_code)]
            code: String,
        }
        assert!(matches!(parse_json::<Wire>(b"{\"code\":"), Err(ProviderError::Malformed(_))));
        assert!(matches!(parse_json::<Wire>(b"{\"code\":5}"), Err(ProviderError::Malformed(_))));
        assert!(parse_json::<Wire>(b"{\"code\":\"Ok\"}").is_ok());
    }
}
