//! The sending side of the shared bus, and the two services built on it: [`RedisInvalidations`] and
//! [`RedisPushBus`]. Their trait methods are synchronous (a cache write or a push must not wait on
//! Redis), so messages go through a bounded queue to one publisher task per instance, which keeps
//! their order and sends each under the call deadline.
//!
//! When a message cannot go through Redis it is applied here instead: an invalidation drops the local
//! entry, a push goes to this instance's sockets. Other instances missed the invalidation, so once
//! Redis answers again a "drop everything" goes out and every cache starts afresh.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use redis::aio::ConnectionManager;
use serde_json::Value;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::Redis;
use super::fanout::{ALL, Channels, Fanout, Invalidation, PushOut};
use super::health::{Health, PROBE_EVERY};
use crate::cache::Invalidations;
use crate::push::{PushBus, PushSink};

/// Messages waiting for the publisher; past this (Redis far slower than the writes) they are applied
/// locally as if Redis were down.
pub(super) const QUEUE: usize = 10_000;

pub(super) enum Outgoing {
    Invalidate { cache: &'static str, key: Uuid },
    Push { user_id: Uuid, frame: Value },
}

/// The handle the services hold: puts messages on the publisher's queue.
pub(super) struct Outbox {
    queue: mpsc::Sender<Outgoing>,
    fanout: Arc<Fanout>,
    /// Set when an invalidation did not reach Redis: a "drop everything" is owed to the other instances.
    owed_resync: Arc<AtomicBool>,
}

impl Outbox {
    pub(super) fn new(queue: mpsc::Sender<Outgoing>, fanout: Arc<Fanout>, owed_resync: Arc<AtomicBool>) -> Outbox {
        Outbox { queue, fanout, owed_resync }
    }

    fn send(&self, message: Outgoing, health: &Health) {
        if let Err(full_or_closed) = self.queue.try_send(message) {
            health.fell_back("queue");
            match full_or_closed.into_inner() {
                Outgoing::Invalidate { cache, key } => {
                    self.fanout.drop_key(cache, key);
                    self.owed_resync.store(true, Ordering::Release);
                }
                Outgoing::Push { user_id, frame } => {
                    self.fanout.deliver(user_id, &frame);
                }
            }
        }
    }
}

/// What the publisher task needs; it holds no handle on [`Redis`] itself, so it ends with the last one
/// (when the queue's sender goes).
pub(super) struct Publisher {
    pub conn: ConnectionManager,
    pub channels: Channels,
    pub fanout: Arc<Fanout>,
    pub health: Arc<Health>,
    pub timeout: std::time::Duration,
    pub owed_resync: Arc<AtomicBool>,
}

impl Publisher {
    /// Sends the queued messages in order until every handle on Redis is gone.
    pub(super) async fn run(self, mut queue: mpsc::Receiver<Outgoing>) {
        loop {
            let owed = self.owed_resync.load(Ordering::Acquire);
            let message = tokio::select! {
                message = queue.recv() => match message {
                    Some(message) => message,
                    None => return,
                },
                // Nothing else to send: settle the debt as soon as Redis may be tried again.
                _ = tokio::time::sleep(PROBE_EVERY), if owed => {
                    self.resync().await;
                    continue;
                }
            };
            if owed {
                self.resync().await;
            }
            match message {
                Outgoing::Invalidate { cache, key } => {
                    let sent = self.publish("invalidate", &self.channels.invalidate, Invalidation::encode(cache, key));
                    if sent.await.is_none() {
                        // Whatever happened to the announcement, this instance's caches drop the key.
                        self.fanout.drop_key(cache, key);
                        self.owed_resync.store(true, Ordering::Release);
                    }
                }
                Outgoing::Push { user_id, frame } => {
                    let payload = match serde_json::to_string(&PushOut { user_id, frame: &frame }) {
                        Ok(payload) => payload,
                        Err(e) => {
                            tracing::warn!(error = %e, "a push could not be encoded; dropped");
                            continue;
                        }
                    };
                    let receivers = self.publish("push", &self.channels.push, payload).await;
                    // This instance's own subscription hands the push to its sockets; when that is not
                    // live (or Redis did not take the push) they get it from here.
                    if receivers.is_none_or(|n| n == 0) || !self.fanout.listening() {
                        self.fanout.deliver(user_id, &frame);
                    }
                }
            }
        }
    }

    async fn resync(&self) {
        if self.publish("resync", &self.channels.invalidate, ALL.to_string()).await.is_some() {
            self.owed_resync.store(false, Ordering::Release);
        }
    }

    /// PUBLISH under the deadline; how many subscribers got it, or `None` when Redis did not take it.
    async fn publish(&self, op: &'static str, channel: &str, payload: String) -> Option<i64> {
        let mut conn = self.conn.clone();
        let mut command = redis::cmd("PUBLISH");
        command.arg(channel).arg(payload);
        self.health.attempt(op, self.timeout, async move { command.query_async::<i64>(&mut conn).await }).await
    }
}

impl Redis {
    /// Announces a change to `cache`'s entry `key` to every instance now, waiting for Redis to take it
    /// (under the call deadline) rather than queueing: for a short-lived process such as the admin
    /// command, which would otherwise exit before its publisher sent anything. Returns whether Redis
    /// took it.
    pub async fn announce_now(&self, cache: &'static str, key: Uuid) -> bool {
        let channel = Channels::new(self.key_prefix()).invalidate;
        let mut conn = self.connection();
        let mut command = redis::cmd("PUBLISH");
        command.arg(channel).arg(Invalidation::encode(cache, key));
        self.attempt("invalidate", async move { command.query_async::<i64>(&mut conn).await }).await.is_some()
    }
}

/// Cache invalidations announced to every instance (this one too) over Redis pub/sub.
pub struct RedisInvalidations {
    redis: Redis,
}

impl RedisInvalidations {
    pub fn new(redis: Redis) -> RedisInvalidations {
        RedisInvalidations { redis }
    }
}

impl Invalidations for RedisInvalidations {
    fn announce(&self, cache: &'static str, key: Uuid) {
        self.redis.outbox().send(Outgoing::Invalidate { cache, key }, self.redis.health());
    }

    fn listen(&self, cache: &'static str, drop_key: Box<dyn Fn(Uuid) + Send + Sync>) {
        self.redis.fanout().listen(cache, drop_key);
    }

    fn listen_for_gaps(&self, _cache: &'static str, drop_all: Box<dyn Fn() + Send + Sync>) {
        self.redis.fanout().on_resync(drop_all);
    }

    fn is_live(&self) -> bool {
        self.redis.fanout().listening() && !self.redis.health().is_down()
    }
}

/// Pushes published to every instance over Redis pub/sub; each hands them to its own sockets of the
/// user, so every socket gets a push once wherever it is held.
pub struct RedisPushBus {
    redis: Redis,
}

impl RedisPushBus {
    pub fn new(redis: Redis) -> RedisPushBus {
        RedisPushBus { redis }
    }
}

impl PushBus for RedisPushBus {
    fn publish(&self, user_id: Uuid, frame: Value) {
        self.redis.outbox().send(Outgoing::Push { user_id, frame }, self.redis.health());
    }

    fn attach(&self, sink: Arc<dyn PushSink>) {
        self.redis.fanout().attach(sink);
    }
}
