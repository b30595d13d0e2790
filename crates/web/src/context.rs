//! What the edge knows about the request in flight (its id, the client's address), for code that has
//! no `Request` at hand: error bodies carry the id, rate limits key on the address.
//!
//! A task-local rather than request extensions: the edge sets it once around the whole request, and
//! inserting into the extensions map on every request (as `ConnectInfo` does) costs a map insert and a
//! rehash that most requests never read.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::request::Parts;

use crate::error::AppError;

#[derive(Clone)]
pub struct RequestContext {
    /// The `X-Request-ID` of this request, kept as the header value: cloning it is a reference-count
    /// increment, not a copy.
    pub id: HeaderValue,
    /// The client's address: the connection's peer, or — when that peer is a trusted proxy — the
    /// address it names in `X-Forwarded-For` (absent only when the app is driven without a socket).
    pub client: Option<IpAddr>,
}

tokio::task_local! {
    pub static REQUEST: RequestContext;
}

pub fn current_request_id() -> Option<String> {
    REQUEST.try_with(|r| r.id.to_str().unwrap_or_default().to_string()).ok()
}

/// The client's address, as an extractor.
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        REQUEST
            .try_with(|r| r.client)
            .ok()
            .flatten()
            .map(ClientAddr)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the client address is unknown outside the edge")))
    }
}

/// Spawns work that must outlive the request's own future (a client may disconnect; the work must not
/// stop halfway) while keeping what the request knew: its id (for error bodies and logs), the client's
/// address, and the tracing span. The work is tracked, so shutdown can wait for it to finish.
pub fn spawn_detached<F>(tasks: &tokio_util::task::TaskTracker, work: F) -> tokio::task::JoinHandle<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    use tracing::Instrument;
    let work = work.instrument(tracing::Span::current());
    match REQUEST.try_with(Clone::clone) {
        Ok(context) => tasks.spawn(REQUEST.scope(context, work)),
        Err(_) => tasks.spawn(work),
    }
}
