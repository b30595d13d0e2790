//! What recording one HTTP request's metrics costs (the counter and the latency histogram the edge
//! records for every request), in nanoseconds per request, with the Prometheus recorder installed and
//! without it. Run: `cargo run --release -p pam-server --example metrics_cost [on|off]` — one process
//! per mode, since a recorder, once installed, stays for the life of the process.

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};

const ROUTES: &[&str] = &["/health", "/api/v1/expenses", "/api/v1/expenses/{id}", "/api/expenses/{user_id}"];

fn main() {
    let on = std::env::args().nth(1).as_deref() != Some("off");
    if on {
        pam_server::metrics::install().expect("the recorder installs");
    }
    let rounds = 2_000_000u32;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        for i in 0..rounds {
            let route = ROUTES[(i % 4) as usize];
            let status = if i % 50 == 0 { StatusCode::NOT_FOUND } else { StatusCode::OK };
            pam_server::metrics::http_request(
                &Method::GET,
                Some(route),
                status,
                Duration::from_micros(u64::from(i % 900)),
            );
        }
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(rounds));
    }
    println!("metrics {}: {best:.1} ns per request recorded (best of 5 × {rounds})", if on { "on" } else { "off" });
    if on {
        let text = pam_server::metrics::install().map(|h| h.render()).unwrap_or_default();
        assert!(text.contains("http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}"), "{text}");
    }
}
