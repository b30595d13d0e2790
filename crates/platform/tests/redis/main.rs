//! The Redis services against a real Redis (`PAM_TEST_REDIS_URL`; skipped locally without one, failed
//! in CI): the Lua GCRA decides as the in-process limiter does, instances on one Redis share a count,
//! invalidations and pushes reach every instance, and when Redis is unreachable or goes away
//! everything is served in-process, then shared again once it is back. Each test has its own key
//! prefix, so tests never see each other's keys or messages.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pam_platform::cache::Cache;
use pam_platform::push::{PushBus, PushSink};
use pam_platform::rate_limit::{Decision, LocalRateLimiter, Quota, RateLimiter};
use pam_platform::redis::{Redis, RedisInvalidations, RedisPushBus, RedisRateLimiter, RedisSettings};
use pam_testkit::{redis_for, redis_prefix};
use serde_json::{Value, json};
use uuid::Uuid;

mod jobs;
use pam_testkit::redis_proxy as proxy;

fn connect(url: &str, prefix: &str) -> Redis {
    let settings =
        RedisSettings { url: url.to_string(), key_prefix: prefix.to_string(), timeout: Duration::from_millis(500) };
    Redis::connect(settings).expect("a usable Redis URL")
}

/// An instance whose subscription is live before the test goes on.
async fn instance(url: &str, prefix: &str) -> Redis {
    let redis = connect(url, prefix);
    assert!(redis.settled(Duration::from_secs(5)).await, "subscribed to {url}");
    redis
}

/// Polls `done` until it holds or `within` has passed; returns whether it held.
async fn eventually(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done()
}

fn close(a: Duration, b: Duration) -> bool {
    a.abs_diff(b) <= Duration::from_millis(50)
}

fn same(step: &str, shared: Decision, local: Decision) {
    assert_eq!(
        (shared.allowed, shared.limit, shared.remaining),
        (local.allowed, local.limit, local.remaining),
        "{step}: redis {shared:?}, local {local:?}"
    );
    assert!(close(shared.retry_after, local.retry_after), "{step}: retry-after {shared:?} vs {local:?}");
    assert!(close(shared.reset, local.reset), "{step}: reset {shared:?} vs {local:?}");
}

#[tokio::test]
async fn the_lua_gcra_decides_as_the_local_limiter_does() {
    let Some(url) = redis_for("platform::redis::the_lua_gcra_decides_as_the_local_limiter_does") else { return };
    let redis = connect(&url, &redis_prefix());
    let shared = RedisRateLimiter::new(redis.clone());
    let local = LocalRateLimiter::default();
    let quotas = [Quota::per_minute(5), Quota::per_minute(7), Quota { limit: 3, period: Duration::from_millis(900) }];
    for quota in quotas {
        let key = format!("user:{}", quota.limit);
        // Look, take the whole burst and one more, look again.
        let steps = [false, true, true, true, true, true, true, true, true, false];
        for (i, consume) in steps.into_iter().enumerate() {
            let step = format!("{quota:?} step {i} ({})", if consume { "check" } else { "peek" });
            if consume {
                same(&step, shared.check(&key, quota).await, local.check_now(&key, quota));
            } else {
                same(&step, shared.peek(&key, quota).await, local.peek_now(&key, quota));
            }
        }
    }
    // Capacity comes back with time on Redis's clock as on ours.
    let quota = Quota { limit: 3, period: Duration::from_millis(900) };
    tokio::time::sleep(Duration::from_millis(350)).await;
    same("after one interval", shared.check("user:3", quota).await, local.check_now("user:3", quota));
    assert_eq!(redis.fallbacks(), 0, "every decision came from Redis");
}

