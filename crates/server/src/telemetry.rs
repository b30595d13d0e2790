//! Logs: readable lines in development, one JSON object per event in production, each carrying the
//! spans it happened in (the request id and, once known, the user id). What gets logged is kept free of
//! secrets at the source: tokens, passwords and keys are never put in a field, and `Secret` prints as
//! `[redacted]`; `tests/logs.rs` holds every level to that.

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::{Config, Environment};

/// The filter when `RUST_LOG` does not say: `info`, or `debug` with `DEBUG=true`.
pub fn default_filter(config: Option<&Config>) -> EnvFilter {
    let default = if config.is_some_and(|c| c.debug) { "debug,sqlx=info,hyper=info" } else { "info,sqlx=warn" };
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default))
}

/// The production format: JSON lines with the current span and the span list (request id, user id).
/// `span_events` adds lines when spans open and close (tests use it to see every span field).
pub fn json_subscriber<W>(filter: EnvFilter, writer: W, span_events: FmtSpan) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_span_events(span_events)
        .with_writer(writer)
        .finish()
}

/// Installs the process's logger (`main` only; tests install their own).
pub fn init(config: Option<&Config>) {
    let filter = default_filter(config);
    if config.is_some_and(|c| c.environment == Environment::Production) {
        let _ = tracing::subscriber::set_global_default(json_subscriber(filter, std::io::stdout, FmtSpan::NONE));
    } else {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
    }
}
