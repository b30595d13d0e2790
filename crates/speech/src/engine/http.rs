//! What the HTTP engines (OpenAI-compatible speech and transcription, ElevenLabs) share: their URLs
//! under a configurable base, and how an answer that is not audio becomes an [`EngineError`].

use std::time::Duration;

use futures::StreamExt;
use reqwest::{StatusCode, Url};

use super::{AudioStream, EngineError};

/// The longest cool-down an engine's `Retry-After` may ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// `{base}/v1/{path}`: the base may be a host (`https://api.openai.com`) or already end in `/v1`
/// (`http://127.0.0.1:8000/v1`, as local servers document it); any other path prefix is kept.
pub fn v1_url(base: &str, path: &str) -> Result<Url, String> {
    let base = base.trim().trim_end_matches('/');
    let joined = if base.ends_with("/v1") { format!("{base}/{path}") } else { format!("{base}/v1/{path}") };
    let url = Url::parse(&joined).map_err(|e| format!("bad base URL {base:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("bad base URL {base:?}: not http(s)"));
    }
    Ok(url)
}

/// The first line of an error body, short and printable (it goes to logs and `/tts/status`).
fn excerpt(body: &str) -> String {
    body.lines().next().unwrap_or_default().chars().filter(|c| !c.is_control()).take(160).collect()
}

/// Classifies a non-success answer. Overload, server errors and bad credentials mean the engine is of
/// no use for a while; a 4xx about the request itself means only this request.
pub async fn error_for(response: reqwest::Response) -> EngineError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
    // Only the start of an error body is of use, and a misbehaving server may send without end.
    let body = read_bounded(response, MAX_ERROR_BYTES).await.unwrap_or_default();
    let reason = format!("HTTP {}: {}", status.as_u16(), excerpt(&String::from_utf8_lossy(&body)));
    match status {
        // About this request (its text, voice or recording): the next request may fare better. A 404
        // is not among them: a wrong base path or model name is the server's set-up, so it cools down.
        StatusCode::BAD_REQUEST
        | StatusCode::UNPROCESSABLE_ENTITY
        | StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE => EngineError::Refused(reason),
        _ => EngineError::Down { reason, retry_after },
    }
}

/// The most of an error body read (its first line is all that is kept).
const MAX_ERROR_BYTES: usize = 16 * 1024;
/// The most a JSON answer (a transcription, a voice list) may hold.
pub const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

/// Up to `limit` bytes of a body; `None` past the limit or when the connection fails.
async fn read_bounded(response: reqwest::Response, limit: usize) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.ok()?;
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            return Some(body);
        }
    }
    Some(body)
}

/// A successful JSON answer, bounded, parsed as `T`; a body too large or not `T` means the engine is
/// not answering as it should.
pub async fn read_json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, EngineError> {
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(network_error)?;
        if body.len() + chunk.len() > MAX_JSON_BYTES {
            return Err(EngineError::down("its answer was too large"));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|_| EngineError::down("its answer was not the JSON expected"))
}

/// A request that never got an answer (refused connection, DNS, timeout).
pub fn network_error(error: reqwest::Error) -> EngineError {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    EngineError::down(what)
}

/// The most an engine's answer may hold (a 5000-character reply is a few MB in any format).
pub const MAX_AUDIO_BYTES: usize = 64 * 1024 * 1024;

/// A successful response's whole body, bounded.
pub async fn read_body(response: reqwest::Response) -> Result<Vec<u8>, EngineError> {
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(network_error)?;
        if body.len() + chunk.len() > MAX_AUDIO_BYTES {
            return Err(EngineError::Refused("the audio is too long".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A successful response's body as it arrives.
pub fn body_stream(response: reqwest::Response) -> AudioStream {
    response.bytes_stream().map(|chunk| chunk.map_err(std::io::Error::other)).boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_go_under_v1_once() {
        let cases = [
            ("https://api.openai.com", "https://api.openai.com/v1/audio/speech"),
            ("https://api.openai.com/", "https://api.openai.com/v1/audio/speech"),
            ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/audio/speech"),
            ("http://host/prefix", "http://host/prefix/v1/audio/speech"),
        ];
        for (base, want) in cases {
            assert_eq!(v1_url(base, "audio/speech").unwrap().as_str(), want, "{base}");
        }
        assert!(v1_url("ftp://x", "audio/speech").is_err());
        assert!(v1_url("not a url", "audio/speech").is_err());
    }
}
