//! Providers that speak a real wire format over HTTP, each with a configurable base URL. Written by
//! hand on reqwest rather than through a generic client: SPEC needs Anthropic's tool_result grouping and
//! `cache_control`, cache token usage, Gemini's schema subset and `thoughtSignature` echo, and exact
//! error classification (429 + retry-after, 529, 5xx) — all visible here and asserted by the fakes.

pub mod anthropic;
pub mod gemini;
pub mod openai;
pub mod sse;

use std::time::Duration;

use crate::provider::ProviderError;

/// Settings every HTTP provider shares.
#[derive(Clone)]
pub struct HttpSettings {
    pub base_url: String,
    pub api_key: String,
    pub model: String,
    /// Deadline for the whole answer of a non-streamed call (and connect + first byte of a streamed one).
    pub timeout: Duration,
}

impl std::fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Sends a JSON request and classifies the failure modes providers share.
pub(crate) async fn post_json(
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<serde_json::Value, ProviderError> {
    let response = match tokio::time::timeout(timeout, request.send()).await {
        Err(_) => return Err(retryable(format!("no answer within {} s", timeout.as_secs_f32()), None)),
        Ok(Err(e)) => return Err(retryable(format!("could not reach the provider: {e}"), None)),
        Ok(Ok(r)) => r,
    };
    let status = response.status();
    let retry_after = retry_after(response.headers());
    let body = match tokio::time::timeout(timeout, response.bytes()).await {
        Err(_) => return Err(retryable("the answer stalled".into(), None)),
        Ok(Err(e)) => return Err(retryable(format!("the answer broke off: {e}"), None)),
        Ok(Ok(b)) => b,
    };
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    if status.is_success() {
        return Ok(json);
    }
    Err(refusal(status, retry_after, &json))
}

/// The `retry-after` header in seconds, if it is a sane number (a provider's `-1`, `NaN` or `inf` is
/// ignored, and a wait is capped at an hour).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds = headers.get("retry-after")?.to_str().ok()?.trim().parse::<f64>().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

/// A provider's non-success answer: 408/409/425/429/5xx (529 included) may succeed elsewhere or later;
/// anything else is the request's own fault.
pub(crate) fn refusal(
    status: reqwest::StatusCode,
    retry_after: Option<Duration>,
    body: &serde_json::Value,
) -> ProviderError {
    let detail = body["error"]["message"]
        .as_str()
        .or_else(|| body["message"].as_str())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error"));
    let message = format!("{} {detail}", status.as_u16());
    match status.as_u16() {
        408 | 409 | 425 | 429 | 500..=599 => retryable(message, retry_after),
        _ => ProviderError::Fatal(message),
    }
}

/// A tool call's arguments as text (streamed or whole): empty is `{}`; broken JSON is passed on as it
/// is, for the tool to refuse with a readable reason.
pub(crate) fn tool_input(arguments: &str) -> serde_json::Value {
    if arguments.trim().is_empty() {
        return serde_json::json!({});
    }
    serde_json::from_str(arguments).unwrap_or_else(|_| serde_json::json!({"_unparsable_arguments": arguments}))
}

fn retryable(message: String, retry_after: Option<Duration>) -> ProviderError {
    ProviderError::Retryable { message, retry_after }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(value: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("retry-after", value.parse().unwrap());
        h
    }

    #[test]
    fn a_nonsense_retry_after_is_ignored_not_a_panic() {
        for bad in ["-1", "NaN", "inf", "-inf", "1e400", "soon"] {
            assert_eq!(retry_after(&header(bad)), None, "{bad}");
        }
        assert_eq!(retry_after(&header("2")), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(&header("0.5")), Some(Duration::from_millis(500)));
        assert_eq!(retry_after(&header("99999999")), Some(Duration::from_secs(3600)));
    }

    #[test]
    fn the_api_key_is_never_printed() {
        let s = HttpSettings {
            base_url: "http://x".into(),
            api_key: "sk-ant-secret".into(),
            model: "m".into(),
            timeout: Duration::from_secs(1),
        };
        assert!(!format!("{s:?}").contains("sk-ant-secret"));
    }
}
