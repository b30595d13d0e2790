//! Server-sent events over a reqwest body, with first-byte and idle deadlines.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;

use super::retryable;
use crate::provider::ProviderError;

#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

/// Parses complete events out of `buffer`, leaving any partial event in it.
pub fn drain_events(buffer: &mut String) -> Vec<SseEvent> {
    let mut events = Vec::new();
    loop {
        let normalized = buffer.replace("\r\n", "\n");
        if normalized.len() != buffer.len() {
            *buffer = normalized;
        }
        let Some(end) = buffer.find("\n\n") else { break };
        let raw: String = buffer.drain(..end + 2).collect();
        let mut event = None;
        let mut data = Vec::new();
        for line in raw.lines() {
            if let Some(v) = line.strip_prefix("event:") {
                event = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
            }
        }
        if event.is_some() || !data.is_empty() {
            events.push(SseEvent { event, data: data.join("\n") });
        }
    }
    events
}

/// Sends a streamed request; the first chunk must come within `first`, later ones within `idle`.
/// Errors before the first chunk are `ProviderError`s (another model may answer); later ones are
/// yielded as `Err` items so the caller can report them without a second answer.
pub async fn open(
    request: reqwest::RequestBuilder,
    first: Duration,
    idle: Duration,
) -> Result<BoxStream<'static, Result<SseEvent, String>>, ProviderError> {
    let response = match tokio::time::timeout(first, request.send()).await {
        Err(_) => return Err(retryable(format!("no answer within {} s", first.as_secs_f32()), None)),
        Ok(Err(e)) => return Err(retryable(format!("could not reach the provider: {e}"), None)),
        Ok(Ok(r)) => r,
    };
    let status = response.status();
    if !status.is_success() {
        let retry_after = super::retry_after(response.headers());
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        return Err(super::refusal(status, retry_after, &body));
    }
    let mut bytes = response.bytes_stream();
    // The first chunk must arrive within the first-token deadline.
    let first_chunk = match tokio::time::timeout(first, bytes.next()).await {
        Err(_) => return Err(retryable(format!("no first token within {} s", first.as_secs_f32()), None)),
        Ok(None) => return Err(retryable("the stream ended before it began".into(), None)),
        Ok(Some(Err(e))) => return Err(retryable(format!("the stream broke: {e}"), None)),
        Ok(Some(Ok(chunk))) => chunk,
    };
    let stream = async_stream(first_chunk, bytes, idle);
    Ok(stream)
}

fn async_stream(
    first_chunk: bytes::Bytes,
    bytes: impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send + 'static,
    idle: Duration,
) -> BoxStream<'static, Result<SseEvent, String>> {
    struct State<S> {
        bytes: S,
        buffer: String,
        pending: std::collections::VecDeque<SseEvent>,
        done: bool,
    }
    let mut buffer = String::from_utf8_lossy(&first_chunk).into_owned();
    let pending = drain_events(&mut buffer).into();
    let state = State { bytes: Box::pin(bytes), buffer, pending, done: false };
    futures::stream::unfold(state, move |mut s| async move {
        loop {
            if let Some(e) = s.pending.pop_front() {
                return Some((Ok(e), s));
            }
            if s.done {
                return None;
            }
            match tokio::time::timeout(idle, s.bytes.next()).await {
                Err(_) => {
                    s.done = true;
                    return Some((Err(format!("the stream stalled for {} s", idle.as_secs_f32())), s));
                }
                Ok(None) => {
                    s.done = true;
                    s.buffer.push_str("\n\n");
                    s.pending.extend(drain_events(&mut s.buffer));
                }
                Ok(Some(Err(e))) => {
                    s.done = true;
                    return Some((Err(format!("the stream broke: {e}")), s));
                }
                Ok(Some(Ok(chunk))) => {
                    s.buffer.push_str(&String::from_utf8_lossy(&chunk));
                    s.pending.extend(drain_events(&mut s.buffer));
                }
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_split_across_chunks() {
        let mut buf = String::from("event: a\ndata: {\"x\":1}\n\nevent: b\ndata: par");
        let events = drain_events(&mut buf);
        assert_eq!(events, vec![SseEvent { event: Some("a".into()), data: "{\"x\":1}".into() }]);
        buf.push_str("tial\r\n\r\n");
        assert_eq!(drain_events(&mut buf), vec![SseEvent { event: Some("b".into()), data: "partial".into() }]);
        assert!(buf.is_empty());
    }
}
