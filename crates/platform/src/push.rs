//! Pushes: unsolicited frames for a user (timer expired, budget alert) delivered to each socket that
//! user has open, wherever it is held. Callers hold a [`PushBus`]; the WebSocket hub of each instance is
//! the [`PushSink`] that hands frames to its own sockets.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use uuid::Uuid;

/// What holds sockets: this instance's WebSocket hub.
pub trait PushSink: Send + Sync {
    /// Hands the frame to every socket of the user held here; returns how many there were.
    /// (A sink may refuse a frame it cannot read: then none got it, and 0 is returned.)
    fn deliver(&self, user_id: Uuid, frame: &Value) -> usize;
}

pub trait PushBus: Send + Sync {
    /// Sends the frame to every socket of the user, on whichever instance holds it.
    fn publish(&self, user_id: Uuid, frame: Value);
    /// Connects this instance's hub; called once at startup.
    fn attach(&self, sink: Arc<dyn PushSink>);
}

/// One instance: a push goes straight to the local hub.
#[derive(Default)]
pub struct LocalPushBus {
    sink: OnceLock<Arc<dyn PushSink>>,
}

impl PushBus for LocalPushBus {
    fn publish(&self, user_id: Uuid, frame: Value) {
        match self.sink.get() {
            Some(sink) => {
                sink.deliver(user_id, &frame);
            }
            None => tracing::warn!("a push was published before the WebSocket hub was attached"),
        }
    }

    fn attach(&self, sink: Arc<dyn PushSink>) {
        if self.sink.set(sink).is_err() {
            tracing::warn!("the push bus was attached twice; keeping the first hub");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<(Uuid, Value)>>);

    impl PushSink for Recorder {
        fn deliver(&self, user_id: Uuid, frame: &Value) -> usize {
            self.0.lock().unwrap().push((user_id, frame.clone()));
            1
        }
    }

    #[test]
    fn a_push_reaches_the_attached_hub() {
        let bus = LocalPushBus::default();
        let hub = Arc::new(Recorder::default());
        let user = Uuid::now_v7();
        bus.publish(user, serde_json::json!({"type": "early"}));
        bus.attach(hub.clone());
        bus.publish(user, serde_json::json!({"type": "timer_expired"}));
        let got = hub.0.lock().unwrap().clone();
        assert_eq!(got, vec![(user, serde_json::json!({"type": "timer_expired"}))]);
    }
}
