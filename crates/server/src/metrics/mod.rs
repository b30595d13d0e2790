//! Prometheus metrics (SPEC §7): the process-wide recorder, `GET /metrics`, and the names every part
//! of the server records under. Labels are bounded sets — route templates (never raw paths, so no user
//! id reaches a label), model ids from the registry, tool names, job kinds — so the series stay few.
//!
//! Recording goes through the `metrics` facade: with no recorder installed (`METRICS_ENABLED=false`)
//! each call is a check of one global and nothing else.

use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use pam_web::AppError;
use pam_web::auth::bearer_token_from_headers;

use crate::state::AppState;

pub mod route_tag;

pub use route_tag::TagRouteLayer;

/// Latency buckets (seconds) for every `*_seconds` histogram: from a cached read to a slow model call.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder (once; later calls return the same handle). `None` if another
/// recorder was installed first, which only an embedding program could do.
pub fn install() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            #[allow(clippy::expect_used, reason = "BUCKETS is a non-empty constant")]
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .expect("the bucket list is not empty");
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "could not install the metrics recorder; /metrics stays empty");
                    None
                }
            }
        })
        .as_ref()
}

fn handle() -> Option<&'static PrometheusHandle> {
    RECORDER.get().and_then(Option::as_ref)
}

/// Whether this process records metrics (the edge skips its work when not).
pub fn enabled() -> bool {
    handle().is_some()
}

/// `GET /metrics` when metrics are on.
pub fn router(state: &AppState) -> Router<AppState> {
    if !state.config.metrics_enabled {
        return Router::new();
    }
    install();
    Router::new().route("/metrics", axum::routing::get(scrape))
}

/// Drains histogram samples now and then even when nobody scrapes, so memory stays flat.
pub async fn upkeep(until: impl std::future::Future<Output = ()>) {
    let Some(handle) = handle() else { return };
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    tokio::pin!(until);
    loop {
        tokio::select! {
            _ = tick.tick() => handle.run_upkeep(),
            _ = &mut until => return,
        }
    }
}

async fn scrape(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    if let Some(token) = &state.config.metrics_token {
        let given = bearer_token_from_headers(req.headers()).unwrap_or_default();
        if !same_secret(given.as_bytes(), token.expose().as_bytes()) {
            return Err(AppError::Unauthorized("/metrics needs the metrics bearer token".into()));
        }
    }
    let Some(handle) = handle() else {
        return Err(AppError::Unavailable("metrics are not recorded in this process".into()));
    };
    let body = handle.render();
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// Compares without stopping at the first difference, so the time taken says nothing of the token.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// One answered HTTP request. `route` is the matched template (`/api/v1/expenses/{id}`), or a fixed
/// word when nothing matched, so a scan of random paths cannot grow the series.
pub fn http_request(method: &Method, route: Option<&str>, status: StatusCode, elapsed: Duration) {
    if !matches!(RECORDER.get(), Some(Some(_))) {
        return;
    }
    let route = route.unwrap_or("unmatched");
    let (counter, histogram) = http_handles(method_label(method), route, status.as_u16());
    counter.increment(1);
    histogram.record(elapsed.as_secs_f64());
}

/// The counter and histogram of one (method, route, status), resolved once and kept: every request
/// records two series, and building their label sets each time (three strings, the registry's hash of
/// them) was most of what metrics cost a fast route. The sets are bounded (route templates), so is this.
type HttpSeries = (metrics::Counter, metrics::Histogram);
type HttpHandles = std::collections::HashMap<String, Vec<(&'static str, u16, HttpSeries)>>;
static HTTP_HANDLES: OnceLock<std::sync::RwLock<HttpHandles>> = OnceLock::new();

fn http_handles(method: &'static str, route: &str, status: u16) -> HttpSeries {
    let handles = HTTP_HANDLES.get_or_init(Default::default);
    let find = |series: &[(&'static str, u16, HttpSeries)]| {
        series.iter().find(|(m, s, _)| *m == method && *s == status).map(|(_, _, h)| h.clone())
    };
    if let Ok(map) = handles.read()
        && let Some(found) = map.get(route).and_then(|series| find(series))
    {
        return found;
    }
    let made = (
        metrics::counter!("http_requests_total", "method" => method, "route" => route.to_string(),
            "status" => status.to_string()),
        metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route.to_string()),
    );
    if let Ok(mut map) = handles.write() {
        let series = map.entry(route.to_string()).or_default();
        if find(series).is_none() {
            series.push((method, status, made.clone()));
        }
    }
    made
}

/// A request refused by a rate limit (`class`: auth, pam, api, admin, tts, ws_frames, chat).
pub fn rate_limited(class: &'static str) {
    metrics::counter!("pam_rate_limit_rejections_total", "class" => class).increment(1);
}

/// A WebSocket opened (`+1`) or closed (`-1`).
pub fn ws_connection(opened: bool) {
    if opened {
        metrics::counter!("pam_ws_connections_total").increment(1);
        metrics::gauge!("pam_ws_connections").increment(1.0);
    } else {
        metrics::gauge!("pam_ws_connections").decrement(1.0);
    }
}

/// A WebSocket frame received (`in`) or sent (`out`).
pub fn ws_message(direction: &'static str) {
    metrics::counter!("pam_ws_messages_total", "direction" => direction).increment(1);
}

/// One model call as the usage ledger recorded it. The outcome label is the ledger's outcome up to
/// its first `:` (`ok`, `error`, `fallback`), not the error text.
pub fn llm_call(record: &pam_brain::usage::UsageRecord) {
    let model = record.model.clone();
    let outcome = record.outcome.split(':').next().unwrap_or("unknown").trim().to_string();
    metrics::counter!("pam_llm_calls_total", "model" => model.clone(), "outcome" => outcome.clone()).increment(1);
    metrics::histogram!("pam_llm_latency_seconds", "model" => model.clone(), "outcome" => outcome)
        .record(record.latency_ms as f64 / 1000.0);
    let usage = &record.usage;
    for (kind, tokens) in [
        ("input", usage.input_tokens),
        ("output", usage.output_tokens),
        ("cache_read", usage.cache_read_tokens),
        ("cache_write", usage.cache_write_tokens),
    ] {
        if tokens > 0 {
            metrics::counter!("pam_llm_tokens_total", "model" => model.clone(), "kind" => kind).increment(tokens);
        }
    }
    metrics::counter!("pam_llm_cost_micro_usd_total", "model" => model).increment(record.cost_micro_usd);
}

/// One paid speech call, as booked in the ledger.
pub fn speech_usage(usage: &pam_speech::SpeechUsage) {
    metrics::counter!("pam_speech_cost_micro_usd_total", "model" => usage.model.clone())
        .increment(usage.cost_micro_usd);
}

/// One tool run (the chat path and the REST path alike).
pub fn tool_call(tool: &str, outcome: &'static str, elapsed: Duration) {
    metrics::counter!("pam_tool_calls_total", "tool" => tool.to_string(), "outcome" => outcome).increment(1);
    metrics::histogram!("pam_tool_duration_seconds", "tool" => tool.to_string()).record(elapsed.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "OTHER");
    }
}
