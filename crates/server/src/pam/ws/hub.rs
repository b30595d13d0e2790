//! Every open socket of this instance by user, so pushes (timers, budget alerts) reach each socket of a
//! user here; the platform's push bus delivers to it.

use std::collections::HashMap;
use std::sync::Mutex;

use pam_platform::push_frames::PushFrame;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::protocol::ServerFrame;
use super::socket::Socket;

pub struct Hub {
    sockets: Mutex<HashMap<Uuid, Vec<Socket>>>,
    /// Woken when a socket connects, so pushes waiting for that user go out at once.
    pub connected: tokio::sync::Notify,
    /// Flipped once on shutdown: every session closes with 1001.
    pub(super) closing: tokio::sync::watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            sockets: Mutex::default(),
            connected: tokio::sync::Notify::new(),
            closing: tokio::sync::watch::channel(false).0,
        }
    }
}

impl Hub {
    pub(super) fn add(&self, user_id: Uuid, socket: Socket) {
        self.sockets.lock().unwrap_or_else(|p| p.into_inner()).entry(user_id).or_default().push(socket);
        self.connected.notify_one();
    }

    /// The users with a socket here.
    pub fn users(&self) -> Vec<Uuid> {
        self.sockets.lock().map(|s| s.keys().copied().collect()).unwrap_or_default()
    }

    /// Whether a socket of the user is open here.
    pub fn holds(&self, user_id: Uuid) -> bool {
        self.sockets.lock().map(|s| s.contains_key(&user_id)).unwrap_or(false)
    }

    pub(super) fn remove(&self, user_id: Uuid, socket_id: Uuid) {
        let mut sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(list) = sockets.get_mut(&user_id) {
            list.retain(|s| s.id != socket_id);
            if list.is_empty() {
                sockets.remove(&user_id);
            }
        }
    }

    /// Pushes an unsolicited frame to every socket of a user; returns how many sockets got it.
    pub fn push(&self, user_id: Uuid, frame: ServerFrame) -> usize {
        let sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        let list = sockets.get(&user_id).cloned().unwrap_or_default();
        drop(sockets);
        for s in &list {
            s.push(frame.clone());
        }
        list.len()
    }

    /// Asks every session to close with 1001 (server going away), each once the replies to its turns in
    /// flight have gone, so clients reconnect to another instance without losing an answer.
    pub fn begin_closing(&self) {
        self.closing.send_replace(true);
    }

    /// Waits, at most `within`, until every session has closed.
    pub async fn closed(&self, within: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + within;
        while self.connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub fn connections(&self) -> usize {
        self.sockets.lock().map(|s| s.values().map(Vec::len).sum()).unwrap_or(0)
    }
}

/// The push bus carries frames as JSON (through Redis, from the outbox, where they are written from the
/// typed `PushFrame`); each is read back into its type here, so a socket sends only frames the AsyncAPI
/// document describes. Fields it does not know are left out; one that does not read at all (a frame type
/// or enum value only a newer instance knows) is dropped and logged, not sent.
impl pam_platform::push::PushSink for Hub {
    fn deliver(&self, user_id: Uuid, frame: &Value) -> usize {
        match PushFrame::deserialize(frame) {
            Ok(push) => self.push(user_id, ServerFrame::from(push)),
            Err(e) => {
                tracing::error!(user.id = %user_id, error = %e, "a push is not a frame the socket sends; dropped");
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::extract::ws::Message as WsMessage;
    use pam_platform::push::PushSink;
    use pam_platform::push_frames::{AlertContent, AlertContentKind, AlertPriority, ProactiveAlert};
    use serde_json::json;
    use tokio::sync::mpsc;

    use super::*;

    #[test]
    fn only_documented_pushes_reach_a_socket() {
        let hub = Hub::default();
        let (tx, mut rx) = mpsc::channel(4);
        let user = Uuid::now_v7();
        hub.add(user, Socket::new(tx));
        assert_eq!(hub.deliver(user, &json!({"type": "proactive_alert", "content": {}})), 0, "not an alert");
        assert_eq!(hub.deliver(user, &json!({"type": "fireworks"})), 0, "not a push type");
        assert!(rx.try_recv().is_err(), "nothing was sent");
        let alert = PushFrame::ProactiveAlert(ProactiveAlert {
            id: Uuid::now_v7(),
            timestamp: chrono::Utc::now(),
            content: AlertContent {
                kind: AlertContentKind::ProactiveSuggestion,
                category: "fuel".into(),
                message: "Diesel is cheaper in Dubbo".into(),
                priority: AlertPriority::Low,
                actions: Vec::new(),
                alert_type: "fuel".into(),
            },
        });
        let mut sent = alert.to_value();
        sent["from_a_newer_instance"] = json!(true);
        assert_eq!(hub.deliver(user, &sent), 1);
        let Ok(WsMessage::Text(text)) = rx.try_recv() else { panic!("the alert was sent") };
        let got: Value = serde_json::from_str(text.as_str()).unwrap();
        assert_eq!(got, alert.to_value(), "sent as documented, unknown fields left out");
    }
}
