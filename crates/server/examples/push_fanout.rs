//! WebSocket pushes across instances: two instances of the app in this process on one Postgres and one
//! Redis; N users each hold a socket on instance B; instance A publishes P pushes per user (as it does
//! for a timer whose user it does not hold). Every push travels A → Redis pub/sub → B → the user's
//! socket. Reports pushes delivered per second, publish-to-receive latency p50/p99, and whether every
//! push arrived once. Usage (see bench/cluster.sh):
//! `push_fanout DATABASE_URL REDIS_URL [users] [pushes per user]`

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use pam_server::app;
use pam_server::config::Config;
use pam_server::state::AppState;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

const SECRET: &str = "push-fanout-supabase-secret-0123456789abcdef";
/// Pushes in flight at most (published, not yet received): the publisher's queue holds 10,000.
const WINDOW: usize = 4000;

fn token(sub: Uuid) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": sub.to_string(), "aud": "authenticated", "role": "authenticated", "iat": now,
        "exp": now + 7200, "email": format!("{sub}@fanout.example")});
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes());
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).unwrap_or_default()
}

async fn instance(database_url: &str, redis_url: &str, prefix: &str, dir: &std::path::Path) -> (AppState, String) {
    let vars: HashMap<String, String> = [
        ("DATA_DIR", dir.display().to_string()),
        ("DATABASE_URL", database_url.to_string()),
        ("SECRET_KEY", "push-fanout-secret-key-0123456789abcdef01".to_string()),
        ("SUPABASE_JWT_SECRET", SECRET.to_string()),
        ("REDIS_URL", redis_url.to_string()),
        ("REDIS_KEY_PREFIX", prefix.to_string()),
        ("REDIS_TIMEOUT_MS", "1000".to_string()),
        ("RATE_LIMIT_DEFAULT_PER_MINUTE", "1000000".to_string()),
        ("RATE_LIMIT_PAM_PER_MINUTE", "1000000".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let state = app::build_state(Config::from_vars(vars).expect("config")).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("ws://{}", listener.local_addr().expect("address"));
    let served = state.clone();
    tokio::spawn(async move { app::serve(listener, served, std::future::pending()).await });
    (state, address)
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    let (database_url, redis_url) = (args[1].clone(), args[2].clone());
    let users: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let per_user: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(20);
    let prefix = format!("pam-fanout-{}:", std::process::id());
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, _) = instance(&database_url, &redis_url, &prefix, dir.path()).await;
    let (b, b_address) = instance(&database_url, &redis_url, &prefix, dir.path()).await;
    for state in [&a, &b] {
        let redis = state.redis.as_ref().expect("REDIS_URL");
        assert!(redis.settled(Duration::from_secs(5)).await, "subscribed to Redis");
    }

    let ids: Vec<Uuid> = (0..users).map(|_| Uuid::new_v4()).collect();
    let mut sockets = Vec::with_capacity(users);
    for chunk in ids.chunks(100) {
        let opened = futures::future::join_all(chunk.iter().map(|user| {
            let url = format!("{b_address}/api/v1/pam/ws/{user}?token={}", token(*user));
            async move {
                let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
                while let Some(Ok(m)) = ws.next().await {
                    if let Message::Text(t) = m
                        && serde_json::from_str::<Value>(&t).is_ok_and(|v| v["type"] == "connection")
                    {
                        break;
                    }
                }
                ws
            }
        }))
        .await;
        sockets.extend(opened);
    }
    println!("{users} sockets held by instance B");

    let total = users * per_user;
    let received = Arc::new(AtomicUsize::new(0));
    let epoch = Instant::now();
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut ws| {
            let received = received.clone();
            tokio::spawn(async move {
                let mut got: Vec<(u64, f64)> = Vec::new();
                while got.len() < per_user {
                    match tokio::time::timeout(Duration::from_secs(15), ws.next()).await {
                        Ok(Some(Ok(Message::Text(t)))) => {
                            let Ok(v) = serde_json::from_str::<Value>(&t) else { continue };
                            // "<seq> <sent µs>" in the alert's message (the socket sends only documented fields).
                            let words = v["content"]["message"].as_str().unwrap_or_default();
                            let mut parts = words.split(' ').map(str::parse::<f64>);
                            let (Some(Ok(seq)), Some(Ok(sent))) = (parts.next(), parts.next()) else { continue };
                            let seq = seq as u64;
                            got.push((seq, epoch.elapsed().as_micros() as f64 - sent));
                            received.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(Some(Ok(_))) => {}
                        _ => break,
                    }
                }
                got
            })
        })
        .collect();

    let started = Instant::now();
    let mut published = 0usize;
    for round in 0..per_user {
        for user in &ids {
            while published - received.load(Ordering::Relaxed) >= WINDOW {
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
            let sent_us = epoch.elapsed().as_micros();
            a.pushes.publish(*user, alert(&format!("{round} {sent_us}")));
            published += 1;
        }
    }
    let mut latencies = Vec::with_capacity(total);
    let mut twice = 0usize;
    for reader in readers {
        let got = reader.await.unwrap_or_default();
        let mut seqs: Vec<u64> = got.iter().map(|(s, _)| *s).collect();
        seqs.sort_unstable();
        let before = seqs.len();
        seqs.dedup();
        twice += before - seqs.len();
        latencies.extend(got.into_iter().map(|(_, l)| l / 1000.0));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    let fallbacks = a.redis.as_ref().map_or(0, |r| r.fallbacks()) + b.redis.as_ref().map_or(0, |r| r.fallbacks());
    println!(
        "delivered {} of {total} pushes A → Redis → B in {elapsed:.2} s: {:.0} pushes/s; latency p50 {:.1} ms, p99 {:.1} ms; \
         twice {twice}; Redis fallbacks {fallbacks}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(0.5).copied().unwrap_or(0.0),
        pct(0.99).copied().unwrap_or(0.0),
    );
}

/// A proactive alert as the server sends one, its message carrying the test's numbers.
fn alert(message: &str) -> Value {
    use pam_platform::push_frames::{AlertContent, AlertContentKind, AlertPriority, ProactiveAlert, PushFrame};
    PushFrame::ProactiveAlert(ProactiveAlert {
        id: Uuid::now_v7(),
        timestamp: chrono::Utc::now(),
        content: AlertContent {
            kind: AlertContentKind::ProactiveSuggestion,
            category: "fuel".into(),
            message: message.into(),
            priority: AlertPriority::Low,
            actions: Vec::new(),
            alert_type: "fuel".into(),
        },
    })
    .to_value()
}
