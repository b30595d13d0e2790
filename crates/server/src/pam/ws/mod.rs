//! `GET /api/v1/pam/ws/{user_id}?token=…` (SPEC §5.2): accept, then verify (a browser cannot read a
//! refused handshake), then chat frames through the same turn pipeline as REST. Unsolicited frames wait
//! while a turn from the socket is in flight, so the client never takes a push for its reply.

mod frames;
mod hub;
pub mod protocol;
mod socket;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::mpsc;
use uuid::Uuid;

pub use hub::Hub;
use socket::{OUTGOING_FRAMES, Socket};

use crate::state::AppState;

const MAX_FRAME: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/pam/ws/{user_id}", get(upgrade))
}

async fn upgrade(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let token = query.get("token").cloned();
    // Frames up to twice the hard limit reach us so an oversized one gets 4009, not a protocol error.
    // Small starting buffers (they grow for large frames): most sockets sit idle, and the defaults
    // (128 KiB each way) would dominate the memory of an idle connection.
    ws.max_message_size(2 * MAX_FRAME)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| session(state, socket, user_id, token))
}

pub(crate) fn error_frame(code: &str, message: &str) -> protocol::ServerFrame {
    rate_limited_frame(code, message, None)
}

/// An error frame, with `retry_after` (seconds) when the client is sending too fast.
pub(crate) fn rate_limited_frame(code: &str, message: &str, retry_after: Option<u64>) -> protocol::ServerFrame {
    protocol::ServerFrame::Error(protocol::ErrorFrame {
        error_code: code.to_string(),
        message: message.to_string(),
        error: message.to_string(),
        retry_after,
        timestamp: Utc::now(),
    })
}

fn close(code: protocol::CloseCode, reason: &'static str) -> WsMessage {
    WsMessage::Close(Some(CloseFrame { code: code.code(), reason: Utf8Bytes::from_static(reason) }))
}

/// Every frame a socket sends counts here (pings, context updates and malformed frames too, unlike the
/// per-user chat limit): past the budget a frame gets an error; far past it the socket is closed.
struct FrameBudget {
    window: Instant,
    count: u32,
}

/// How long a stopping instance's socket waits for the replies to its running turns before it closes
/// (a turn's own deadline is 25 s).
const TURN_DEADLINE_AT_SHUTDOWN: Duration = Duration::from_secs(30);

/// Frames a socket may send per minute before they are refused, and before it is closed.
const FRAMES_PER_MINUTE: u32 = 240;
const FRAMES_BEFORE_CLOSE: u32 = 480;

enum Budget {
    Ok,
    Refuse,
    Close,
}

impl FrameBudget {
    fn take(&mut self) -> Budget {
        if self.window.elapsed() >= Duration::from_secs(60) {
            self.window = Instant::now();
            self.count = 0;
        }
        self.count = self.count.saturating_add(1);
        match self.count {
            c if c > FRAMES_BEFORE_CLOSE => Budget::Close,
            c if c > FRAMES_PER_MINUTE => Budget::Refuse,
            _ => Budget::Ok,
        }
    }
}

