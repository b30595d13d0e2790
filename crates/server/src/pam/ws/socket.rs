//! One socket's outgoing side: a bounded queue to its writer, the pushes held while a turn from it is in
//! flight, and the guard that always ends a turn — with its reply, or with an error frame if the turn's
//! task died — so held pushes are never stuck behind a reply that will not come.

use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message as WsMessage, Utf8Bytes};
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

use super::protocol::{ChatReply, ServerFrame};

/// Frames queued for a socket's writer. A client that stops reading fills it and is closed.
pub const OUTGOING_FRAMES: usize = 256;
/// Pushes held behind an in-flight turn; past this the oldest is dropped.
pub const HELD_PUSHES: usize = 64;

#[derive(Clone)]
pub struct Socket {
    pub id: Uuid,
    tx: mpsc::Sender<WsMessage>,
    held: Arc<Mutex<Held>>,
    /// Set off when the writer cannot keep up: the session closes the socket.
    pub stalled: Arc<Notify>,
}

#[derive(Default)]
struct Held {
    turns_in_flight: usize,
    queued: Vec<ServerFrame>,
}

impl Socket {
    pub fn new(tx: mpsc::Sender<WsMessage>) -> Socket {
        Socket { id: Uuid::new_v4(), tx, held: Arc::default(), stalled: Arc::new(Notify::new()) }
    }

    /// Waits until the outgoing queue has room for a burst of replies, so a client sending faster than it
    /// reads is slowed down rather than overflowing it. False when no room came within `patience`: the
    /// client is not reading.
    pub async fn room_for_replies(&self, patience: std::time::Duration) -> bool {
        const ROOM: usize = 32;
        let started = tokio::time::Instant::now();
        while self.tx.capacity() < ROOM {
            if started.elapsed() >= patience || self.tx.is_closed() {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        true
    }

    /// Queues a frame; a full queue means the client is not reading, and the session is told to close.
    pub fn send(&self, frame: ServerFrame) {
        if let Some(text) = frame.to_json() {
            self.send_message(WsMessage::Text(Utf8Bytes::from(text)));
        }
    }

    pub fn send_message(&self, message: WsMessage) {
        crate::metrics::ws_message("out");
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(message) {
            self.stalled.notify_one();
        }
    }

    /// Sends an unsolicited frame now, or after the in-flight turn's reply.
    pub fn push(&self, frame: ServerFrame) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if held.turns_in_flight > 0 {
            if held.queued.len() >= HELD_PUSHES {
                held.queued.remove(0);
                tracing::warn!(socket.id = %self.id, "too many pushes held behind a turn; dropped the oldest");
            }
            held.queued.push(frame);
        } else {
            self.send(frame);
        }
    }

    /// Marks a turn from this socket in flight until the returned guard is finished or dropped.
    pub fn turn_started(&self, message_id: &str) -> InFlight {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).turns_in_flight += 1;
        InFlight { socket: self.clone(), message_id: message_id.to_string(), done: false }
    }

    /// Waits, at most `within`, until no turn from this socket is in flight (their replies are queued).
    pub async fn turns_finished(&self, within: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + within;
        while self.held.lock().map(|h| h.turns_in_flight > 0).unwrap_or(false) && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Sends the turn's reply, then whatever pushes waited for it.
    fn turn_finished(&self, reply: ServerFrame) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        self.send(reply);
        held.turns_in_flight = held.turns_in_flight.saturating_sub(1);
        if held.turns_in_flight == 0 {
            for frame in std::mem::take(&mut held.queued) {
                self.send(frame);
            }
        }
    }
}

/// A turn in flight on a socket. Dropped without [`InFlight::finish`] (its task panicked or was
/// cancelled), it sends an error reply so the client stops waiting and held pushes go out.
pub struct InFlight {
    socket: Socket,
    message_id: String,
    done: bool,
}

impl InFlight {
    pub fn finish(mut self, reply: ServerFrame) {
        self.done = true;
        self.socket.turn_finished(reply);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.done {
            let message = "Something went wrong on our side; please send that again.";
            let reply = ChatReply::failure(std::mem::take(&mut self.message_id), message);
            self.socket.turn_finished(ServerFrame::ChatResponse(Box::new(reply)));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::pam::ws::protocol::Chunk;

    /// A frame told apart by its number (any frame will do for the socket's rules).
    fn numbered(n: usize) -> ServerFrame {
        ServerFrame::Chunk(Chunk { message_id: "m".into(), content: n.to_string() })
    }

    fn frames(rx: &mut mpsc::Receiver<WsMessage>) -> Vec<Value> {
        let mut out = Vec::new();
        while let Ok(WsMessage::Text(t)) = rx.try_recv() {
            out.push(serde_json::from_str(t.as_str()).unwrap());
        }
        out
    }

    #[test]
    fn a_turn_whose_task_died_still_ends_and_releases_the_held_pushes() {
        let (tx, mut rx) = mpsc::channel(16);
        let socket = Socket::new(tx);
        let turn = socket.turn_started("m-1");
        socket.push(numbered(1));
        assert!(frames(&mut rx).is_empty(), "held while the turn is in flight");
        // The task holding the turn panics: its guard is dropped without a reply.
        let task = std::thread::spawn(move || {
            let _turn = turn;
            panic!("the turn's task died");
        });
        assert!(task.join().is_err());
        let sent = frames(&mut rx);
        assert_eq!(sent[0]["type"], "chat_response");
        assert_eq!(sent[0]["message_id"], "m-1");
        assert!(sent[0]["error"].is_string(), "the client is told, not left waiting");
        assert_eq!(sent[1]["content"], "1", "then the held push");
        socket.push(numbered(2));
        assert_eq!(frames(&mut rx)[0]["content"], "2", "pushes flow again");
    }

    #[tokio::test]
    async fn a_client_that_does_not_read_is_marked_stalled_and_held_pushes_are_bounded() {
        let (tx, _rx) = mpsc::channel(OUTGOING_FRAMES);
        let socket = Socket::new(tx);
        let stalled = socket.stalled.clone();
        for i in 0..OUTGOING_FRAMES {
            socket.send(numbered(i));
        }
        let noticed = tokio::time::timeout(std::time::Duration::from_millis(50), stalled.notified());
        assert!(noticed.await.is_err(), "a full queue alone is not a stall");
        socket.send(numbered(OUTGOING_FRAMES));
        let noticed = tokio::time::timeout(std::time::Duration::from_millis(200), stalled.notified());
        assert!(noticed.await.is_ok(), "the session is told to close the socket");

        let (tx, mut rx) = mpsc::channel(OUTGOING_FRAMES);
        let socket = Socket::new(tx);
        let turn = socket.turn_started("m-2");
        for i in 0..(HELD_PUSHES + 10) {
            socket.push(numbered(i));
        }
        turn.finish(ServerFrame::ChatResponse(Box::new(ChatReply::failure("m-2".into(), "done"))));
        let sent = frames(&mut rx);
        assert_eq!(sent.len(), 1 + HELD_PUSHES, "the reply and at most {HELD_PUSHES} held pushes");
        assert_eq!(sent[1]["content"], "10", "the oldest were dropped");
    }
}
