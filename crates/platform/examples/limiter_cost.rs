//! What one rate-limit check costs: the in-process GCRA limiter against the Redis one (one Lua script,
//! one round trip), one caller at a time and 64 at once. Usage (see bench/cluster.sh):
//! `cargo run --release -p pam-platform --example limiter_cost [redis://127.0.0.1:6379] [checks]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use pam_platform::rate_limit::{LocalRateLimiter, Quota, RateLimiter};
use pam_platform::redis::{Redis, RedisRateLimiter, RedisSettings};

/// Checks spread over this many keys (users), each with a quota no run exhausts.
const KEYS: usize = 1000;
const QUOTA: Quota = Quota::per_minute(1_000_000);

/// Runs `checks` checks with `callers` concurrent callers; returns (ns per check, checks per second).
async fn measure(limiter: Arc<dyn RateLimiter>, checks: usize, callers: usize) -> (f64, f64) {
    let keys: Arc<Vec<String>> = Arc::new((0..KEYS).map(|k| format!("user:{k}")).collect());
    let started = Instant::now();
    let tasks = (0..callers).map(|c| {
        let (limiter, keys) = (limiter.clone(), keys.clone());
        tokio::spawn(async move {
            let mut refused = 0usize;
            for i in (c..checks).step_by(callers) {
                if !limiter.check(&keys[i % KEYS], QUOTA).await.allowed {
                    refused += 1;
                }
            }
            refused
        })
    });
    let refused: usize = futures::future::join_all(tasks).await.into_iter().map(|r| r.unwrap_or(0)).sum();
    let elapsed = started.elapsed();
    assert_eq!(refused, 0, "the quota is far above the run");
    (elapsed.as_nanos() as f64 / checks as f64, checks as f64 / elapsed.as_secs_f64())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).cloned().unwrap_or_else(|| "redis://127.0.0.1:6379".into());
    let checks: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let redis = Redis::connect(RedisSettings {
        url,
        key_prefix: format!("pam-bench-{}:", std::process::id()),
        timeout: Duration::from_millis(500),
    })
    .expect("a usable REDIS_URL");
    redis.settled(Duration::from_secs(2)).await;
    if redis.ping().await.is_none() {
        eprintln!("Redis does not answer");
        std::process::exit(1);
    }
    let local: Arc<dyn RateLimiter> = Arc::new(LocalRateLimiter::default());
    let shared: Arc<dyn RateLimiter> = Arc::new(RedisRateLimiter::new(redis.clone()));
    println!("| limiter | callers | ns per check | checks/s |");
    println!("|---|---|---|---|");
    for (name, limiter) in [("in-process", local), ("Redis (Lua GCRA)", shared)] {
        measure(limiter.clone(), checks / 10, 8).await; // warm-up: connections, the script cached
        for callers in [1, 64] {
            let (ns, per_second) = measure(limiter.clone(), checks, callers).await;
            println!("| {name} | {callers} | {ns:.0} | {per_second:.0} |");
        }
    }
    assert_eq!(redis.fallbacks(), 0, "every Redis check was answered by Redis, none served in-process");
}