#[tokio::test]
async fn two_instances_on_one_redis_share_one_count_and_idle_keys_expire() {
    let Some(url) = redis_for("platform::redis::two_instances_on_one_redis_share_one_count") else { return };
    let prefix = redis_prefix();
    let a = RedisRateLimiter::new(connect(&url, &prefix));
    let b = RedisRateLimiter::new(connect(&url, &prefix));
    let quota = Quota::per_minute(4);
    for i in 0..4u32 {
        let on = if i % 2 == 0 { &a } else { &b };
        let d = on.check("ip:203.0.113.7", quota).await;
        assert!(d.allowed, "request {i}");
        assert_eq!(d.remaining, 3 - i, "request {i} counts what the other instance took");
    }
    let refused = b.check("ip:203.0.113.7", quota).await;
    assert!(!refused.allowed && refused.retry_after > Duration::from_secs(10), "{refused:?}");
    assert!(!a.check("ip:203.0.113.7", quota).await.allowed);
    let elsewhere = RedisRateLimiter::new(connect(&url, &redis_prefix()));
    assert!(elsewhere.check("ip:203.0.113.7", quota).await.allowed, "another prefix (deployment) counts apart");

    // The key lives only as long as it means something: until its arrival time has passed.
    let mut raw = redis::Client::open(url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL").arg(format!("{prefix}rl:ip:203.0.113.7")).query_async(&mut raw).await.unwrap();
    assert!(ttl > 45_000 && ttl <= 60_000, "four of four used: expires within the period, got {ttl} ms");
}

#[tokio::test]
async fn an_invalidation_on_one_instance_drops_the_entry_on_every_instance() {
    let Some(url) = redis_for("platform::redis::an_invalidation_on_one_instance_drops_the_entry") else { return };
    let prefix = redis_prefix();
    let (a, b) = (instance(&url, &prefix).await, instance(&url, &prefix).await);
    let cache = |redis: &Redis, name| -> Cache<u32> {
        Cache::new(name, 100, Duration::from_secs(60), Arc::new(RedisInvalidations::new(redis.clone())))
    };
    let (on_a, on_b, identities_on_b) = (cache(&a, "profile"), cache(&b, "profile"), cache(&b, "identity"));
    let key = Uuid::now_v7();
    on_a.insert(key, 1, on_a.mark());
    on_b.insert(key, 1, on_b.mark());
    identities_on_b.insert(key, 7, identities_on_b.mark());
    on_a.invalidate(&key);
    assert!(eventually(Duration::from_secs(1), || on_b.get(&key).is_none()).await, "the other instance dropped it");
    assert_eq!(identities_on_b.get(&key), Some(7), "only the named cache");

    // Garbage on the channel changes nothing; a "drop everything" empties every cache.
    let mut raw = redis::Client::open(url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let channel = format!("{prefix}invalidate");
    for garbage in ["profile:not-a-uuid", "", "\u{0}"] {
        let _: i64 = redis::cmd("PUBLISH").arg(channel.as_str()).arg(garbage).query_async(&mut raw).await.unwrap();
    }
    let _: i64 = redis::cmd("PUBLISH").arg(channel.as_str()).arg("*").query_async(&mut raw).await.unwrap();
    assert!(eventually(Duration::from_secs(1), || identities_on_b.get(&key).is_none()).await);
    assert_eq!(a.fallbacks() + b.fallbacks(), 0);
}

/// A WebSocket hub stand-in that records what it was handed.
#[derive(Default)]
struct Recorder(Mutex<Vec<(Uuid, Value)>>);

impl Recorder {
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl PushSink for Recorder {
    fn deliver(&self, user_id: Uuid, frame: &Value) -> usize {
        self.0.lock().unwrap().push((user_id, frame.clone()));
        1
    }
}

#[tokio::test]
async fn a_push_published_on_one_instance_reaches_every_instance_once() {
    let Some(url) = redis_for("platform::redis::a_push_published_on_one_instance_reaches_every_instance") else {
        return;
    };
    let prefix = redis_prefix();
    let (a, b) = (instance(&url, &prefix).await, instance(&url, &prefix).await);
    let (hub_a, hub_b) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let (bus_a, bus_b) = (RedisPushBus::new(a.clone()), RedisPushBus::new(b.clone()));
    bus_a.attach(hub_a.clone());
    bus_b.attach(hub_b.clone());
    let user = Uuid::now_v7();
    let frame = json!({"type": "timer_expired", "id": "t1", "content": {"label": "kettle"}});
    bus_a.publish(user, frame.clone());
    assert!(eventually(Duration::from_secs(1), || hub_a.count() == 1 && hub_b.count() == 1).await);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!((hub_a.count(), hub_b.count()), (1, 1), "once on each instance");
    assert_eq!(hub_b.0.lock().unwrap()[0], (user, frame));
}

#[tokio::test]
async fn an_unreachable_redis_is_served_in_process() {
    // Nothing listens on port 1: every call fails at once, as when Redis is down.
    let redis = connect("redis://127.0.0.1:1", &redis_prefix());
    assert!(!redis.settled(Duration::from_secs(5)).await, "nothing to subscribe to");
    let limiter = RedisRateLimiter::new(redis.clone());
    let quota = Quota::per_minute(3);
    let started = Instant::now();
    for i in 0..3 {
        assert!(limiter.check("ip:198.51.100.2", quota).await.allowed, "request {i}");
    }
    let refused = limiter.check("ip:198.51.100.2", quota).await;
    assert!(!refused.allowed, "the in-process limiter still limits");
    for _ in 0..50 {
        limiter.peek("ip:198.51.100.2", quota).await;
    }
    assert!(started.elapsed() < Duration::from_secs(3), "an outage costs requests no waiting");
    assert!(redis.is_down());
    assert!(redis.fallbacks() >= 54, "each fallback counted: {}", redis.fallbacks());

    // Nobody could tell this instance of a write elsewhere, so its caches are bypassed rather than
    // stale; writes still invalidate without error. Pushes reach this instance's sockets.
    let cache: Cache<u32> =
        Cache::new("profile", 10, Duration::from_secs(60), Arc::new(RedisInvalidations::new(redis.clone())));
    let key = Uuid::now_v7();
    cache.insert(key, 1, cache.mark());
    assert_eq!(cache.get(&key), None, "an outage degrades to no cache");
    cache.invalidate(&key);
    let pushes = RedisPushBus::new(redis.clone());
    let hub = Arc::new(Recorder::default());
    pushes.attach(hub.clone());
    pushes.publish(Uuid::now_v7(), json!({"type": "proactive_alert"}));
    assert!(eventually(Duration::from_secs(1), || hub.count() == 1).await, "delivered here");
}

#[tokio::test]
async fn shared_limits_resume_by_themselves_after_an_outage() {
    let Some(url) = redis_for("platform::redis::shared_limits_resume_by_themselves_after_an_outage") else { return };
    let prefix = redis_prefix();
    let mut proxy = proxy::Proxy::start(&url).await;
    let through_proxy = instance(&proxy.url(&url), &prefix).await;
    let proxied = RedisRateLimiter::new(through_proxy.clone());
    let direct = RedisRateLimiter::new(connect(&url, &prefix));
    let one = Quota::per_minute(1);
    let shared = |n: u32| {
        let key = format!("k{n}");
        let (proxied, direct) = (&proxied, &direct);
        async move { proxied.check(&key, one).await.allowed && !direct.check(&key, one).await.allowed }
    };
    assert!(shared(0).await, "one count while Redis answers");

    proxy.stop().await;
    let before = through_proxy.fallbacks();
    assert!(proxied.check("alone", one).await.allowed, "served in-process");
    assert!(!proxied.check("alone", one).await.allowed, "and still limited");
    assert!(through_proxy.fallbacks() >= before + 2);
    assert!(through_proxy.is_down());

    proxy.restart().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut n = 1;
    while !shared(n).await {
        assert!(Instant::now() < deadline, "shared again within 10 s of Redis coming back");
        tokio::time::sleep(Duration::from_millis(100)).await;
        n += 1;
    }
    assert!(eventually(Duration::from_secs(5), || through_proxy.is_listening()).await, "subscribed again");
    assert!(!through_proxy.is_down());
}
