//! Timers at scale: N connected users (default 1,000) each set T timers (default 10) that all go off in
//! the same minute; every `timer_expired` frame is collected. Reports whether every timer arrived, how
//! many arrived twice, lateness p50/p99/max (arrival minus the time it was due), and the server's peak
//! memory. The server must accept Supabase HS256 tokens signed with SECRET (SUPABASE_JWT_SECRET).
//! Usage: timers_load URL SECRET SERVER_PID [users] [timers]   (see bench/timers.sh)

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

fn status_kb(pid: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn token(secret: &str, sub: uuid::Uuid) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({"sub": sub.to_string(), "aud": "authenticated", "role": "authenticated", "iat": now,
        "exp": now + 7200, "email": format!("{sub}@load.example")});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    let (base, secret, pid) = (args[1].clone(), args[2].clone(), args[3].clone());
    let users: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let per_user: usize = args.get(5).and_then(|a| a.parse().ok()).unwrap_or(10);
    let http = reqwest::Client::new();
    let ws_base = base.replace("http://", "ws://");

    // Connect everyone first.
    let ids: Vec<uuid::Uuid> = (0..users).map(|_| uuid::Uuid::new_v4()).collect();
    let mut sockets = Vec::with_capacity(users);
    for chunk in ids.chunks(100) {
        let opened = futures::future::join_all(chunk.iter().map(|user| {
            let (url, tok) =
                (format!("{ws_base}/api/v1/pam/ws/{user}?token={}", token(&secret, *user)), token(&secret, *user));
            async move {
                let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
                while let Some(Ok(m)) = ws.next().await {
                    if let Message::Text(t) = m
                        && serde_json::from_str::<Value>(&t).is_ok_and(|v| v["type"] == "connection")
                    {
                        break;
                    }
                }
                (ws, tok)
            }
        }))
        .await;
        sockets.extend(opened);
    }
    println!("{users} sockets connected");

    // Every timer goes off within one minute, starting 90 s from now (time to create them all).
    let minute = Utc::now() + chrono::Duration::seconds(90);
    let mut due: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut created = 0usize;
    for (chunk_no, chunk) in sockets.chunks(50).enumerate() {
        let made = futures::future::join_all(chunk.iter().enumerate().map(|(k, (_, tok))| {
            let http = http.clone();
            let base = base.clone();
            let tok = tok.clone();
            async move {
                let mut out = Vec::new();
                for t in 0..per_user {
                    let spread = ((chunk_no * 50 + k) * per_user + t) % 60;
                    let fire = minute + chrono::Duration::seconds(spread as i64);
                    let secs = (fire - Utc::now()).num_seconds().max(1);
                    let res = http
                        .post(format!("{base}/api/v1/timers"))
                        .bearer_auth(&tok)
                        .json(&json!({"duration_seconds": secs, "label": format!("load {t}")}))
                        .send()
                        .await;
                    if let Ok(r) = res
                        && let Ok(v) = r.json::<Value>().await
                        && let (Some(id), Some(at)) = (v["id"].as_str(), v["fires_at"].as_str())
                        && let Ok(at) = DateTime::parse_from_rfc3339(at)
                    {
                        out.push((id.to_string(), at.with_timezone(&Utc)));
                    }
                }
                out
            }
        }))
        .await;
        for list in made {
            created += list.len();
            due.extend(list);
        }
    }
    println!("{created} timers created (asked for {})", users * per_user);

    // Collect until a minute after the last one was due.
    let until = minute + chrono::Duration::seconds(60 + 30);
    let wait = (until - Utc::now()).to_std().unwrap_or(Duration::from_secs(1));
    let got = futures::future::join_all(sockets.into_iter().map(|(mut ws, _)| async move {
        let mut frames = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(Ok(m))) = tokio::time::timeout_at(deadline, ws.next()).await {
            if let Message::Text(t) = m
                && let Ok(v) = serde_json::from_str::<Value>(&t)
                && v["type"] == "timer_expired"
            {
                frames.push((v["timer_id"].as_str().unwrap_or_default().to_string(), Utc::now()));
            }
        }
        frames
    }))
    .await;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut late: Vec<f64> = Vec::new();
    for (id, at) in got.into_iter().flatten() {
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        if *n == 1
            && let Some(due_at) = due.get(&id)
        {
            late.push((at - *due_at).num_milliseconds() as f64 / 1000.0);
        }
    }
    late.sort_by(f64::total_cmp);
    let pct =
        |p: f64| late.get(((late.len() as f64 * p) as usize).min(late.len().saturating_sub(1))).copied().unwrap_or(0.0);
    let missing = due.keys().filter(|id| !seen.contains_key(*id)).count();
    let twice = seen.values().filter(|n| **n > 1).count();
    println!(
        "delivered {} of {created}; missing {missing}; delivered twice {twice}; lateness p50 {:.2} s, p99 {:.2} s, max {:.2} s; \
         server peak RSS {:.1} MB",
        seen.len(),
        pct(0.5),
        pct(0.99),
        late.last().copied().unwrap_or(0.0),
        status_kb(&pid, "VmHWM") as f64 / 1024.0
    );
}
