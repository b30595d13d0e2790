//! The shared half of the platform services, for many instances on one Redis: rate limits counted
//! once for all of them ([`RedisRateLimiter`]), cache writes that drop the entry on every instance
//! ([`RedisInvalidations`]), and pushes that reach a user's sockets wherever they are held
//! ([`RedisPushBus`]). Every key and channel carries the deployment's prefix, so deployments can share
//! one Redis.
//!
//! Redis helps; it is never a condition of serving. Each call has a short deadline, and a call that
//! fails or is late is served in-process instead (the local limiter, a local invalidation, delivery to
//! this instance's sockets), counted in `pam_redis_fallbacks_total{op}` and logged once per outage.
//! While this instance cannot hear the others its caches are bypassed, so an outage costs cache hits,
//! never stale reads. The shared behaviour comes back by itself with the first call that succeeds.
//!
//! The one exception is the background job queue, when a deployment keeps it here ([`RedisJobQueue`],
//! `JOBS_QUEUE=redis`): jobs cannot be kept in one process, so while Redis does not answer they wait.

mod fanout;
mod health;
mod jobs;
mod limiter;
mod publish;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::{mpsc, watch};

pub use jobs::{KEEP_FINISHED, RedisJobQueue};
pub use limiter::RedisRateLimiter;
pub use publish::{RedisInvalidations, RedisPushBus};

use fanout::{CONNECT_TIMEOUT, Channels, Fanout};
use health::Health;
use publish::{Outbox, Publisher};

/// Where Redis is and how it is used.
#[derive(Clone)]
pub struct RedisSettings {
    /// `redis://` or `rediss://`; may hold a password, so it is never logged.
    pub url: String,
    /// Put before every key and channel name (`pam:`), so deployments can share one Redis.
    pub key_prefix: String,
    /// The deadline of one call; past it the caller is served in-process.
    pub timeout: Duration,
}

/// One instance's connection to Redis, shared by the services built on it. Cheap to clone; the
/// background tasks (subscriber, publisher) stop when the last clone is dropped.
#[derive(Clone)]
pub struct Redis(Arc<Shared>);

struct Shared {
    /// Multiplexed and reconnecting by itself; commands from every request share it.
    conn: ConnectionManager,
    prefix: String,
    timeout: Duration,
    health: Arc<Health>,
    fanout: Arc<Fanout>,
    outbox: Outbox,
    /// Never sent: dropping it (with the last handle) tells the subscriber task to stop.
    _stop: watch::Sender<()>,
}

impl Redis {
    /// Prepares the connection and starts this instance's subscriber and publisher tasks (so it must
    /// run inside the Tokio runtime). Nothing waits for Redis here: an unreachable Redis is an outage
    /// like any other, served in-process. Fails only on a URL the client cannot use.
    pub fn connect(settings: RedisSettings) -> redis::RedisResult<Redis> {
        let client = redis::Client::open(settings.url.as_str())?;
        // Few, quick reconnection attempts: while they fail, calls fall back, and the next probe
        // (health::PROBE_EVERY) starts another round.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_number_of_retries(2)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_secs(1));
        let conn = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        let channels = Channels::new(&settings.key_prefix);
        let health = Arc::new(Health::default());
        let fanout = Arc::new(Fanout::default());
        let owed_resync = Arc::new(AtomicBool::new(false));
        let (queue, queued) = mpsc::channel(publish::QUEUE);
        let (stop, stopped) = watch::channel(());
        tokio::spawn(fanout::keep_subscribed(client, channels.clone(), fanout.clone(), health.clone(), stopped));
        let publisher = Publisher {
            conn: conn.clone(),
            channels,
            fanout: fanout.clone(),
            health: health.clone(),
            timeout: settings.timeout,
            owed_resync: owed_resync.clone(),
        };
        tokio::spawn(publisher.run(queued));
        // The manager connects when first used; use it now, in the background, so the first request
        // does not pay for the connection (and a slow handshake is not cut short by its deadline).
        let mut warm = conn.clone();
        let warming = health.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(CONNECT_TIMEOUT * 2, send_ping(&mut warm)).await {
                Ok(Ok(_)) => warming.answered(),
                Ok(Err(e)) => warming.lost("connect", &e),
                Err(_) => warming.lost("connect", &"no answer while connecting"),
            }
        });
        Ok(Redis(Arc::new(Shared {
            conn,
            prefix: settings.key_prefix,
            timeout: settings.timeout,
            health,
            fanout: fanout.clone(),
            outbox: Outbox::new(queue, fanout, owed_resync),
            _stop: stop,
        })))
    }

    /// Waits, at most `within`, for the first attempt to subscribe to end (so an instance that starts
    /// with Redis up misses no invalidation); returns whether this instance is subscribed.
    pub async fn settled(&self, within: Duration) -> bool {
        self.0.fanout.settled(within).await
    }

    /// Round-trip time of a PING under the call deadline, or `None` when Redis did not answer in time.
    pub async fn ping(&self) -> Option<Duration> {
        let mut conn = self.connection();
        let started = Instant::now();
        match tokio::time::timeout(self.0.timeout, send_ping(&mut conn)).await {
            Ok(Ok(_)) => {
                self.0.health.answered();
                Some(started.elapsed())
            }
            Ok(Err(e)) => {
                self.0.health.lost("ping", &e);
                None
            }
            Err(_) => {
                self.0.health.lost("ping", &"no answer to PING");
                None
            }
        }
    }

    /// Whether the last call to Redis failed (calls are being served in-process).
    pub fn is_down(&self) -> bool {
        self.0.health.is_down()
    }

    /// Whether this instance's subscription (invalidations and pushes from the others) is live.
    pub fn is_listening(&self) -> bool {
        self.0.fanout.listening()
    }

    /// Operations served in-process because Redis failed, was late or was known to be down.
    pub fn fallbacks(&self) -> u64 {
        self.0.health.fallbacks()
    }

    /// The key prefix this instance uses.
    pub fn key_prefix(&self) -> &str {
        &self.0.prefix
    }

    /// The deadline of one call.
    pub fn timeout(&self) -> Duration {
        self.0.timeout
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.0.prefix)
    }

    fn connection(&self) -> ConnectionManager {
        self.0.conn.clone()
    }

    async fn attempt<T, E: std::fmt::Display>(
        &self,
        op: &'static str,
        call: impl std::future::Future<Output = Result<T, E>>,
    ) -> Option<T> {
        self.0.health.attempt(op, self.0.timeout, call).await
    }

    fn health(&self) -> &Health {
        &self.0.health
    }

    fn fanout(&self) -> &Fanout {
        &self.0.fanout
    }

    fn outbox(&self) -> &Outbox {
        &self.0.outbox
    }
}

async fn send_ping(conn: &mut ConnectionManager) -> redis::RedisResult<String> {
    redis::cmd("PING").query_async(conn).await
}
