//! The receiving side of the shared bus: each instance keeps one subscriber connection on two
//! channels, cache invalidations and pushes, and hands what arrives to its caches and its WebSocket
//! hub. Its own messages come back too, which is what makes a push reach this instance's sockets.
//!
//! The connection is watched (a keepalive ping) and made again with a growing wait when it is lost.
//! Announcements made while this instance was not listening are gone, so every (re)subscription
//! starts the caches afresh rather than trust entries that may have changed meanwhile.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures::StreamExt;
use redis::aio::{PubSubSink, PubSubStream};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::watch;
use uuid::Uuid;

use super::health::Health;
use crate::push::PushSink;

/// Most time to connect and subscribe, or to answer a keepalive ping.
pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How often a quiet subscriber connection is checked.
const KEEPALIVE: Duration = Duration::from_secs(5);
const RETRY_FIRST: Duration = Duration::from_millis(100);
const RETRY_MOST: Duration = Duration::from_secs(2);

/// The channel names, under the deployment's prefix.
#[derive(Clone)]
pub(super) struct Channels {
    pub invalidate: String,
    pub push: String,
}

impl Channels {
    pub(super) fn new(prefix: &str) -> Channels {
        Channels { invalidate: format!("{prefix}invalidate"), push: format!("{prefix}push") }
    }
}

/// An invalidation on the wire: `<cache>:<user id>`, or `*` for "drop everything" (sent after
/// announcements could not be published).
pub(super) enum Invalidation<'a> {
    Key { cache: &'a str, key: Uuid },
    All,
}

pub(super) const ALL: &str = "*";

impl Invalidation<'_> {
    pub(super) fn encode(cache: &str, key: Uuid) -> String {
        format!("{cache}:{key}")
    }

    pub(super) fn parse(payload: &[u8]) -> Option<Invalidation<'_>> {
        let text = std::str::from_utf8(payload).ok()?;
        if text == ALL {
            return Some(Invalidation::All);
        }
        let (cache, key) = text.rsplit_once(':')?;
        Some(Invalidation::Key { cache, key: key.parse().ok()? })
    }
}

/// A push on the wire, as sent.
#[derive(Serialize)]
pub(super) struct PushOut<'a> {
    pub user_id: Uuid,
    pub frame: &'a Value,
}

/// A push on the wire, as received.
#[derive(Deserialize)]
struct PushIn {
    user_id: Uuid,
    frame: Value,
}

type DropKey = Box<dyn Fn(Uuid) + Send + Sync>;
type DropAll = Box<dyn Fn() + Send + Sync>;

/// What this instance does with what arrives: its caches' listeners and its WebSocket hub.
pub(super) struct Fanout {
    listeners: Mutex<Vec<(&'static str, DropKey)>>,
    resyncs: Mutex<Vec<DropAll>>,
    sink: OnceLock<Arc<dyn PushSink>>,
    /// `None` until the first attempt to subscribe has ended, then whether this instance listens.
    listening: watch::Sender<Option<bool>>,
}

impl Default for Fanout {
    fn default() -> Fanout {
        Fanout {
            listeners: Mutex::default(),
            resyncs: Mutex::default(),
            sink: OnceLock::new(),
            listening: watch::channel(None).0,
        }
    }
}

impl Fanout {
    pub(super) fn listen(&self, cache: &'static str, drop_key: DropKey) {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner()).push((cache, drop_key));
    }

    pub(super) fn on_resync(&self, drop_all: DropAll) {
        self.resyncs.lock().unwrap_or_else(|p| p.into_inner()).push(drop_all);
    }

    pub(super) fn attach(&self, sink: Arc<dyn PushSink>) {
        if self.sink.set(sink).is_err() {
            tracing::warn!("the push bus was attached twice; keeping the first hub");
        }
    }

    pub(super) fn drop_key(&self, cache: &str, key: Uuid) {
        for (name, drop_key) in self.listeners.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            if *name == cache {
                drop_key(key);
            }
        }
    }

    pub(super) fn drop_all(&self) {
        for drop_all in self.resyncs.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            drop_all();
        }
    }

    /// Hands a push to this instance's sockets of the user; returns how many there were.
    pub(super) fn deliver(&self, user_id: Uuid, frame: &Value) -> usize {
        match self.sink.get() {
            Some(sink) => sink.deliver(user_id, frame),
            None => {
                tracing::warn!("a push arrived before the WebSocket hub was attached");
                0
            }
        }
    }

    /// Whether this instance's subscription is live (so its own publications come back to it).
    pub(super) fn listening(&self) -> bool {
        *self.listening.borrow() == Some(true)
    }

    /// Waits, at most `within`, for the first attempt to subscribe to end; returns whether it listens.
    pub(super) async fn settled(&self, within: Duration) -> bool {
        let mut rx = self.listening.subscribe();
        let _ = tokio::time::timeout(within, rx.wait_for(Option::is_some)).await;
        self.listening()
    }

    fn set_listening(&self, now: bool) {
        self.listening.send_replace(Some(now));
    }

    fn receive(&self, channels: &Channels, channel: &str, payload: &[u8]) {
        if channel == channels.invalidate {
            match Invalidation::parse(payload) {
                Some(Invalidation::Key { cache, key }) => self.drop_key(cache, key),
                Some(Invalidation::All) => self.drop_all(),
                None => tracing::debug!("ignored a malformed cache invalidation"),
            }
        } else if channel == channels.push {
            match serde_json::from_slice::<PushIn>(payload) {
                Ok(push) => {
                    self.deliver(push.user_id, &push.frame);
                }
                Err(e) => tracing::debug!(error = %e, "ignored a malformed push"),
            }
        }
    }
}