async fn session(state: AppState, socket: WebSocket, path_user: String, token: Option<String>) {
    let (mut sink, mut stream) = socket.split();
    let user = match token {
        Some(t) => state.auth.caller(&t).await.ok(),
        None => None,
    };
    let Some(user) = user.filter(|u| Uuid::parse_str(&path_user).is_ok_and(|p| p == u.id) || u.is_admin) else {
        let _ = sink.send(close(protocol::CloseCode::Unauthorized, "unauthorized")).await;
        return;
    };
    let (tx, mut rx) = mpsc::channel::<WsMessage>(OUTGOING_FRAMES);
    let writer = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let closing = matches!(msg, WsMessage::Close(_));
            if sink.send(msg).await.is_err() || closing {
                break;
            }
        }
    });
    let socket = Socket::new(tx);
    state.pam.hub.add(user.id, socket.clone());
    crate::metrics::ws_connection(true);
    socket.send(protocol::ServerFrame::Connection(protocol::Connected {
        status: "connected".into(),
        message: "Connected to PAM".into(),
        user_id: user.id,
        timestamp: Utc::now(),
    }));

    let mut closing = state.pam.hub.closing.subscribe();
    let mut context: Option<Value> = None;
    let mut last_heard = Instant::now();
    let mut budget = FrameBudget { window: Instant::now(), count: 0 };
    let mut ticker = tokio::time::interval(state.config.ws_ping_every);
    ticker.tick().await;
    let stalled = socket.stalled.clone();
    // Whether this side ended the session: the client's frames still in flight are then read and
    // dropped for a moment, so the close frame reaches it instead of a reset connection.
    let mut we_closed = true;
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(msg)) = incoming else {
                    we_closed = false;
                    break;
                };
                // Read no more than the client reads: wait for room for the replies this frame may need.
                if !socket.room_for_replies(Duration::from_secs(10)).await {
                    tracing::info!(user.id = %user.id, "closing a socket whose client stopped reading");
                    we_closed = false;
                    break;
                }
                last_heard = Instant::now();
                if matches!(msg, WsMessage::Close(_)) {
                    we_closed = false;
                    break;
                }
                match budget.take() {
                    Budget::Ok => {}
                    Budget::Refuse => {
                        crate::metrics::rate_limited("ws_frames");
                        let wait = budget.window.elapsed().as_secs().abs_diff(60).max(1);
                        socket.send(rate_limited_frame("RATE_LIMIT_EXCEEDED", "Too many frames; slow down.", Some(wait)));
                        continue;
                    }
                    Budget::Close => {
                        socket.send_message(close(protocol::CloseCode::TooManyFrames, "too many frames"));
                        break;
                    }
                }
                crate::metrics::ws_message("in");
                match msg {
                    WsMessage::Text(text) => {
                        if text.len() > MAX_FRAME {
                            socket.send_message(close(protocol::CloseCode::TooLarge, "message too large"));
                            break;
                        }
                        frames::handle(&state, &user, &socket, &mut context, text.as_str()).await;
                    }
                    WsMessage::Binary(bytes) if bytes.len() > MAX_FRAME => {
                        socket.send_message(close(protocol::CloseCode::TooLarge, "message too large"));
                        break;
                    }
                    WsMessage::Binary(_) => socket.send(error_frame("FORMAT_ERROR", "Frames must be JSON text")),
                    WsMessage::Close(_) | WsMessage::Ping(_) | WsMessage::Pong(_) => {}
                }
            }
            _ = stalled.notified() => {
                // The client sends but does not read: nothing more can reach it.
                tracing::info!(user.id = %user.id, "closing a socket whose client stopped reading");
                we_closed = false;
                break;
            }
            _ = async { closing.wait_for(|closing| *closing).await.is_ok() } => {
                // The instance is stopping: the turns already running here finish (shutdown waits for
                // them) and their replies go out first; then the client is told to reconnect elsewhere.
                socket.turns_finished(TURN_DEADLINE_AT_SHUTDOWN).await;
                socket.send_message(close(protocol::CloseCode::GoingAway, "server shutting down"));
                break;
            }
            _ = ticker.tick() => {
                if last_heard.elapsed() > state.config.ws_silent_limit {
                    socket.send_message(close(protocol::CloseCode::GoingAway, "no pong"));
                    break;
                }
                socket.send_message(WsMessage::Ping(Default::default()));
            }
        }
    }
    state.pam.hub.remove(user.id, socket.id);
    crate::metrics::ws_connection(false);
    drop(socket);
    if we_closed {
        let drain = async {
            while let Some(Ok(msg)) = stream.next().await
                && !matches!(msg, WsMessage::Close(_))
            {}
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
    }
    // The writer ends once every sender (the socket and the turns holding it) is gone; a client that
    // does not read cannot hold it past a short wait.
    let abort = writer.abort_handle();
    if tokio::time::timeout(Duration::from_secs(5), writer).await.is_err() {
        abort.abort();
        tracing::info!(user.id = %user.id, "a socket's writer did not finish; stopped it");
    }
}
