//! WebSocket load: N connections (default 1,000), each sending M chat messages (default 10) through the
//! offline brain. Reports messages/s, turn latency p50/p99, errors, and the server's memory per idle
//! connection. The server must accept Supabase HS256 tokens signed with SECRET (SUPABASE_JWT_SECRET).
//! Usage: ws_load URL SECRET SERVER_PID [connections] [messages]   (see bench/ws.sh)

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

fn rss_kb(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn token(secret: &str, sub: uuid::Uuid) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": sub.to_string(), "aud": "authenticated", "role": "authenticated", "iat": now, "exp": now + 3600,
                        "email": format!("{sub}@load.example")});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    let (url, secret, pid) = (args[1].clone(), args[2].clone(), args[3].clone());
    let connections: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let messages: usize = args.get(5).and_then(|a| a.parse().ok()).unwrap_or(10);

    let before = rss_kb(&pid);
    let mut sockets = Vec::with_capacity(connections);
    for chunk in (0..connections).collect::<Vec<_>>().chunks(100) {
        let opened = futures::future::join_all(chunk.iter().map(|_| {
            let (url, secret) = (url.clone(), secret.clone());
            async move {
                let user = uuid::Uuid::new_v4();
                let (mut ws, _) = tokio_tungstenite::connect_async(format!(
                    "{url}/api/v1/pam/ws/{user}?token={}",
                    token(&secret, user)
                ))
                .await
                .expect("connect");
                loop {
                    if let Some(Ok(Message::Text(t))) = ws.next().await {
                        let v: Value = serde_json::from_str(&t).unwrap();
                        assert_eq!(v["type"], "connection", "{v}");
                        break;
                    }
                }
                ws
            }
        }))
        .await;
        sockets.extend(opened);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_kb(&pid);
    println!(
        "connections open: {connections}; server RSS {before} KB → {idle} KB: {:.1} KB per idle connection",
        idle.saturating_sub(before) as f64 / connections as f64
    );

    let started = Instant::now();
    let results = futures::future::join_all(sockets.into_iter().enumerate().map(|(n, mut ws)| async move {
        let mut latencies = Vec::with_capacity(messages);
        let mut errors = 0usize;
        for i in 0..messages {
            let sent = Instant::now();
            let frame = json!({"type": "chat", "message": format!("I spent ${}.{:02} on coffee", i + 1, n % 100), "message_id": format!("{n}-{i}")});
            if ws.send(Message::Text(frame.to_string().into())).await.is_err() {
                errors += 1;
                continue;
            }
            loop {
                match tokio::time::timeout(Duration::from_secs(60), ws.next()).await {
                    Ok(Some(Ok(Message::Text(t)))) => {
                        let v: Value = serde_json::from_str(&t).unwrap_or_default();
                        if v["type"] == "chat_response" {
                            if v["error"] != false { errors += 1; }
                            break;
                        }
                        if v["type"] == "error" { errors += 1; break; }
                    }
                    Ok(Some(Ok(_))) => continue,
                    _ => { errors += 1; break; }
                }
            }
            latencies.push(sent.elapsed());
        }
        (latencies, errors)
    }))
    .await;
    let elapsed = started.elapsed();
    let mut all: Vec<Duration> = results.iter().flat_map(|(l, _)| l.iter().copied()).collect();
    let errors: usize = results.iter().map(|(_, e)| e).sum();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default()
    };
    println!(
        "messages: {} in {:.1} s = {:.0} messages/s; turn latency p50 {:.1} ms, p99 {:.1} ms; errors {errors}",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
}