/// Keeps this instance subscribed until `stop`'s sender is dropped (the last handle on Redis went).
pub(super) async fn keep_subscribed(
    client: redis::Client,
    channels: Channels,
    fanout: Arc<Fanout>,
    health: Arc<Health>,
    mut stop: watch::Receiver<()>,
) {
    let mut wait = RETRY_FIRST;
    loop {
        let attempt = tokio::time::timeout(CONNECT_TIMEOUT, subscribe(&client, &channels));
        let subscribed = tokio::select! {
            _ = stop.changed() => return,
            outcome = attempt => outcome,
        };
        match subscribed {
            Ok(Ok((sink, stream))) => {
                health.answered();
                fanout.drop_all();
                fanout.set_listening(true);
                wait = RETRY_FIRST;
                let ended = tokio::select! {
                    _ = stop.changed() => return,
                    ended = pump(sink, stream, &channels, &fanout) => ended,
                };
                fanout.set_listening(false);
                health.lost("subscribe", &ended);
            }
            Ok(Err(e)) => {
                fanout.set_listening(false);
                health.lost("subscribe", &e);
            }
            Err(_) => {
                fanout.set_listening(false);
                health.lost("subscribe", &"no answer to the subscription");
            }
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = (wait * 2).min(RETRY_MOST);
    }
}

async fn subscribe(client: &redis::Client, channels: &Channels) -> redis::RedisResult<(PubSubSink, PubSubStream)> {
    let (mut sink, stream) = client.get_async_pubsub().await?.split();
    sink.subscribe(channels.invalidate.as_str()).await?;
    sink.subscribe(channels.push.as_str()).await?;
    Ok((sink, stream))
}

/// Hands every message to the fanout until the connection is lost; returns why it ended.
async fn pump(mut sink: PubSubSink, mut stream: PubSubStream, channels: &Channels, fanout: &Fanout) -> String {
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    keepalive.tick().await;
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(message) => fanout.receive(channels, message.get_channel_name(), message.get_payload_bytes()),
                None => return "the subscription connection closed".into(),
            },
            _ = keepalive.tick() => {
                // A subscribed connection answers PING with an array, so any value will do.
                match tokio::time::timeout(CONNECT_TIMEOUT, sink.ping::<redis::Value>()).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => return e.to_string(),
                    Err(_) => return "no answer to a keepalive ping".into(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalidations_round_trip_and_garbage_is_refused() {
        let key = Uuid::now_v7();
        let wire = Invalidation::encode("profile", key);
        match Invalidation::parse(wire.as_bytes()) {
            Some(Invalidation::Key { cache, key: parsed }) => assert_eq!((cache, parsed), ("profile", key)),
            _ => panic!("{wire} did not parse"),
        }
        assert!(matches!(Invalidation::parse(b"*"), Some(Invalidation::All)));
        let garbage: [&[u8]; 5] = [b"", b"profile", b"profile:not-a-uuid", b"\xff\xfe", b"::"];
        for garbage in garbage {
            assert!(Invalidation::parse(garbage).is_none(), "{garbage:?}");
        }
    }

    #[test]
    fn a_malformed_message_changes_nothing() {
        let fanout = Fanout::default();
        let dropped = Arc::new(Mutex::new(Vec::new()));
        let seen = dropped.clone();
        fanout.listen("profile", Box::new(move |k| seen.lock().unwrap().push(k)));
        let channels = Channels::new("t:");
        fanout.receive(&channels, "t:invalidate", b"profile:nope");
        fanout.receive(&channels, "t:push", b"{\"user_id\": 3}");
        fanout.receive(&channels, "t:other", b"anything");
        assert!(dropped.lock().unwrap().is_empty());
        let key = Uuid::now_v7();
        fanout.receive(&channels, "t:invalidate", Invalidation::encode("profile", key).as_bytes());
        fanout.receive(&channels, "t:invalidate", Invalidation::encode("identity", key).as_bytes());
        assert_eq!(*dropped.lock().unwrap(), vec![key], "only the named cache's listener");
    }
}
