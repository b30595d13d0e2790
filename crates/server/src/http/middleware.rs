//! The edge of every request: request id, tracing span, timing, security headers, and the error
//! mapping that turns any non-JSON failure (unknown route, panic, body limit, CORS preflight quirks)
//! into SPEC §2's JSON shape without dropping headers set further in (CORS stays on errors).

use std::convert::Infallible;
use std::net::IpAddr;
use std::panic::AssertUnwindSafe;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::serve::IncomingStream;
use futures::FutureExt;
use futures::future::{BoxFuture, Either};
use pam_web::context::{REQUEST, RequestContext};
use pam_web::error::{AppError, error_body};
use tokio::net::TcpListener;
use tower::Service;
use tracing::Instrument;

use super::cors::preflight;
use super::limits;
use super::response_headers::{finish, request_id_from};
use crate::state::AppState;

/// The whole edge (request id, tracing, CORS, panics, rate limits, idempotency, error mapping, security
/// headers, timing) as one service around the whole router. Written as a service rather than a `from_fn` layer
/// on the router: a router layer is cloned into every request (a boxed-service clone) and its future
/// is boxed twice more; here the router is called in place and the only allocation is our one future.
///
/// One per connection (see [`MakeEdge`]), so it knows the client's address without a per-request
/// extension.
#[derive(Clone)]
pub struct Edge {
    router: Router,
    state: AppState,
    peer: Option<IpAddr>,
}

impl Edge {
    pub fn new(router: Router, state: AppState) -> Edge {
        Edge { router, state, peer: None }
    }

    /// What `axum::serve` calls for each accepted connection.
    pub fn per_connection(self) -> MakeEdge {
        MakeEdge(self)
    }
}

/// Makes the [`Edge`] of each accepted connection.
#[derive(Clone)]
pub struct MakeEdge(Edge);

impl<'a> Service<IncomingStream<'a, TcpListener>> for MakeEdge {
    type Response = Edge;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Edge, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, connection: IncomingStream<'a, TcpListener>) -> Self::Future {
        let mut edge = self.0.clone();
        edge.peer = Some(connection.remote_addr().ip());
        std::future::ready(Ok(edge))
    }
}

impl Service<Request> for Edge {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        <Router as Service<Request>>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let started = Instant::now();
        let request_id = request_id_from(req.headers());
        let docs = req.uri().path() == "/docs" || req.uri().path().starts_with("/docs/");
        let environment = self.state.config.environment;
        let allowed_origin = req.headers().get(header::ORIGIN).filter(|o| self.state.cors.allows(o)).cloned();
        if req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
            let response = preflight(allowed_origin.is_some());
            if crate::metrics::enabled() {
                crate::metrics::http_request(req.method(), None, response.status(), started.elapsed());
            }
            return Box::pin(
                async move { Ok(finish(response, started, request_id, allowed_origin, docs, environment)) },
            );
        }
        let method = req.method().clone();
        let span = tracing::info_span!("http", method = %req.method(), path = %req.uri().path(),
            request_id = request_id.to_str().unwrap_or_default(), user.id = tracing::field::Empty);
        // The routed future is held inline (one allocation per request); only the rare idempotent
        // POST, whose database work makes a large future, gets a box of its own. Calling the router
        // only matches the path: handlers and extractors run when the future is polled, inside the
        // panic guard below.
        let client = limits::client_ip(self.peer, req.headers(), &self.state.config.limits);
        let class = limits::Class::of(req.uri().path());
        let handled = if class != limits::Class::Exempt {
            Either::Left(Box::pin(limits::run(self.state.clone(), class, req, self.router.clone(), client)))
        } else {
            Either::Right(self.router.call(req).map(|routed| routed.unwrap_or_else(|never| match never {})))
        };
        let context = RequestContext { id: request_id.clone(), client };
        let measured = crate::metrics::enabled().then_some(method);
        Box::pin(async move {
            let work = async {
                let response = AssertUnwindSafe(handled).catch_unwind().await.unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned());
                    AppError::Internal(anyhow::anyhow!("handler panicked: {}", what.unwrap_or_default()))
                        .into_response()
                });
                to_json_error(response)
            };
            let response = REQUEST.scope(context, work.instrument(span)).await;
            if let Some(method) = measured {
                let route = response.extensions().get::<axum::extract::MatchedPath>().map(|r| r.as_str());
                crate::metrics::http_request(&method, route, response.status(), started.elapsed());
            }
            Ok(finish(response, started, request_id, allowed_origin, docs, environment))
        })
    }
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
        let context = RequestContext { id: HeaderValue::from_static("req-1"), client: None };
        let mapped = REQUEST.scope(context, async { to_json_error(raw) }).await;
        assert_eq!(mapped.status(), 500);
        assert_eq!(mapped.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:3000", "headers kept");
        let body = axum::body::to_bytes(mapped.into_body(), 1024).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["code"], "internal_error");
        assert_eq!(json["request_id"], "req-1");
        assert!(!json.to_string().contains("password"), "no internal text: {json}");
    }
}
